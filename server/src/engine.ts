/**
 * The lint engine: which ESLint, which config, typed or not. The CLI and the language server both lint
 * through this module and nothing else; neither builds ESLint options itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
// The parser's own copy (the lock file keeps one 8.72 copy for both; the bundle inlines that one).
import { clearCaches } from '@typescript-eslint/typescript-estree';
import { ESLint, type Linter, type Rule } from 'eslint';
import { buildEmbeddedOptions, embeddedRuleIds, encodeSettings, type Concurrency, type EmbeddedSettings, type RuleOptions } from './engineConfig';
import { findNearestTsconfig } from './findTsconfig';

export type { Concurrency } from './engineConfig';

/** `auto`: typed when a tsconfig.json is found at or above the linted path; `on`: require one; `off`: never. */
export type TypedMode = 'auto' | 'on' | 'off';

export interface EngineOptions {
  /** Base directory for relative paths and for ESLint's `files`/`ignores` patterns. Default: `process.cwd()`. */
  cwd?: string;
  /** Default `auto`. */
  typed?: TypedMode;
  /** Compute fixes (`LintResult.output`); write them with `outputFixes`. Default false. */
  fix?: boolean;
  /** Passed to ESLint's multithreaded `lintFiles`. Default `off`. `lintText` always runs in-thread. */
  concurrency?: Concurrency;
  /**
   * Where the ESLint configuration comes from. `embedded` (default): asyncguard's recommended config;
   * no workspace config or plugin is loaded, so it is safe in untrusted workspaces. `workspace`: the
   * workspace's own ESLint and eslint.config.* (this EXECUTES workspace code: trusted folders only),
   * running only asyncguard's rules; types are then the workspace config's business.
   */
  configSource?: ConfigSource;
  /** Embedded mode: options per rule name (`{ 'no-unbounded-read': { maxBytes: 1048576 } }`). */
  ruleOptions?: RuleOptions;
}

export type ConfigSource = 'embedded' | 'workspace';

export interface LintTextOptions {
  /** Path the text belongs to (need not exist on disk); picks the config, the tsconfig and the parser's file type. */
  filePath?: string;
  /** Report a warning result when `filePath` is ignored. Default false. */
  warnIgnored?: boolean;
}

export interface Engine {
  readonly cwd: string;
  lintFiles(paths: readonly string[]): Promise<ESLint.LintResult[]>;
  lintText(text: string, options?: LintTextOptions): Promise<ESLint.LintResult[]>;
  /** Rule metadata (docs url, description…) for every rule that reported in `results`. */
  rulesMeta(results: readonly ESLint.LintResult[]): Record<string, Rule.RuleMetaData>;
  /** Whether these results were linted with type information (false after the untyped fallback). */
  isTyped(results: readonly ESLint.LintResult[]): boolean;
  /** One of ESLint's built-in formatters, e.g. `json`. */
  loadFormatter(name: string): Promise<ESLint.LoadedFormatter>;
  /** Writes `LintResult.output` of results linted with `fix: true` back to their files. */
  outputFixes(results: readonly ESLint.LintResult[]): Promise<void>;
  /** The tsconfig.json that typed linting of `target` goes through, or null when it is linted untyped. */
  tsconfigFor(target: string): string | null;
}

