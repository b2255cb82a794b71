/**
 * Which configuration lints a workspace folder. Decided from files on disk, without executing any:
 * the workspace's own ESLint config only runs when the folder is trusted and that config mentions
 * asyncguard (or the user forces it); everything else gets the embedded default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigSource } from './engine';
import type { Settings } from './settings';

/** ESLint's flat config file names, in its own lookup order. */
export const ESLINT_CONFIG_FILES = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
];

export interface ConfigChoice {
  source: ConfigSource;
  /** Why, for the log. */
  reason: string;
  /** The workspace config file when `source` is `workspace`. */
  configFile?: string;
}

export function chooseConfigSource(folder: string, trusted: boolean, setting: Settings['configSource']): ConfigChoice {
  if (!trusted) return { source: 'embedded', reason: 'the workspace is not trusted: no workspace code runs' };
  if (setting === 'embedded') return { source: 'embedded', reason: 'the configSource setting asks for the embedded default' };
  const configFile = findConfigFile(folder);
  if (configFile === undefined) return { source: 'embedded', reason: `no eslint.config.* in ${folder}` };
  if (setting === 'workspace') return { source: 'workspace', reason: 'the configSource setting asks for the workspace config', configFile };
  if (mentionsAsyncguard(configFile)) return { source: 'workspace', reason: `${path.basename(configFile)} uses eslint-plugin-asyncguard`, configFile };
  return { source: 'embedded', reason: `${path.basename(configFile)} does not use eslint-plugin-asyncguard` };
}

function findConfigFile(folder: string): string | undefined {
  return ESLINT_CONFIG_FILES.map((name) => path.join(folder, name)).find((file) => fs.existsSync(file));
}

/** A textual check: reading the file is safe, importing it is not. */
function mentionsAsyncguard(configFile: string): boolean {
  try {
    return fs.readFileSync(configFile, 'utf8').includes('asyncguard');
  } catch {
    return false;
  }
}
