/**
 * Library resources that must be released, as data: one entry per kind of resource, saying where
 * it comes from, how it is made, and how it is let go. The resource model reads this; adding a
 * library is a data change here (or a user entry through the rule's options, same shape).
 */

/** How a resource is made. Paths start at the module (or global) and follow properties. */
export type Creation =
  /** `new Pool()` from `import { Pool } from 'pg'` → `{ construct: ['Pool'] }`. */
  | { construct: string[] }
  /** `open()` from `node:fs/promises` → `{ call: ['open'] }`; a global when `global` is set. */
  | { call: string[] }
  /**
   * `pool.connect()` on a resource of kind `on` → `{ method: 'connect', on: ['pg.Pool'] }`.
   * Untyped, when the receiver's origin is out of sight, `anyReceiver` accepts any receiver whose
   * name matches (a distinctive method such as `getConnection` or `newPage`).
   */
  | { method: string; on: string[]; anyReceiver?: RegExp };

export interface ResourceKind {
  /** Stable id, `<module>.<Type>`. */
  id: string;
  /** How messages name it: "pg pool client". */
  label: string;
  /** Modules (or `globalThis` for globals) whose exports create it. */
  modules: string[];
  create: Creation[];
  /** Methods that release it (`client.release()`). */
  releaseMethods?: string[];
  /** Functions that release it when given it as first argument (`clearInterval(t)`, `fs.closeSync(fd)`). */
  releaseFunctions?: string[];
  /** Whether the release returns a promise (so a fix writes `await x.close()`). */
  releaseIsAsync?: boolean;
  /** A session meant to be created once and shared (pool, agent, client). */
  reusable?: boolean;
  /** Methods that hand it to the runtime for good (a server's `listen`). */
  handOver?: string[];
  /**
   * A response whose body must be consumed or cancelled; `bodyField` names where the body lives
   * (`res.body`), and `consumeMethods` the reads that drain it.
   */
  body?: { bodyField?: string; consumeMethods: string[]; cancel: string };
  /** Given a callback argument, the creator hands the resource to it and returns nothing to track. */
  callbackStyle?: boolean;
  /** Released whenever the resource it was made from is (a page closes with its browser). */
  derived?: boolean;
  /**
   * `false` when the library's values have neither `[Symbol.asyncDispose]` nor `[Symbol.dispose]`
   * (checked against the versions the tests install): `await using` on one throws a TypeError.
   * Unset: unknown, or disposable.
   */
  disposable?: false;
  /**
   * Events after which the resource stays open until the code releases it: a socket's `timeout`
   * ("the connection will not be severed", Node's docs), unlike `error` and `end`, after which a
   * socket destroys itself. A listener for one must release it (`setTimeout(ms, cb)` adds one).
   */
  staysOpenAfter?: string[];
  /** What a leak of it costs beyond the leak, said in every message that names it. */
  leakNote?: string;
  /** TypeScript types of the library that are this resource, for typed receivers (`pool: Pool`). */
  types?: { package: string; name: string }[];
}

const both = (name: string) => [name, `node:${name}`];

const FETCH_BODY = { consumeMethods: ['text', 'json', 'arrayBuffer', 'blob', 'formData', 'bytes'], cancel: 'body.cancel' };
const UNDICI_BODY = {
  bodyField: 'body',
  consumeMethods: ['text', 'json', 'arrayBuffer', 'blob', 'bytes', 'dump', 'destroy', 'formData'],
  cancel: 'body.dump',
};
const BROWSER_RELEASE = ['close', 'disconnect'];

