import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const DIST = path.join(ROOT, 'dist');

/**
 * The CLI and server tests run the bundles, as users do. `npm test` builds first; a lone mocha run
 * bundles here when dist/ is missing (the plugin in rules/dist must be built already).
 */
export function ensureBundled(): void {
  const bundles = ['cli.js', 'server.js', 'eslint-options.mjs'].map((name) => path.join(DIST, name));
  if (bundles.every((file) => fs.existsSync(file))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/bundle.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
