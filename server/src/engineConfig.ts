/**
 * The embedded configuration: what asyncguard lints when it does not load the workspace's own ESLint
 * config. Pure data built from plain settings, so the same settings give the same ESLint options in
 * the main thread and in ESLint's worker threads (see `eslintOptionsModule.mts`).
 */
import type { ESLint, Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import plugin from 'eslint-plugin-asyncguard';

export type Concurrency = number | 'auto' | 'off';

/** Everything the embedded ESLint options depend on; JSON-serialisable by design. */
export interface EmbeddedSettings {
  /** ESLint's cwd: the base path of `files`/`ignores` patterns. */
  cwd: string;
  /** Directory of the tsconfig.json to type through, or null for untyped linting. */
  tsconfigRootDir: string | null;
  fix: boolean;
  concurrency: Concurrency;
  /** Options per rule name (`no-unbounded-read` → `{ maxBytes }`), for the rules the config turns on. */
  ruleOptions?: RuleOptions;
}

export type RuleOptions = Record<string, Record<string, unknown>>;

/** The files asyncguard lints. */
export const LINTED_FILES = ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'];

/** Dependencies, build outputs and declaration files: never worth linting, never ours to report. */
export const IGNORED_FILES = [
  '**/node_modules/',
  '**/dist/',
  '**/build/',
  '**/out/',
  '**/coverage/',
  '**/.next/',
  '**/.nuxt/',
  '**/.output/',
  '**/.svelte-kit/',
  '**/.turbo/',
  '**/.vscode-test/',
  '**/*.d.{ts,mts,cts}',
  '**/*.min.js',
];

/** The flat config array for the embedded mode. */
export function buildEmbeddedConfig(tsconfigRootDir: string | null, ruleOptions: RuleOptions = {}): Linter.Config[] {
  const recommended = plugin.configs.recommended as unknown as Linter.Config;
  // Options for a rule the recommended config runs; ESLint validates them against the rule's schema.
  const rules = Object.fromEntries(
    Object.entries(ruleOptions)
      .filter(([name]) => recommended.rules?.[`asyncguard/${name}`] !== undefined)
      .map(([name, options]) => [`asyncguard/${name}`, [recommended.rules![`asyncguard/${name}`] as Linter.RuleSeverity, options]]),
  ) as Linter.RulesRecord;
  return [
    { name: 'asyncguard/embedded/ignores', ignores: IGNORED_FILES },
    {
      name: 'asyncguard/embedded/language',
      files: LINTED_FILES,
      languageOptions: {
        parser: tsParser as unknown as Linter.Parser,
        // projectService finds each file's own tsconfig (nested projects, solution-style configs).
        // No allowDefaultProject: it rejects `**` globs, caps matches at 8 files and throws when a
        // file is both matched and in a project. The engine lints files outside every project untyped.
        parserOptions: tsconfigRootDir === null ? {} : { projectService: true, tsconfigRootDir },
      },
      linterOptions: {
        // The workspace's disable comments are about its own rules, which this mode does not load.
        reportUnusedDisableDirectives: 'off',
      },
    },
    { ...recommended, files: LINTED_FILES },
    ...(Object.keys(rules).length > 0 ? [{ name: 'asyncguard/embedded/rule-options', files: LINTED_FILES, rules }] : []),
  ];
}

/** ESLint constructor options for the embedded mode. */
export function buildEmbeddedOptions(settings: EmbeddedSettings): ESLint.Options {
  return {
    cwd: settings.cwd,
    // `true`: load no eslint.config.* at all; the workspace's config is a separate (trusted) mode.
    overrideConfigFile: true,
    overrideConfig: buildEmbeddedConfig(settings.tsconfigRootDir, settings.ruleOptions),
    // Our CLI takes paths, not globs; a file named `[id].ts` must mean that file.
    globInputPaths: false,
    // A path with nothing to lint is not an error here; callers decide what an empty run means.
    errorOnUnmatchedPattern: false,
    fix: settings.fix,
    concurrency: settings.concurrency,
  };
}

const SETTINGS_PARAM = 'settings';

/** Query string carrying settings to the options module (ESLint imports it by URL in each worker). */
export function encodeSettings(settings: EmbeddedSettings): string {
  return new URLSearchParams({ [SETTINGS_PARAM]: JSON.stringify(settings) }).toString();
}

export function decodeSettings(search: string): EmbeddedSettings {
  const json = new URLSearchParams(search).get(SETTINGS_PARAM);
  if (json === null) throw new Error(`asyncguard options module: missing "${SETTINGS_PARAM}" query parameter`);
  return JSON.parse(json) as EmbeddedSettings;
}

/** Full ids (`asyncguard/<name>`) of every rule the embedded config defines. */
export function embeddedRuleIds(): string[] {
  return Object.keys(plugin.rules).map((name) => `asyncguard/${name}`);
}
