// The folders the servers under test see, all in one scratch directory under os.tmpdir(): a pinned
// copy of the server bundle, typed projects and untyped folders for the generated files, and the
// mongodb workspace for the memory measurement. Nothing is written into the repository.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BENCH = path.join(ROOT, 'bench');
const BENCH_MODULES = path.join(BENCH, 'node_modules');
const MONGODB_TSCONFIG = path.join(BENCH, 'corpora', 'mongodb.tsconfig.json');
const DIST = path.join(ROOT, 'dist');

export function createScratch() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncguard-bench-server-'));
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * A copy of dist/server.js and the lib.*.d.ts files it reads beside itself: a rebuild by someone
 * else during the run (npm run build rewrites dist/) cannot swap the server between measurements.
 */
export function snapshotServer(scratch) {
  const source = path.join(DIST, 'server.js');
  if (!fs.existsSync(source)) throw new Error('dist/server.js is missing: run `npm run build` first.');
  const dir = path.join(scratch.root, 'server');
  fs.mkdirSync(dir);
  for (const name of fs.readdirSync(DIST)) {
    if (name === 'server.js' || /^lib\..*\.d\.ts$/u.test(name)) fs.copyFileSync(path.join(DIST, name), path.join(dir, name));
  }
  const bytes = fs.readFileSync(source);
  return {
    path: path.join(dir, 'server.js'),
    sha256: crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 12),
    builtAt: fs.statSync(source).mtime.toISOString(),
  };
}

/**
 * A project like test-fixtures/sample-service (same compiler options) holding only `text`, so the
 * program is the file, lib and @types/node + pg: the root's node_modules is linked in for pg.
 */
export function writeTypedProject(scratch, name, text) {
  const dir = path.join(scratch.root, `typed-${name}`);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const compilerOptions = {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['ES2023'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  };
  writeJson(path.join(dir, 'tsconfig.json'), { compilerOptions, include: ['src'] });
  writeJson(path.join(dir, 'package.json'), { name: `bench-typed-${name}`, private: true, type: 'module' });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = path.join(dir, 'src', 'service.ts');
  fs.writeFileSync(file, text);
  return { folder: dir, file };
}

/** The same text in a folder with no tsconfig.json at or above it: the server lints it untyped. */
export function writeUntypedFolder(scratch, name, text) {
  const dir = path.join(scratch.root, `untyped-${name}`);
  fs.mkdirSync(dir);
  const tsconfig = nearestTsconfig(dir);
  if (tsconfig !== null) throw new Error(`${tsconfig} is above the scratch folder: the "untyped" files would be typed through it`);
  const file = path.join(dir, 'service.ts');
  fs.writeFileSync(file, text);
  return { folder: dir, file };
}

/**
 * mongodb's src/ copied into a workspace of its own, with bench/corpora/mongodb.tsconfig.json's
 * compiler options (rootDir and include moved to the copy, typeRoots to bench/node_modules/@types),
 * the package's package.json (src requires ../package.json; no "type", so CommonJS as published)
 * and a node_modules link to bench/node_modules, where its dependencies and peers are installed.
 */
export function createMongoWorkspace(scratch) {
  const source = path.join(BENCH_MODULES, 'mongodb');
  const dir = path.join(scratch.root, 'mongodb-workspace');
  fs.cpSync(path.join(source, 'src'), path.join(dir, 'src'), { recursive: true });
  fs.copyFileSync(path.join(source, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(BENCH_MODULES, path.join(dir, 'node_modules'), 'dir');
  const corpus = readTsconfig(MONGODB_TSCONFIG);
  const tsconfig = {
    compilerOptions: { ...corpus.compilerOptions, rootDir: './src', typeRoots: [path.join(BENCH_MODULES, '@types')] },
    include: ['src/**/*'],
  };
  writeJson(path.join(dir, 'tsconfig.json'), tsconfig);
  const files = fs.readdirSync(path.join(dir, 'src'), { recursive: true }).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  const lines = files.reduce((sum, name) => sum + fs.readFileSync(path.join(dir, 'src', name), 'utf8').split('\n').length, 0);
  return { folder: dir, tsconfig: path.join(dir, 'tsconfig.json'), entry: path.join(dir, 'src', 'index.ts'), files: files.length, lines };
}

/** tsconfig files have comments: TypeScript's own reader. */
function readTsconfig(file) {
  const ts = createRequire(path.join(ROOT, 'package.json'))('typescript');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  return config;
}

function nearestTsconfig(dir) {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'tsconfig.json'))) return path.join(current, 'tsconfig.json');
    if (path.dirname(current) === current) return null;
  }
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
