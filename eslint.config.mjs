// The project lints itself: typescript-eslint's recommended rules, eslint-plugin-eslint-plugin on
// the rules and their tests, and asyncguard's own recommended config from the build (rules/dist),
// typed through the root tsconfig.json. `npm run lint` needs `npm run build` first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tseslint from 'typescript-eslint';

const builtPlugin = new URL('./rules/dist/index.js', import.meta.url);
if (!existsSync(builtPlugin)) {
  throw new Error('eslint.config.mjs lints with asyncguard from rules/dist: run `npm run build` first.');
}
const asyncguard = createRequire(import.meta.url)(builtPlugin.pathname);

// Node's own globals, read from the running Node: scripts and bin are not type-checked, so
// `no-undef` guards them, and a hand-kept list would drift.
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default defineConfig(
  {
    name: 'asyncguard/ignores',
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'rules/dist/**',
      // Deliberately buggy sample projects and typed-test fixtures are data, not code.
      'test-fixtures/**',
      'rules/tests/fixtures/**',
      '**/*.vsix',
      // Local scratch space and the e2e test's installed editor, never committed (.gitignore).
      'tmp/**',
      '.e2e/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'asyncguard/typed',
    files: ['**/*.{ts,mts,cts}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    name: 'asyncguard/node-scripts',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // No "type" in the root or rules package.json: .js is CommonJS here.
    name: 'asyncguard/commonjs',
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    ...eslintPlugin.configs['rules-recommended'],
    files: ['rules/src/rules/**/*.ts'],
  },
  {
    ...eslintPlugin.configs['tests-recommended'],
    files: ['rules/tests/rules/**/*.ts'],
  },
  asyncguard.configs.recommended,
  {
    name: 'asyncguard/unused-underscore',
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