export const resourceCatalogue: ResourceKind[] = [
  // ---- HTTP clients and agents ----
  ...['Client', 'Pool', 'Agent', 'BalancedPool', 'ProxyAgent', 'EnvHttpProxyAgent'].map((type) => ({
    id: `undici.${type}`,
    disposable: false as const,
    label: `undici ${type}`,
    modules: ['undici'],
    create: [{ construct: [type] }],
    releaseMethods: ['close', 'destroy'],
    releaseIsAsync: true,
    reusable: true,
    types: [{ package: 'undici', name: type }, { package: 'undici-types', name: type }],
  })),
  {
    id: 'http.Agent',
    disposable: false,
    label: 'HTTP agent',
    modules: [...both('http'), ...both('https')],
    create: [{ construct: ['Agent'] }],
    releaseMethods: ['destroy'],
    reusable: true,
  },
  {
    id: 'fetch.Response',
    label: 'fetch response',
    modules: ['globalThis', 'undici', 'node-fetch'],
    create: [{ call: ['fetch'] }, { call: ['default'] }],
    body: FETCH_BODY,
  },
  {
    id: 'undici.ResponseData',
    label: 'undici response',
    modules: ['undici'],
    create: [{ call: ['request'] }],
    body: UNDICI_BODY,
  },

  // ---- databases ----
  {
    id: 'pg.Pool',
    disposable: false,
    label: 'pg pool',
    modules: ['pg', 'pg-pool'],
    create: [{ construct: ['Pool'] }, { construct: ['default', 'Pool'] }, { construct: ['default'] }],
    releaseMethods: ['end'],
    releaseIsAsync: true,
    reusable: true,
    types: [{ package: 'pg', name: 'Pool' }, { package: 'pg-pool', name: 'Pool' }],
  },
  {
    id: 'pg.Client',
    disposable: false,
    label: 'pg client',
    modules: ['pg'],
    create: [{ construct: ['Client'] }, { construct: ['default', 'Client'] }],
    releaseMethods: ['end'],
    releaseIsAsync: true,
    reusable: true,
    types: [{ package: 'pg', name: 'Client' }],
  },
  {
    id: 'pg.PoolClient',
    disposable: false,
    label: 'pg pool client',
    modules: ['pg'],
    create: [{ method: 'connect', on: ['pg.Pool'], anyReceiver: /pool/i }],
    releaseMethods: ['release'],
    callbackStyle: true,
    types: [{ package: 'pg', name: 'PoolClient' }],
  },
  ...['mysql2', 'mysql2/promise'].flatMap((module): ResourceKind[] => [
    {
      id: `${module}.Pool`,
      label: 'mysql2 pool',
      modules: [module],
      create: [{ call: ['createPool'] }, { call: ['default', 'createPool'] }],
      releaseMethods: ['end'],
      releaseIsAsync: module === 'mysql2/promise',
      reusable: true,
    },
    {
      id: `${module}.Connection`,
      label: 'mysql2 connection',
      modules: [module],
      create: [{ call: ['createConnection'] }, { call: ['default', 'createConnection'] }],
      releaseMethods: ['end', 'destroy'],
      releaseIsAsync: module === 'mysql2/promise',
      reusable: true,
    },
  ]),
  {
    id: 'mysql2.PoolConnection',
    label: 'mysql2 pool connection',
    modules: ['mysql2', 'mysql2/promise'],
    create: [{ method: 'getConnection', on: ['mysql2.Pool', 'mysql2/promise.Pool'], anyReceiver: /./ }],
    releaseMethods: ['release', 'destroy'],
    callbackStyle: true,
  },
  {
    id: 'mongodb.MongoClient',
    label: 'MongoClient',
    modules: ['mongodb'],
    create: [{ construct: ['MongoClient'] }, { call: ['MongoClient', 'connect'] }],
    releaseMethods: ['close'],
    callbackStyle: true,
    releaseIsAsync: true,
    reusable: true,
    types: [{ package: 'mongodb', name: 'MongoClient' }],
  },
  {
    id: 'ioredis.Redis',
    disposable: false,
    label: 'ioredis client',
    modules: ['ioredis'],
    create: [{ construct: [] }, { construct: ['default'] }, { construct: ['Redis'] }, { construct: ['Cluster'] }, { construct: ['default', 'Cluster'] }],
    releaseMethods: ['quit', 'disconnect'],
    releaseIsAsync: true,
    reusable: true,
  },
  {
    id: 'redis.Client',
    disposable: false,
    label: 'redis client',
    modules: ['redis', '@redis/client'],
    create: [{ call: ['createClient'] }, { call: ['createCluster'] }],
    releaseMethods: ['quit', 'disconnect', 'close', 'destroy'],
    releaseIsAsync: true,
    reusable: true,
  },

  // ---- files ----
  {
    id: 'fs.FileHandle',
    label: 'file handle',
    modules: [...both('fs/promises')],
    leakNote: 'Node.js 24 and later crash when a file handle is garbage-collected open',
    create: [{ call: ['open'] }],
    releaseMethods: ['close'],
    releaseIsAsync: true,
  },
  {
    id: 'fs.FileHandle(fs.promises)',
    label: 'file handle',
    modules: [...both('fs')],
    leakNote: 'Node.js 24 and later crash when a file handle is garbage-collected open',
    create: [{ call: ['promises', 'open'] }],
    releaseMethods: ['close'],
    releaseIsAsync: true,
  },
  {
    id: 'fs.Dir',
    label: 'directory handle',
    leakNote: 'Node.js warns when a directory handle is garbage-collected open, and is moving to crash as it does for file handles',
    modules: [...both('fs/promises')],
    create: [{ call: ['opendir'] }],
    releaseMethods: ['close'],
    releaseIsAsync: true,
  },
  {
    id: 'fs.fd',
    label: 'file descriptor',
    modules: [...both('fs')],
    create: [{ call: ['openSync'] }],
    releaseFunctions: ['closeSync', 'close'],
  },

  // ---- sockets and servers ----
  {
    id: 'net.Socket',
    label: 'socket',
    modules: [...both('net'), ...both('tls')],
    create: [{ call: ['connect'] }, { call: ['createConnection'] }, { construct: ['Socket'] }],
    // `end()` first: it flushes what was written, then closes; `destroy()` drops it.
    releaseMethods: ['end', 'destroy', 'destroySoon', 'resetAndDestroy'],
    staysOpenAfter: ['timeout'],
  },
  {
    id: 'net.Server',
    label: 'server',
    modules: [...both('net'), ...both('tls'), ...both('http'), ...both('https'), ...both('http2')],
    create: [{ call: ['createServer'] }, { call: ['createSecureServer'] }, { construct: ['Server'] }],
    releaseMethods: ['close', 'closeAllConnections'],
    handOver: ['listen'],
  },
  {
    id: 'ws.WebSocket',
    disposable: false,
    label: 'WebSocket',
    modules: ['ws'],
    create: [{ construct: [] }, { construct: ['default'] }, { construct: ['WebSocket'] }],
    releaseMethods: ['close', 'terminate'],
  },
  {
    id: 'ws.WebSocketServer',
    disposable: false,
    label: 'WebSocket server',
    modules: ['ws'],
    create: [{ construct: ['WebSocketServer'] }, { construct: ['Server'] }, { construct: ['default', 'Server'] }],
    releaseMethods: ['close'],
  },

  // ---- headless browsers ----
  ...['puppeteer', 'puppeteer-core'].map((module) => ({
    id: `${module}.Browser`,
    label: 'browser',
    modules: [module],
    create: [{ call: ['launch'] }, { call: ['default', 'launch'] }, { call: ['connect'] }, { call: ['default', 'connect'] }],
    releaseMethods: BROWSER_RELEASE,
    releaseIsAsync: true,
  })),
  ...['playwright', 'playwright-core', '@playwright/test'].map((module) => ({
    id: `${module}.Browser`,
    label: 'browser',
    modules: [module],
    create: ['chromium', 'firefox', 'webkit'].flatMap((engine) => [
      { call: [engine, 'launch'] },
      { call: ['default', engine, 'launch'] },
      { call: [engine, 'connect'] },
      { call: [engine, 'connectOverCDP'] },
    ]),
    releaseMethods: BROWSER_RELEASE,
    releaseIsAsync: true,
  })),
  {
    id: 'browser.Context',
    label: 'browser context',
    modules: [],
    create: [
      { method: 'newContext', on: ['playwright.Browser', 'playwright-core.Browser', '@playwright/test.Browser'], anyReceiver: /browser/i },
      { method: 'createBrowserContext', on: ['puppeteer.Browser', 'puppeteer-core.Browser'], anyReceiver: /browser/i },
      { method: 'createIncognitoBrowserContext', on: ['puppeteer.Browser', 'puppeteer-core.Browser'], anyReceiver: /browser/i },
    ],
    releaseMethods: ['close'],
    releaseIsAsync: true,
    derived: true,
  },
  {
    id: 'browser.Page',
    label: 'page',
    modules: [],
    create: [
      {
        method: 'newPage',
        on: ['puppeteer.Browser', 'puppeteer-core.Browser', 'playwright.Browser', 'playwright-core.Browser', '@playwright/test.Browser', 'browser.Context'],
        anyReceiver: /browser|context/i,
      },
    ],
    releaseMethods: ['close'],
    releaseIsAsync: true,
    derived: true,
  },

  // ---- timers ----
  {
    id: 'timers.Interval',
    label: 'interval timer',
    modules: ['globalThis', ...both('timers')],
    create: [{ call: ['setInterval'] }],
    releaseFunctions: ['clearInterval'],
    // `unref()` only stops the timer holding the process open; it keeps firing.
    releaseMethods: ['close'],
  },
];

/** Method names that release a resource known only by its type (`[Symbol.asyncDispose]`, no catalogue entry). */
export const GENERIC_RELEASE_METHODS = [
  'close', 'end', 'destroy', 'dispose', 'release', 'disconnect', 'quit', 'terminate', 'abort', 'cancel',
];