/** A problem with the engine's inputs (as opposed to a bug): callers show `message` as is. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: 'NO_TSCONFIG',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function createEngine(options: EngineOptions = {}): Engine {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const typed = options.typed ?? 'auto';
  const fix = options.fix ?? false;
  const concurrency = options.concurrency ?? 'off';
  const configSource = options.configSource ?? 'embedded';
  const ruleOptions = options.ruleOptions ?? {};
  const knownRuleIds = new Set(embeddedRuleIds());
  const instances = new Map<string, Promise<ESLint>>();
  /** Which ESLint instance produced a result, so its rule metadata comes from the same config. */
  const origin = new WeakMap<ESLint.LintResult, ESLint>();
  /** Instances that lint with type information: typed embedded ones, and the workspace's own config (its business). */
  const typedInstances = new WeakSet<ESLint>();

  function tsconfigFor(target: string): string | null {
    if (typed === 'off' || configSource === 'workspace') return null;
    const tsconfig = findNearestTsconfig(path.resolve(cwd, target));
    if (tsconfig === null && typed === 'on') {
      throw new EngineError(`typed linting was requested but no tsconfig.json was found at or above ${target}`, 'NO_TSCONFIG');
    }
    return tsconfig;
  }

  function instance(eslintCwd: string, tsconfigRootDir: string | null): Promise<ESLint> {
    const key = JSON.stringify([eslintCwd, tsconfigRootDir]);
    const cached = instances.get(key);
    if (cached !== undefined) return cached;
    const created =
      configSource === 'workspace' ? createWorkspaceESLint(eslintCwd, fix) : createESLint({ cwd: eslintCwd, tsconfigRootDir, fix, concurrency, ruleOptions });
    instances.set(key, created);
    if (tsconfigRootDir !== null || configSource === 'workspace') void created.then((eslint) => typedInstances.add(eslint), () => {});
    // The caller sees the rejection; the cache forgets it so that the next call tries again.
    created.catch(() => instances.delete(key));
    return created;
  }

  async function lintGroup(eslintCwd: string, tsconfigRootDir: string | null, files: string[]): Promise<ESLint.LintResult[]> {
    const eslint = await instance(eslintCwd, tsconfigRootDir);
    const results = track(await eslint.lintFiles(files), eslint);
    if (tsconfigRootDir === null) return results;
    const outside = results.filter(isOutsideEveryProject);
    if (outside.length === 0) return results;
    const untyped = await instance(eslintCwd, null);
    const retried = new Map(track(await untyped.lintFiles(outside.map((r) => r.filePath)), untyped).map((r) => [r.filePath, r]));
    return results.map((r) => retried.get(r.filePath) ?? r);
  }

  function track(results: ESLint.LintResult[], eslint: ESLint): ESLint.LintResult[] {
    for (const result of results) {
      dropForeignRuleProblems(result, knownRuleIds);
      origin.set(result, eslint);
    }
    return results;
  }

  return {
    cwd,
    tsconfigFor,

    async lintFiles(paths) {
      const absolute = paths.map((p) => path.resolve(cwd, p));
      const eslintCwd = baseDirectory(cwd, absolute);
      const groups = new Map<string | null, string[]>();
      for (const target of absolute) {
        const tsconfig = tsconfigFor(target);
        const rootDir = tsconfig === null ? null : path.dirname(tsconfig);
        groups.set(rootDir, [...(groups.get(rootDir) ?? []), target]);
      }
      // Typed groups first, so a file reached both typed and untyped keeps its typed result.
      const ordered = [...groups].sort(([a], [b]) => Number(a === null) - Number(b === null));
      const byFile = new Map<string, ESLint.LintResult>();
      for (const [rootDir, files] of ordered) {
        for (const result of await lintGroup(eslintCwd, rootDir, files)) {
          if (!byFile.has(result.filePath)) byFile.set(result.filePath, result);
        }
      }
      const results = [...byFile.values()];
      return groups.size > 1 ? results.sort((a, b) => a.filePath.localeCompare(b.filePath)) : results;
    },

    async lintText(text, { filePath, warnIgnored = false } = {}) {
      const absolute = filePath === undefined ? undefined : path.resolve(cwd, filePath);
      const eslintCwd = absolute === undefined ? cwd : baseDirectory(cwd, [absolute]);
      const tsconfig = absolute === undefined ? null : tsconfigFor(absolute);
      const rootDir = tsconfig === null ? null : path.dirname(tsconfig);
      const eslint = await instance(eslintCwd, rootDir);
      const results = track(await eslint.lintText(text, { filePath: absolute, warnIgnored }), eslint);
      if (rootDir === null || !results.some(isOutsideEveryProject)) return results;
      const untyped = await instance(eslintCwd, null);
      return track(await untyped.lintText(text, { filePath: absolute, warnIgnored }), untyped);
    },

    isTyped(results) {
      return results.length > 0 && results.every((result) => {
        const eslint = origin.get(result);
        return eslint !== undefined && typedInstances.has(eslint);
      });
    },

    rulesMeta(results) {
      const meta: Record<string, Rule.RuleMetaData> = {};
      const byInstance = new Map<ESLint, ESLint.LintResult[]>();
      for (const result of results) {
        const eslint = origin.get(result);
        if (eslint) byInstance.set(eslint, [...(byInstance.get(eslint) ?? []), result]);
      }
      for (const [eslint, group] of byInstance) Object.assign(meta, eslint.getRulesMetaForResults(group));
      return meta;
    },

    async loadFormatter(name) {
      return (await instance(cwd, null)).loadFormatter(name);
    },

    async outputFixes(results) {
      await ESLint.outputFixes([...results]);
    },
  };
}

