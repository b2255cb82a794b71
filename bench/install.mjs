// Installs the corpora (bench/package.json, exact versions, bench/package-lock.json) into
// bench/node_modules with `npm ci`, unless every pinned package is already there at its version.
// Install scripts never run (bench/.npmrc): the corpora are read, not executed.
//
//   node bench/install.mjs           install when missing or out of date
//   node bench/install.mjs --force   reinstall
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('.', import.meta.url));

/** The pinned packages that are missing or at another version than bench/package.json says. */
export function outdatedCorpora() {
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(BENCH, 'package.json'), 'utf8'));
  return Object.entries(dependencies).filter(([name, version]) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', name, 'package.json'), 'utf8')).version !== version;
    } catch {
      return true;
    }
  });
}

export function installCorpora({ force = false } = {}) {
  const outdated = outdatedCorpora();
  if (!force && outdated.length === 0) return false;
  if (outdated.length > 0) console.error(`bench: installing the corpora (${outdated.length} missing or outdated, e.g. ${outdated[0][0]}@${outdated[0][1]}) with npm ci in bench/ ...`);
  // cwd bench/ so that bench/.npmrc applies; the root's workspaces never see these packages.
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  if (npm.status !== 0) throw new Error(`npm ci in bench/ failed (exit ${npm.status ?? npm.signal})`);
  const still = outdatedCorpora();
  if (still.length > 0) throw new Error(`after npm ci, still missing: ${still.map(([name, version]) => `${name}@${version}`).join(', ')}`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const installed = installCorpora({ force: process.argv.includes('--force') });
  if (!installed) console.error('bench: the corpora are installed (bench/node_modules).');
}
