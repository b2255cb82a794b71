/**
 * APIs that do I/O, as data: what the I/O model counts as talking to the outside world (network,
 * databases, the file system, child processes, browsers). Adding an API is a data change here.
 * Each Node.js module is listed under its bare and its `node:` name because imports and requires
 * use both. Clients made by a catalogue resource (`pool.query(…)` on a `pg` pool) come from the
 * resource catalogue, mapped to a family by `resourceFamilies`.
 */
import { promiseModules, type ModuleShape } from './promiseCatalogue';

export type IoFamily = 'network' | 'database' | 'file system' | 'child process' | 'browser' | 'declared';

export interface IoModule {
  family: IoFamily;
  /** Exports whose calls do I/O; nested objects are namespaces (`fs.promises.readFile`). */
  calls: ModuleShape;
  /** The module itself (for CommonJS, `module.exports`) is an I/O function: `axios(url)`, `got(url)`. */
  callable?: boolean;
  /** Exports that make a client whose promise-returning methods do I/O: `axios.create()`. */
  clients?: ModuleShape;
}

function names(list: readonly string[]): ModuleShape {
  return Object.fromEntries(list.map((name) => [name, true as const]));
}

/** `node:fs/promises`, and the callback forms of the same functions on `node:fs`, plus streams and fds. */
const fsPromiseNames = Object.keys(promiseModules['fs/promises']);
const fsCallbackNames = [...fsPromiseNames, 'createReadStream', 'createWriteStream', 'read', 'write', 'close', 'fsync', 'exists'];
const dnsNames = Object.keys(promiseModules['dns/promises']);
const httpVerbs = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const httpClient: IoModule = {
  family: 'network',
  calls: { ...names(httpVerbs), default: names(httpVerbs) },
  callable: true,
  clients: { ...names(['create', 'extend']), default: names(['create', 'extend']) },
};

export const ioModules: Record<string, IoModule> = {};
for (const [name, module] of Object.entries({
  'fs/promises': { family: 'file system', calls: names(fsPromiseNames) },
  fs: { family: 'file system', calls: { ...names(fsCallbackNames), promises: names(fsPromiseNames) } },
  child_process: { family: 'child process', calls: names(['exec', 'execFile', 'spawn', 'fork']) },
  http: { family: 'network', calls: names(['request', 'get']) },
  https: { family: 'network', calls: names(['request', 'get']) },
  'dns/promises': { family: 'network', calls: names(dnsNames) },
  dns: { family: 'network', calls: { ...names(dnsNames), promises: names(dnsNames) } },
} satisfies Record<string, IoModule>)) {
  ioModules[name] = module;
  ioModules[`node:${name}`] = module;
}
Object.assign(ioModules, {
  undici: { family: 'network', calls: names(['fetch', 'request', 'stream', 'pipeline', 'connect', 'upgrade']) },
  'node-fetch': { family: 'network', calls: names(['default']), callable: true },
  axios: httpClient,
  got: httpClient,
  ky: httpClient,
  execa: { family: 'child process', calls: names(['execa', 'execaCommand', 'execaNode', '$', 'default']) },
} satisfies Record<string, IoModule>);

/** Globals whose calls do I/O. */
export const ioGlobals: Record<string, IoFamily> = { fetch: 'network' };

/** `util.promisify(fn)` of an I/O function is an I/O function (`promisify(exec)`). */
export const promisifyModules = ['util', 'node:util'];

/**
 * Resource kinds (by the resource catalogue's id, up to its last dot) whose methods do I/O when
 * they return a promise: `pool.query(…)`, `collection.find(…).toArray()`, `page.goto(…)`. Pools and
 * clients made per element are `no-unclosed-session`'s business; their calls are ours.
 */
export const resourceFamilies: Record<string, IoFamily> = {
  undici: 'network',
  fetch: 'network',
  net: 'network',
  ws: 'network',
  pg: 'database',
  mysql2: 'database',
  'mysql2/promise': 'database',
  mongodb: 'database',
  ioredis: 'database',
  redis: 'database',
  fs: 'file system',
  puppeteer: 'browser',
  'puppeteer-core': 'browser',
  playwright: 'browser',
  'playwright-core': 'browser',
  '@playwright/test': 'browser',
  browser: 'browser',
};

/**
 * Typed mode: packages whose promise-returning functions and methods do I/O, found by where the
 * called signature is declared (`@types/<name>` counts as `<name>`). A scope (`@aws-sdk/`) covers
 * every package in it.
 */
export const ioPackages: Record<string, IoFamily> = {
  undici: 'network',
  'undici-types': 'network',
  'node-fetch': 'network',
  axios: 'network',
  got: 'network',
  ky: 'network',
  ws: 'network',
  '@aws-sdk/': 'network',
  '@smithy/': 'network',
  '@google-cloud/': 'network',
  pg: 'database',
  'pg-pool': 'database',
  mysql2: 'database',
  mongodb: 'database',
  mongoose: 'database',
  ioredis: 'database',
  redis: 'database',
  '@redis/': 'database',
  knex: 'database',
  kysely: 'database',
  sequelize: 'database',
  typeorm: 'database',
  'drizzle-orm': 'database',
  '@prisma/client': 'database',
  '.prisma': 'database',
  '@elastic/elasticsearch': 'database',
  execa: 'child process',
  puppeteer: 'browser',
  'puppeteer-core': 'browser',
  playwright: 'browser',
  'playwright-core': 'browser',
  '@playwright/test': 'browser',
};

/**
 * Typed mode: Node.js modules (as `@types/node` declares them) whose promise-returning functions do
 * I/O, and whose callback-style functions listed in `ioModules` do too.
 */
export const ioNodeModules: Record<string, IoFamily> = Object.fromEntries(
  Object.entries(ioModules)
    .filter(([name]) => name.startsWith('node:'))
    .map(([name, module]) => [name.slice('node:'.length), module.family]),
);
