// The corpora: which installed files are linted, and which table row each belongs to.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = fileURLToPath(new URL('..', import.meta.url));
export const NODE_MODULES = path.join(BENCH, 'node_modules');

/**
 * The typed corpora: TypeScript sources shipped in a package, linted with type information through a
 * tsconfig of bench/corpora (the package's own compiler options where it ships them).
 */
export const TYPED_CORPORA = [
  {
    name: 'mongodb src (typed)',
    packageName: 'mongodb',
    tsconfig: path.join(BENCH, 'corpora', 'mongodb.tsconfig.json'),
    under: path.join(NODE_MODULES, 'mongodb', 'src'),
  },
  {
    name: '@grpc/grpc-js src (typed)',
    packageName: '@grpc/grpc-js',
    tsconfig: path.join(BENCH, 'corpora', 'grpc-js.tsconfig.json'),
    under: path.join(NODE_MODULES, '@grpc', 'grpc-js', 'src'),
  },
];

/**
 * The untyped rows: each is one or more packages of bench/package.json (as published, without their
 * own nested node_modules), optionally only some of their paths. Every other installed file (transitive
 * dependencies, mongodb's optional peers) counts only in the "all of bench/node_modules" row.
 */
export const CORPORA = [
  { name: 'mongodb (src + lib)', packages: ['mongodb'] },
  { name: 'undici lib', packages: ['undici'], paths: ['index.js', 'index-fetch.js', 'lib'] },
  { name: 'pg + pg-pool + pg-protocol', packages: ['pg', 'pg-pool', 'pg-protocol'] },
  { name: 'mysql2', packages: ['mysql2'] },
  { name: 'ioredis', packages: ['ioredis'] },
  { name: 'bullmq', packages: ['bullmq'] },
  { name: 'knex', packages: ['knex'] },
  { name: 'fastify', packages: ['fastify'] },
  { name: 'ws', packages: ['ws'] },
  { name: 'redis (@redis/*)', packages: ['redis', '@redis/client', '@redis/bloom', '@redis/json', '@redis/search', '@redis/time-series'] },
  { name: 'typeorm', packages: ['typeorm'] },
  { name: 'sequelize', packages: ['sequelize'] },
  { name: 'mongoose', packages: ['mongoose'] },
  { name: 'kafkajs', packages: ['kafkajs'] },
  { name: 'amqplib', packages: ['amqplib'] },
  { name: '@grpc/grpc-js', packages: ['@grpc/grpc-js'] },
  { name: 'got', packages: ['got'] },
  { name: 'p-queue + bottleneck + generic-pool', packages: ['p-queue', 'bottleneck', 'generic-pool'] },
  { name: 'openai', packages: ['openai'] },
  { name: 'stripe', packages: ['stripe'] },
  { name: 'twilio', packages: ['twilio'] },
  { name: '@elastic/elasticsearch', packages: ['@elastic/elasticsearch'] },
  { name: '@azure/storage-blob + service-bus', packages: ['@azure/storage-blob', '@azure/service-bus'] },
  { name: '@azure/cosmos', packages: ['@azure/cosmos'] },
  { name: '@aws-sdk/client-s3', packages: ['@aws-sdk/client-s3'] },
  { name: 'firebase-admin', packages: ['firebase-admin'] },
  { name: 'googleapis', packages: ['googleapis'] },
  { name: '@opentelemetry/*', packages: ['@opentelemetry/'] },
  { name: '@nestjs/core + common', packages: ['@nestjs/core', '@nestjs/common'] },
  { name: '@apollo/server + graphql', packages: ['@apollo/server', 'graphql'] },
  { name: 'rxjs', packages: ['rxjs'] },
];

/** Lines as an editor numbers them: newlines + 1 (the same count in every bench table). */
export function countLines(text) {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}

const LINTED_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
const DECLARATION = /\.d\.[cm]?ts$/;
export const MAX_FILE_BYTES = 1_000_000;

/**
 * Every lintable file under bench/node_modules, sorted: `{ files: [{ path, bytes }], skipped: [{ path, reason }] }`.
 * Declaration files are not code and are not listed at all; files over 1 MB and `*.min.js` are skipped
 * (minified files without that name are found by the linting side, which reads the text).
 */
export function listFiles(dir = NODE_MODULES) {
  const files = [];
  const skipped = [];
  const walk = (current) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.bin' && entry.name !== '.cache') walk(full);
        continue;
      }
      if (!entry.isFile() || !LINTED_EXTENSIONS.has(path.extname(entry.name)) || DECLARATION.test(entry.name)) continue;
      const bytes = fs.statSync(full).size;
      if (bytes > MAX_FILE_BYTES) skipped.push({ path: full, reason: `${(bytes / 1e6).toFixed(1)} MB, over 1 MB` });
      else if (/\.min\.[cm]?js$/.test(entry.name)) skipped.push({ path: full, reason: 'minified (*.min.js)' });
      else files.push({ path: full, bytes });
    }
  };
  walk(dir);
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, skipped };
}

/** The package directory a file belongs to directly (not through a nested node_modules), e.g. `@redis/client`. */
export function owningPackage(file) {
  const relative = path.relative(NODE_MODULES, file).split(path.sep);
  if (relative.includes('node_modules')) return null;
  return relative[0].startsWith('@') ? `${relative[0]}/${relative[1]}` : relative[0];
}

/** The corpus row a file belongs to, or null (transitive dependencies, optional peers). */
export function corpusOf(file) {
  const pkg = owningPackage(file);
  if (pkg === null) return null;
  for (const corpus of CORPORA) {
    const matches = corpus.packages.some((name) => (name.endsWith('/') ? pkg.startsWith(name) : pkg === name));
    if (!matches) continue;
    if (!corpus.paths) return corpus.name;
    const inside = path.relative(path.join(NODE_MODULES, pkg), file);
    return corpus.paths.some((p) => inside === p || inside.startsWith(p + path.sep)) ? corpus.name : null;
  }
  return null;
}

/** Installed version of a package, for the table's labels. */
export function installedVersion(pkg) {
  try {
    return JSON.parse(fs.readFileSync(path.join(NODE_MODULES, pkg, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

const packageTypeCache = new Map();

/** `type` of the nearest package.json above `dir` ('module' or 'commonjs'). */
function packageType(dir) {
  if (packageTypeCache.has(dir)) return packageTypeCache.get(dir);
  let type;
  const manifest = path.join(dir, 'package.json');
  if (fs.existsSync(manifest)) {
    try {
      type = JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    } catch {
      type = 'commonjs';
    }
  } else {
    const parent = path.dirname(dir);
    type = parent === dir || dir === BENCH ? 'commonjs' : packageType(parent);
  }
  packageTypeCache.set(dir, type);
  return type;
}

/** How Node would load the file: `.mjs`/`.mts` are modules, `.cjs`/`.cts` CommonJS, `.js` as its package says, `.ts` a module. */
export function sourceTypeOf(file) {
  switch (path.extname(file)) {
    case '.mjs':
    case '.mts':
    case '.ts':
      return 'module';
    case '.cjs':
    case '.cts':
      return 'commonjs';
    default:
      return packageType(path.dirname(file));
  }
}
