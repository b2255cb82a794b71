/**
 * Well-known APIs whose calls return promises, as data. The syntactic model (no type information)
 * trusts these; the typed model does not need them. Each module is listed under its bare and its
 * `node:` name because imports and requires use both.
 */

/** Module → exported function names whose calls return a promise. Nested objects are namespaces. */
export interface ModuleShape {
  [name: string]: true | ModuleShape;
}

const fsPromiseFunctions = [
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchmod', 'lchown', 'link', 'lstat',
  'lutimes', 'mkdir', 'mkdtemp', 'open', 'opendir', 'readFile', 'readdir', 'readlink', 'realpath',
  'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink', 'truncate', 'unlink', 'utimes', 'writeFile',
] as const;

const dnsPromiseFunctions = [
  'lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
] as const;

const httpVerbs = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'] as const;

function names(list: readonly string[]): ModuleShape {
  return Object.fromEntries(list.map((name) => [name, true as const]));
}

const fsPromises = names(fsPromiseFunctions);
const timersPromises: ModuleShape = { ...names(['setTimeout', 'setImmediate']), scheduler: names(['wait', 'yield']) };
const streamPromises = names(['pipeline', 'finished']);
const dnsPromises = names(dnsPromiseFunctions);
const events = { ...names(['once']), EventEmitter: names(['once']), default: names(['once']) };
const axiosLike: ModuleShape = { ...names(httpVerbs), default: names(httpVerbs) };

/** Modules whose listed exports return promises when called. */
export const promiseModules: Record<string, ModuleShape> = {};
for (const [name, shape] of Object.entries({
  'fs/promises': fsPromises,
  fs: { promises: fsPromises },
  'timers/promises': timersPromises,
  'stream/promises': streamPromises,
  stream: { promises: streamPromises },
  'dns/promises': dnsPromises,
  dns: { promises: dnsPromises },
  events,
})) {
  promiseModules[name] = shape;
  promiseModules[`node:${name}`] = shape;
}
Object.assign(promiseModules, {
  undici: names(['fetch', 'request', 'stream']),
  'node-fetch': names(['default']),
  axios: axiosLike,
  got: axiosLike,
} satisfies Record<string, ModuleShape>);

/** Modules whose default export (or the module itself, for CommonJS) is a promise-returning function. */
export const callableModules = new Set(['node-fetch', 'axios', 'got']);

/** Globals whose calls return promises. */
export const promiseGlobals: ModuleShape = {
  fetch: true,
  Promise: names(['all', 'allSettled', 'any', 'race', 'reject', 'resolve', 'try']),
};

/** `util.promisify(fn)` yields a function whose calls return promises. */
export const promisifyModules = ['util', 'node:util'];

/**
 * Globals whose `.then(fn)` chains are not promises (Cypress commands are queued, not awaited):
 * the untyped `.then(fn)` heuristic must not fire on chains rooted here.
 */
export const nonPromiseThenableRoots = new Set(['cy', 'Cypress']);
