// The configurations `bench/speed.mjs` compares, and the flat config each one lints with.
//
// eslint, the parsers and both plugins are resolved from the repository root, never from
// bench/node_modules: a corpus may ship its own copies, and the benchmark must run the project's.
// They are loaded lazily so that the parent process, which only reads the labels, stays light.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));

/** typescript-eslint's promise rules, as a user would turn them on (default options). */
const TYPESCRIPT_ESLINT_ASYNC_RULES = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  '@typescript-eslint/return-await': 'error',
  // The typed version replaces the core rule, which must be off.
  'require-await': 'off',
  '@typescript-eslint/require-await': 'error',
};

/** In the order of a round; `rules` names the rule sets a configuration turns on. */
export const CONFIGS = [
  { id: 'a', label: '(a) typed parse floor, no rules', typed: true, rules: [] },
  { id: 'b', label: '(b) typed, typescript-eslint async rules', typed: true, rules: ['typescript-eslint'] },
  { id: 'c', label: '(c) typed, asyncguard recommended', typed: true, rules: ['asyncguard'] },
  { id: 'd', label: '(d) typed, (b) + (c)', typed: true, rules: ['typescript-eslint', 'asyncguard'] },
  { id: 'e-floor', label: '(e) untyped parse floor, no rules', typed: false, rules: [] },
  { id: 'e-ours', label: '(e) untyped, asyncguard recommended', typed: false, rules: ['asyncguard'] },
];

/** The rule set a rule id belongs to, for the per-group totals. */
export function ruleGroup(ruleId) {
  if (ruleId.startsWith('asyncguard/')) return 'asyncguard';
  if (ruleId.startsWith('@typescript-eslint/')) return 'typescript-eslint';
  return 'other';
}

export function configById(id) {
  const config = CONFIGS.find((candidate) => candidate.id === id);
  if (!config) throw new Error(`unknown configuration ${id}`);
  return config;
}

/**
 * The flat config of configuration `id` for a corpus `{ tsconfig }`. Typed configurations give the
 * parser the corpus tsconfig, so that it builds the program itself, as a user's ESLint run does.
 */
export function flatConfig(id, corpus) {
  const config = configById(id);
  const parserOptions = config.typed ? { project: corpus.tsconfig, tsconfigRootDir: path.dirname(corpus.tsconfig) } : {};
  const plugins = {};
  let rules = {};
  if (config.rules.includes('typescript-eslint')) {
    plugins['@typescript-eslint'] = requireFromRoot('typescript-eslint').plugin;
    rules = { ...rules, ...TYPESCRIPT_ESLINT_ASYNC_RULES };
  }
  if (config.rules.includes('asyncguard')) {
    const asyncguard = requireFromRoot('eslint-plugin-asyncguard');
    plugins.asyncguard = asyncguard;
    rules = { ...rules, ...asyncguard.configs.recommended.rules };
  }
  return [
    // ESLint ignores node_modules by default, and `ignore: false` does not lift that default (it only
    // drops the config's own global ignores, this one included); the corpus lives there.
    { name: 'bench/speed/lint-node-modules', ignores: ['!**/node_modules/'] },
    {
      name: `bench/speed/${id}`,
      files: ['**/*.ts'],
      languageOptions: { parser: requireFromRoot('@typescript-eslint/parser'), ecmaVersion: 'latest', sourceType: 'module', parserOptions },
      plugins,
      rules,
    },
  ];
}
