// Bundles the extension client, the language server, the CLI and the ESLint options module into dist/.
// ESLint, TypeScript and typescript-eslint stay external: they are root `dependencies` loaded from
// node_modules at runtime (bundling them is a later VSIX packaging concern). So does the plugin
// (eslint-plugin-asyncguard, the `rules` workspace): its own dependencies may be installed under
// rules/node_modules, which only resolve from the plugin's own files, and one copy of it serves both
// the CLI/server bundle and the options module in the same process. The LSP libraries are bundled.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const external = ['eslint', 'typescript', 'typescript-eslint', '@typescript-eslint/*', 'eslint-plugin-asyncguard'];

/** @type {esbuild.BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  { ...common, format: 'cjs', entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, format: 'cjs', entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', external },
  { ...common, format: 'cjs', entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', external },
  {
    // Imported by URL in each of ESLint's worker threads (see server/src/eslintOptionsModule.mts).
    // ESM so that it can read its own URL.
    ...common,
    format: 'esm',
    entryPoints: ['server/src/eslintOptionsModule.mts'],
    outfile: 'dist/eslint-options.mjs',
    external,
  },
];

await Promise.all(bundles.map((options) => esbuild.build(options)));
