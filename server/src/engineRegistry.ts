/**
 * One engine per workspace folder and configuration, created on first use and kept warm between
 * edits (typed linting keeps its TypeScript project loaded). `reload` drops them all when a config
 * file, a tsconfig or a package.json changes.
 */
import * as path from 'node:path';
import { chooseConfigSource, type ConfigChoice } from './configSource';
import { createEngine, resetTypeInformation, type Engine } from './engine';
import type { RelatedLocation } from './documentLinter';
import { ruleOptionsOf, type Settings } from './settings';

export interface FolderEngine {
  engine: Engine;
  folder: string;
  choice: ConfigChoice;
  /**
   * A lint has finished: typed, the TypeScript program is built and later lints are fast; untyped,
   * there was no program to wait for. Either way no untyped first pass is needed any more.
   */
  warm: boolean;
  /** Where this engine's rules record related locations (set by the first lint; see documentLinter). */
  relatedLocations?: (filePath: string) => RelatedLocation[];
}

export class EngineRegistry {
  private folders: string[] = [];
  private readonly engines = new Map<string, FolderEngine>();
  private readonly choices = new Map<string, ConfigChoice>();

  constructor(private readonly log: (message: string) => void) {}

  setFolders(folders: readonly string[]): void {
    // Longest first, so a nested folder wins over the one containing it.
    this.folders = [...new Set(folders.map((folder) => path.resolve(folder)))].sort((a, b) => b.length - a.length);
    this.engines.clear();
    this.choices.clear();
  }

  /** The workspace folder a file belongs to; a file outside every folder is its own directory's. */
  folderOf(filePath: string): string {
    return this.folders.find((folder) => isInside(filePath, folder)) ?? path.dirname(filePath);
  }

  engineFor(filePath: string, settings: Settings, trusted: boolean): FolderEngine {
    const folder = this.folderOf(filePath);
    // Decided once per folder and setting (it reads the config file): not on every keystroke.
    const choiceKey = JSON.stringify([folder, trusted, settings.configSource]);
    let choice = this.choices.get(choiceKey);
    if (choice === undefined) this.choices.set(choiceKey, (choice = chooseConfigSource(folder, trusted, settings.configSource)));
    const ruleOptions = ruleOptionsOf(settings);
    const key = JSON.stringify([folder, choice.source, settings.typed, ruleOptions]);
    let entry = this.engines.get(key);
    if (entry === undefined) {
      const engine = createEngine({ cwd: folder, configSource: choice.source, typed: settings.typed === 'off' ? 'off' : 'auto', ruleOptions });
      entry = { engine, folder, choice, warm: false };
      this.engines.set(key, entry);
      this.log(`${folder}: ${choice.source} configuration (${choice.reason})${settings.typed === 'off' ? ', untyped' : ''}`);
    }
    return entry;
  }

  /**
   * Whether linting `filePath` now would be the first typed lint of its engine, which builds the
   * TypeScript program first (seconds on a real project).
   */
  isColdTyped(filePath: string, settings: Settings, trusted: boolean): boolean {
    const { engine, choice, warm } = this.engineFor(filePath, settings, trusted);
    return !warm && choice.source === 'embedded' && settings.typed === 'auto' && engine.tsconfigFor(filePath) !== null;
  }

  markWarm(filePath: string, settings: Settings, trusted: boolean): void {
    this.engineFor(filePath, settings, trusted).warm = true;
  }

  /** Forget every engine and every cached type information; the next lint starts afresh. */
  reload(): void {
    this.engines.clear();
    this.choices.clear();
    resetTypeInformation();
  }
}

function isInside(target: string, dir: string): boolean {
  const relative = path.relative(dir, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
