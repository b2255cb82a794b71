// Bundles the extension client, the language server, the CLI and the ESLint options module into dist/.
//
// The server bundle is self-contained: ESLint, TypeScript, typescript-eslint and the plugin are
// inlined, so the VSIX runs with no node_modules beside it. TypeScript reads its default library
// files (lib.*.d.ts) next to the file that runs it, so they are copied into dist/ too.
//
// The CLI and the options module keep ESLint, TypeScript, typescript-eslint and the plugin external:
// they run from an installed package (node_modules present), ESLint's worker threads (--concurrency)
// start ESLint's own worker file from node_modules, and the workers must import the same plugin copy.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  minify: true,
  logLevel: 'warning',
};

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  { ...common, format: 'cjs', entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // jiti is ESLint's optional loader for eslint.config.ts; a workspace config in TypeScript runs
  // through the workspace's own ESLint (and its jiti), which the workspace mode prefers anyway.
  { ...common, format: 'cjs', entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', external: ['jiti', 'jiti/package.json'] },
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

const typescriptLib = path.join(root, 'node_modules/typescript/lib');
for (const name of fs.readdirSync(typescriptLib)) {
  if (/^lib\..*\.d\.ts$/u.test(name)) fs.copyFileSync(path.join(typescriptLib, name), path.join(root, 'dist', name));
}