/** The embedded mode's ESLint: ours, with asyncguard's recommended config and no workspace config. */
async function createESLint(settings: EmbeddedSettings): Promise<ESLint> {
  if (settings.concurrency === 'off') return new ESLint(buildEmbeddedOptions(settings));
  // Worker threads need cloneable options; ours hold the plugin object, so workers rebuild them
  // from an options module instead (the way ESLint documents for non-cloneable options).
  const url = new URL(optionsModuleUrl());
  url.search = encodeSettings(settings);
  return ESLint.fromOptionsModule(url);
}

/**
 * The workspace mode's ESLint: the workspace's own installation (ours when it has none or one
 * older than flat config's `ruleFilter`) loading the workspace's eslint.config.*, with every rule
 * but asyncguard's filtered out: the other rules are the ESLint extension's business.
 */
async function createWorkspaceESLint(cwd: string, fix: boolean): Promise<ESLint> {
  const WorkspaceESLint = workspaceESLintClass(cwd) ?? ESLint;
  return new WorkspaceESLint({
    cwd,
    fix,
    globInputPaths: false,
    errorOnUnmatchedPattern: false,
    ruleFilter: ({ ruleId }) => ruleId.startsWith(RULE_PREFIX),
  });
}

const RULE_PREFIX = 'asyncguard/';

function workspaceESLintClass(cwd: string): typeof ESLint | undefined {
  try {
    const required = createRequire(path.join(cwd, 'package.json'))('eslint') as { ESLint?: typeof ESLint };
    const major = Number.parseInt(required.ESLint?.version ?? '0', 10);
    return major >= 9 ? required.ESLint : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Forget every type-information cache (typescript-eslint keeps one project service per process and
 * does not watch tsconfig files): the next typed lint reads tsconfigs and files from disk again.
 */
export function resetTypeInformation(): void {
  clearCaches();
}

/** `dist/eslint-options.mjs`, next to the bundle this module is part of. */
function optionsModuleUrl(): string {
  const bundled = path.join(__dirname, 'eslint-options.mjs');
  if (!fs.existsSync(bundled)) {
    // Unbundled (e.g. under tsx), the workers could not load a TypeScript options module anyway.
    throw new Error(`concurrency needs the bundled options module ${bundled}; run \`npm run build\` and use dist/`);
  }
  return pathToFileURL(bundled).href;
}

/**
 * ESLint's cwd for a run: patterns in `files`/`ignores` are relative to it and files outside it are
 * ignored, so it is the engine's cwd when every target lies inside, else their common ancestor.
 */
function baseDirectory(cwd: string, targets: readonly string[]): string {
  if (targets.every((target) => isInside(target, cwd))) return cwd;
  return targets.map((target) => path.dirname(target)).reduce(commonAncestor);
}

function isInside(target: string, dir: string): boolean {
  const relative = path.relative(dir, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function commonAncestor(a: string, b: string): string {
  let dir = a;
  while (!isInside(b, dir)) dir = path.dirname(dir);
  return dir;
}

/**
 * The parser's projectService could not place the file in any tsconfig project (e.g. a config script
 * outside `include`). Such files are linted again untyped instead of failing. typescript-estree only
 * signals this through the message text, so this check is pinned by a CLI test.
 */
function isOutsideEveryProject(result: ESLint.LintResult): boolean {
  return result.messages.some((m) => m.fatal && m.message.includes('was not found by the project service'));
}

/**
 * Disable comments in the workspace name its own rules (`// eslint-disable-line no-console`), which
 * the embedded config does not load; ESLint reports each as "Definition for rule … was not found".
 * Those are not problems of this run, so they go; the counts are recomputed.
 */
function dropForeignRuleProblems(result: ESLint.LintResult, knownRuleIds: ReadonlySet<string>): void {
  const kept = result.messages.filter((m) => m.ruleId === null || knownRuleIds.has(m.ruleId));
  if (kept.length === result.messages.length) return;
  result.messages = kept;
  const count = (predicate: (m: Linter.LintMessage) => boolean) => kept.filter(predicate).length;
  result.errorCount = count((m) => m.severity === 2);
  result.warningCount = count((m) => m.severity === 1);
  result.fatalErrorCount = count((m) => m.fatal === true);
  result.fixableErrorCount = count((m) => m.severity === 2 && m.fix !== undefined);
  result.fixableWarningCount = count((m) => m.severity === 1 && m.fix !== undefined);
}
