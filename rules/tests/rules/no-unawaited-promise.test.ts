import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { CATCH_HANDLER, type MessageId, type Options } from '../../src/rules/no-unawaited-promise';
import { typedFile, typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, type Expect as CaseExpect } from '../cases';

type Invalid = InvalidTestCase<MessageId, Options>;
type Valid = ValidTestCase<Options> | string;

type Expect = CaseExpect<MessageId>;

/** An invalid case stated as the text each report covers and the edits it suggests (`../cases`). */
const invalid = (code: string, expects: Expect[], options?: Options[0]): Invalid => invalidCase<MessageId, Options>(code, expects, options);

/** The three edits offered for a dropped promise statement inside an async function. */
function dropped(statement: string, expression = statement.replace(/;$/, '')): [MessageId, [string, string]][] {
  return [
    ['addAwait', [statement, `await ${statement}`]],
    ['addVoid', [statement, `void ${statement}`]],
    ['addCatch', [statement, `${expression}${CATCH_HANDLER}${statement.slice(expression.length)}`]],
  ];
}

// ---------------------------------------------------------------------------------------------
// Cases that hold with and without type information: the syntactic model must see what the
// checker sees for these shapes.
// ---------------------------------------------------------------------------------------------

const validBoth: Valid[] = [
  // awaited, returned, explicitly fire-and-forget, handled
  `export async function f(url: string) { await fetch(url); }`,
  `export function f(url: string) { return fetch(url); }`,
  `export async function f(url: string) { return await fetch(url); }`,
  `export function f(url: string) { void fetch(url); }`,
  `export function f(url: string) { fetch(url).catch((error) => console.error(error)); }`,
  `export function f(url: string, onError: (e: unknown) => void) { fetch(url).catch(onError); }`,
  `export function f(url: string) { fetch(url).then((r) => r.status, () => undefined); }`,
  `export function f(url: string) { fetch(url).catch(() => {}).finally(() => {}); }`,
  `export async function f(url: string) { const r = fetch(url); await r; }`,
  `export async function f(urls: string[]) { await Promise.all(urls.map(async (u) => fetch(u))); }`,
  `export function f(urls: string[]) { return urls.map(async (u) => fetch(u)); }`,
  `export async function f(urls: string[]) { for (const u of urls) await fetch(u); }`,
  // assigned somewhere that outlives the call
  `export class Poller { pending?: Promise<Response>; start(url: string) { this.pending = fetch(url); } }`,
  // not promises
  `export function f(items: number[]) { items.forEach((x) => console.log(x)); }`,
  `function fetch(url: string) { return url.length; } export function f() { fetch('x'); }`,
  `export async function* gen() { yield 1; } export function f() { gen(); }`,
  `export function f(p: { then: number }) { p.then; }`,
  // callbacks whose promise is awaited by the caller: frameworks and test runners
  `declare const app: { get(path: string, handler: (req: unknown, res: unknown) => void): void };
export function routes() { app.get('/orders', async (req, res) => { await fetch('/x'); }); }`,
  `declare function it(name: string, fn: () => void): void;
it('loads', async () => { await fetch('/x'); });`,
  `declare function test(name: string, fn: () => void): void;
test.only = test; test('loads', async () => { await fetch('/x'); });`,
  // synchronous callbacks in void positions
  `import { EventEmitter } from 'node:events'; const e = new EventEmitter(); e.on('x', () => {});`,
  `export function f() { setTimeout(() => {}, 10); }`,
  // a normal executor
  `export const p = new Promise<void>((resolve) => setTimeout(resolve, 10));`,
  // a local awaited on every path, including an early return and a finally
  `export async function f(url: string, quick: boolean) {
  const response = fetch(url);
  if (quick) return response;
  await response;
}`,
  `export async function f(url: string, check: () => Promise<void>) {
  const response = fetch(url);
  try {
    await check();
  } finally {
    await response;
  }
}`,
  // a local handed on: passed to a call, raced, captured by a closure, exported
  `export async function f(url: string) { const p = fetch(url); await Promise.race([p, new Promise((r) => setTimeout(r, 10))]); }`,
  `export function f(url: string, track: (p: Promise<unknown>) => void) { const p = fetch(url); track(p); }`,
  `export function f(url: string, emitter: { on(e: string, cb: () => void): void }) { const p = fetch(url); emitter.on('close', () => { void p; }); }`,
  `export const ready = fetch('https://example.com');`,
  // a local whose rejection is already handled may be dropped
  `export function f(url: string) { const p = fetch(url).catch(() => null); return 1; }`,
  // presence tests on a promise that may be absent are not truthiness mistakes
  `export class Queue {
  pending: Promise<void> | undefined;
  async drain() { if (this.pending) await this.pending; }
}`,
  `export async function f(p: Promise<number> | undefined) { if (p) await p; return p ? 1 : 0; }`,
  // a local that holds a promise only on one branch may be dropped on the other
  `export async function f(url: string, eager: boolean) {
  const early = eager ? fetch(url) : null;
  if (early) await early;
}`,
  // async functions that cannot reject (the whole body is a try whose catch does not rethrow)
  `async function refresh() {
  try {
    await fetch('/refresh');
  } catch (error) {
    console.error(error);
  }
}
export function f() { refresh(); }`,
  `import { EventEmitter } from 'node:events';
const bus = new EventEmitter();
bus.on('order', async (id: string) => {
  try {
    await fetch(id);
  } catch {
    // logged elsewhere
  }
});`,
  // known-safe calls, by name
  {
    code: `async function flushMetrics() {} export function f() { flushMetrics(); }`,
    options: [{ allowForKnownSafeCalls: ['flushMetrics'] }],
  },
  // a pool client's release() is synchronous: nothing to await
  `import pg from 'pg';
const pool = new pg.Pool();
export async function f() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    client.release();
  }
}`,
  // checkLocals: false
  {
    code: `export async function f(url: string, quick: boolean) { const p = fetch(url); if (quick) return; await p; }`,
    options: [{ checkLocals: false }],
  },
];

const invalidBoth: Invalid[] = [
  // ---- dropped promise statements ----
  invalid(
    `export async function sync(url: string) {
  fetch(url);
}`,
    [{ messageId: 'floating', text: 'fetch(url)', data: { what: '`fetch(…)`' }, suggest: dropped('fetch(url);') }],
  ),
  invalid(
    `import { readFile, writeFile as write } from 'node:fs/promises';
export async function copy(a: string, b: string) {
  readFile(a);
  write(b, 'x');
}`,
    [
      { messageId: 'floating', text: 'readFile(a)', suggest: dropped('readFile(a);') },
      { messageId: 'floating', text: "write(b, 'x')", suggest: dropped("write(b, 'x');") },
    ],
  ),
  invalid(
    `import * as fsp from 'fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
export async function f() {
  fsp.mkdir('out');
  sleep(10);
}`,
    [
      { messageId: 'floating', text: "fsp.mkdir('out')", suggest: dropped("fsp.mkdir('out');") },
      { messageId: 'floating', text: 'sleep(10)', suggest: dropped('sleep(10);') },
    ],
  ),
  // local async functions, arrows and methods
  invalid(
    `async function load() { return 1; }
const save = async () => {};
export async function run() {
  load();
  save();
}`,
    [
      { messageId: 'floating', text: 'load()', occurrence: 1, suggest: dropped('load();') },
      { messageId: 'floating', text: 'save()', occurrence: 0, suggest: dropped('save();') },
    ],
  ),
  invalid(
    `class Repo {
  async save() {}
  static async open() { return new Repo(); }
  store() {
    this.save();
  }
}
export function main() {
  const repo = new Repo();
  repo.save();
  Repo.open();
}`,
    [
      {
        messageId: 'floating',
        text: 'this.save()',
        suggest: [
          ['addVoid', ['this.save();', 'void this.save();']],
          ['addCatch', ['this.save();', `this.save()${CATCH_HANDLER};`]],
        ],
      },
      {
        messageId: 'floating',
        text: 'repo.save()',
        suggest: [
          ['addVoid', ['repo.save();', 'void repo.save();']],
          ['addCatch', ['repo.save();', `repo.save()${CATCH_HANDLER};`]],
        ],
      },
      {
        messageId: 'floating',
        text: 'Repo.open()',
        occurrence: 0,
        suggest: [
          ['addVoid', ['Repo.open();', 'void Repo.open();']],
          ['addCatch', ['Repo.open();', `Repo.open()${CATCH_HANDLER};`]],
        ],
      },
    ],
  ),
  // `.then` without a rejection handler, `.catch` with none, `.finally` passing a rejection through
  invalid(
    `export async function f(url: string) {
  fetch(url).then((r) => r.status);
  fetch(url).catch();
  fetch(url).finally(() => {});
}`,
    [
      { messageId: 'floating', text: 'fetch(url).then((r) => r.status)', suggest: dropped('fetch(url).then((r) => r.status);') },
      {
        messageId: 'floatingUselessRejectionHandler',
        text: 'fetch(url).catch()',
        suggest: [
          ['addAwait', ['fetch(url).catch();', 'await fetch(url).catch();']],
          ['addVoid', ['fetch(url).catch();', 'void fetch(url).catch();']],
        ],
      },
      {
        messageId: 'floating',
        text: 'fetch(url).finally(() => {})',
        suggest: dropped('fetch(url).finally(() => {});'),
      },
    ],
  ),
  invalid(
    `export async function f(url: string) {
  fetch(url).then(() => {}, undefined);
  fetch(url).catch(null);
}`,
    [
      {
        messageId: 'floatingUselessRejectionHandler',
        text: 'fetch(url).then(() => {}, undefined)',
        suggest: [
          ['addAwait', ['fetch(url).then(() => {}, undefined);', 'await fetch(url).then(() => {}, undefined);']],
          ['addVoid', ['fetch(url).then(() => {}, undefined);', 'void fetch(url).then(() => {}, undefined);']],
        ],
      },
      {
        messageId: 'floatingUselessRejectionHandler',
        text: 'fetch(url).catch(null)',
        suggest: [
          ['addAwait', ['fetch(url).catch(null);', 'await fetch(url).catch(null);']],
          ['addVoid', ['fetch(url).catch(null);', 'void fetch(url).catch(null);']],
        ],
      },
    ],
  ),
  // optional calls, ternaries, sequences, IIFEs, Promise statics, new Promise
  invalid(
    `class Client { async close() {} }
export async function f(a: boolean) {
  const client = new Client() as Client | undefined;
  client?.close();
  a ? fetch('a') : undefined;
  (fetch('b'), 1);
  (async () => { await fetch('c'); })();
  Promise.resolve(1);
  new Promise((resolve) => resolve(1));
}`,
    [
      { messageId: 'floating', text: 'client?.close()', suggest: dropped('client?.close();') },
      {
        messageId: 'floating',
        text: "a ? fetch('a') : undefined",
        data: { what: '`fetch(…)`' },
        suggest: [
          ['addAwait', ["a ? fetch('a') : undefined;", "await (a ? fetch('a') : undefined);"]],
          ['addVoid', ["a ? fetch('a') : undefined;", "void (a ? fetch('a') : undefined);"]],
          // no `.catch` on a value that may be undefined
        ],
      },
      {
        messageId: 'floating',
        text: "fetch('b'), 1",
        data: { what: '`fetch(…)`' },
        suggest: [['addVoid', ["(fetch('b'), 1);", "void (fetch('b'), 1);"]]],
      },
      {
        messageId: 'floating',
        text: "(async () => { await fetch('c'); })()",
        data: { what: 'this immediately-invoked function' },
        suggest: dropped("(async () => { await fetch('c'); })();"),
      },
      { messageId: 'floating', text: 'Promise.resolve(1)', suggest: dropped('Promise.resolve(1);') },
      {
        messageId: 'floating',
        text: 'new Promise((resolve) => resolve(1))',
        suggest: dropped('new Promise((resolve) => resolve(1));'),
      },
    ],
  ),
  // arrays of promises
  invalid(
    `export async function f(urls: string[]) {
  urls.map(async (u) => fetch(u));
  [fetch('a'), fetch('b')];
}`,
    [
      {
        messageId: 'floatingArray',
        text: 'urls.map(async (u) => fetch(u))',
        suggest: [['awaitAll', ['urls.map(async (u) => fetch(u))', 'await Promise.all(urls.map(async (u) => fetch(u)))']]],
      },
      {
        messageId: 'floatingArray',
        text: "[fetch('a'), fetch('b')]",
        suggest: [['awaitAll', ["[fetch('a'), fetch('b')]", "await Promise.all([fetch('a'), fetch('b')])"]]],
      },
    ],
  ),
  // a catch that rethrows (or awaits) can still reject
  invalid(
    `async function risky() {
  try {
    await fetch('/x');
  } catch (error) {
    throw new Error('failed', { cause: error });
  }
}
export async function f() {
  risky();
  setTimeout(async () => {
    try {
      await fetch('/y');
    } catch {
      await fetch('/report');
    }
  }, 10);
}`,
    [
      { messageId: 'floating', text: 'risky()', occurrence: 1, suggest: dropped('risky();') },
      { messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'setTimeout', detail: '' } },
    ],
  ),
  // not in an async function: no `await` offered
  invalid(
    `export function f(url: string) {
  fetch(url);
}`,
    [
      {
        messageId: 'floating',
        text: 'fetch(url)',
        suggest: [
          ['addVoid', ['fetch(url);', 'void fetch(url);']],
          ['addCatch', ['fetch(url);', `fetch(url)${CATCH_HANDLER};`]],
        ],
      },
    ],
  ),

  // ---- async callbacks in void positions ----
  invalid(
    `export async function notify(users: string[]) {
  users.forEach(async (user) => {
    await fetch(user);
  });
}`,
    [
      {
        messageId: 'misusedAsyncCallback',
        text: 'async (user) =>',
        data: { callee: 'users.forEach', detail: ', and nothing waits for it to finish' },
        suggest: [
          [
            'forEachToPromiseAll',
            [
              'users.forEach(async (user) => {\n    await fetch(user);\n  })',
              'await Promise.all(users.map(async (user) => {\n    await fetch(user);\n  }))',
            ],
          ],
          [
            'forEachToForOf',
            [
              'users.forEach(async (user) => {\n    await fetch(user);\n  });',
              'for (const user of users) {\n    await fetch(user);\n  }',
            ],
          ],
        ],
      },
    ],
  ),
  invalid(
    `import { EventEmitter } from 'node:events';
const bus = new EventEmitter();
bus.on('order', async (id: string) => { await fetch(id); });
process.on('SIGTERM', async () => { await fetch('/bye'); });
setTimeout(async () => { await fetch('/t'); }, 10);
setInterval(async function tick() { await fetch('/i'); }, 10);`,
    [
      { messageId: 'misusedAsyncCallback', text: 'async (id: string) =>', data: { callee: 'bus.on', detail: '' } },
      { messageId: 'misusedAsyncCallback', text: 'async () =>', occurrence: 0, data: { callee: 'process.on', detail: '' } },
      { messageId: 'misusedAsyncCallback', text: 'async () =>', occurrence: 1, data: { callee: 'setTimeout', detail: '' } },
      { messageId: 'misusedAsyncCallback', text: 'async function tick', data: { callee: 'setInterval', detail: '' } },
    ],
  ),
  // a local function that ignores what its callback returns
  invalid(
    `function withRetry(work: () => void) {
  for (let i = 0; i < 3; i++) {
    work();
  }
}
export function f() {
  withRetry(async () => { await fetch('/x'); });
}`,
    [{ messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'withRetry', detail: '' } }],
  ),
  // async predicates
  invalid(
    `export async function f(ids: string[], exists: (id: string) => Promise<boolean>) {
  const found = ids.filter(async (id) => exists(id));
  const any = ids.some(async (id) => exists(id));
  return [found, any];
}`,
    [
      { messageId: 'asyncPredicate', text: 'async (id) =>', occurrence: 0, data: { callee: 'ids.filter' } },
      { messageId: 'asyncPredicate', text: 'async (id) =>', occurrence: 1, data: { callee: 'ids.some' } },
    ],
  ),
  // a promise in a condition
  invalid(
    `async function isReady() { return true; }
export async function f() {
  if (isReady()) return 1;
  while (!isReady()) break;
  return isReady() ? 2 : 3;
}`,
    [
      {
        messageId: 'conditional',
        text: 'isReady()',
        occurrence: 1,
        suggest: [['addAwait', ['if (isReady())', 'if (await isReady())']]],
      },
      {
        messageId: 'conditional',
        text: 'isReady()',
        occurrence: 2,
        suggest: [['addAwait', ['while (!isReady())', 'while (!await isReady())']]],
      },
      {
        messageId: 'conditional',
        text: 'isReady()',
        occurrence: 3,
        suggest: [['addAwait', ['return isReady() ?', 'return await isReady() ?']]],
      },
    ],
  ),
  // an async executor
  invalid(`export const p = new Promise(async (resolve) => { resolve(await fetch('/x')); });`, [
    { messageId: 'asyncExecutor', text: 'async' },
  ]),
  // … that never awaits: autofixed by dropping `async`, so a throw inside rejects the promise
  {
    ...invalid(
      `export function delay(ms: number) {
  return new Promise<void>(async (resolve, reject) => {
    if (ms < 0) throw new RangeError('negative delay');
    setTimeout(resolve, ms);
  });
}`,
      [{ messageId: 'asyncExecutor', text: 'async' }],
    ),
    output: `export function delay(ms: number) {
  return new Promise<void>((resolve, reject) => {
    if (ms < 0) throw new RangeError('negative delay');
    setTimeout(resolve, ms);
  });
}`,
  },
  {
    ...invalid(`export const started = new Promise(async () => { console.log('started'); });`, [{ messageId: 'asyncExecutor', text: 'async' }]),
    output: `export const started = new Promise(() => { console.log('started'); });`,
  },
  {
    ...invalid(`export const one = new Promise(async resolve => resolve(1));`, [{ messageId: 'asyncExecutor', text: 'async' }]),
    output: `export const one = new Promise(resolve => resolve(1));`,
  },
  {
    ...invalid(`export const one = new Promise(async function (resolve, reject) { resolve(1); });`, [
      { messageId: 'asyncExecutor', text: 'async' },
    ]),
    output: `export const one = new Promise(function (resolve, reject) { resolve(1); });`,
  },
  {
    ...invalid(`export const never = new Promise(async function start() { throw new Error('boom'); });`, [
      { messageId: 'asyncExecutor', text: 'async' },
    ]),
    output: `export const never = new Promise(function start() { throw new Error('boom'); });`,
  },
  // parenthesised, type-asserted, with a comment after `async` (kept)
  {
    ...invalid(`export const one = new Promise((async (resolve) => resolve(1)));`, [{ messageId: 'asyncExecutor', text: 'async' }]),
    output: `export const one = new Promise(((resolve) => resolve(1)));`,
  },
  {
    ...invalid(`export const one = new Promise<number>((async (resolve) => resolve(1)) as any);`, [
      { messageId: 'asyncExecutor', text: 'async' },
    ]),
    output: `export const one = new Promise<number>(((resolve) => resolve(1)) as any);`,
  },
  {
    ...invalid(`export const one = new Promise(async /* no await */ (resolve) => resolve(1));`, [
      { messageId: 'asyncExecutor', text: 'async' },
    ]),
    output: `export const one = new Promise(/* no await */ (resolve) => resolve(1));`,
  },
  // only a nested function awaits: its awaits are its own, the executor's `async` still goes
  {
    ...invalid(
      `export const loaded = new Promise(async (resolve, reject) => {
  const load = async () => {
    for await (const chunk of [fetch('/a')]) await chunk;
  };
  load().then(resolve, reject);
});`,
      [{ messageId: 'asyncExecutor', text: 'async', occurrence: 0 }],
    ),
    output: `export const loaded = new Promise((resolve, reject) => {
  const load = async () => {
    for await (const chunk of [fetch('/a')]) await chunk;
  };
  load().then(resolve, reject);
});`,
  },
  {
    ...invalid(
      `export const loaded = new Promise(async function (resolve) {
  setTimeout(async function () { resolve(await fetch('/a')); }, 10);
});`,
      [
        { messageId: 'asyncExecutor', text: 'async', occurrence: 0 },
        { messageId: 'misusedAsyncCallback', text: 'async function', occurrence: 1, data: { callee: 'setTimeout', detail: '' } },
      ],
    ),
    output: `export const loaded = new Promise(function (resolve) {
  setTimeout(async function () { resolve(await fetch('/a')); }, 10);
});`,
  },
  // the executor itself awaits (`await`, `for await`, `await using`): reported, not autofixed
  {
    ...invalid(
      `export const body = new Promise(async (resolve) => {
  const response = await fetch('/x');
  resolve(response);
});`,
      [{ messageId: 'asyncExecutor', text: 'async' }],
    ),
    output: null,
  },
  {
    ...invalid(
      `export const first = new Promise(async (resolve) => {
  for await (const response of [fetch('/a')]) resolve(response);
});`,
      [{ messageId: 'asyncExecutor', text: 'async' }],
    ),
    output: null,
  },
  {
    ...invalid(
      `declare function lock(): AsyncDisposable;
export const locked = new Promise<void>(async (resolve) => {
  await using held = lock();
  resolve();
});`,
      [{ messageId: 'asyncExecutor', text: 'async', occurrence: 0 }],
    ),
    output: null,
  },
  // no `await`, but dropping `async` would break a declared `Promise` return type, or an async generator
  {
    ...invalid(`export const one = new Promise<number>(async (resolve): Promise<void> => resolve(1));`, [
      { messageId: 'asyncExecutor', text: 'async' },
    ]),
    output: null,
  },
  {
    ...invalid(`export const never = new Promise(async function* (resolve) { yield resolve(1); });`, [
      { messageId: 'asyncExecutor', text: 'async' },
    ]),
    output: null,
  },

  // ---- a promise bound to a local, dropped on some path ----
  invalid(
    `export async function f(url: string, quick: boolean) {
  const response = fetch(url);
  if (quick) return null;
  return await response;
}`,
    [{ messageId: 'unawaitedLocal', text: 'response', data: { name: 'response', where: 'when the function returns at line 3' } }],
  ),
  invalid(
    `export async function f(url: string, valid: boolean) {
  const response = fetch(url);
  if (!valid) throw new Error('invalid');
  await response;
}`,
    [{ messageId: 'unawaitedLocal', text: 'response', data: { name: 'response', where: 'when it throws at line 3' } }],
  ),
  invalid(
    `export function f(url: string) {
  const pending = fetch(url);
  console.log('started');
}`,
    [{ messageId: 'unawaitedLocal', text: 'pending', data: { name: 'pending', where: 'by the end of the function' } }],
  ),
  invalid(
    `export async function f(urls: string[]) {
  for (const url of urls) {
    const response = fetch(url);
    if (url.endsWith('/')) continue;
    await response;
  }
}`,
    [{ messageId: 'unawaitedLocal', text: 'response', data: { name: 'response', where: 'when the loop continues at line 4' } }],
  ),
  invalid(
    `export async function f(urls: string[]) {
  const all = urls.map(async (url) => fetch(url));
  return all.length;
}`,
    [{ messageId: 'unawaitedLocal', text: 'all', data: { name: 'all', where: 'when the function returns at line 3' } }],
  ),
];

// ---------------------------------------------------------------------------------------------
// Typed only: what needs the checker (declared types, parameters, thenables, void-typed params).
// ---------------------------------------------------------------------------------------------

const validTyped: Valid[] = [
  // a callback parameter typed to accept promises
  `function run(work: () => Promise<void> | void): void { void work(); }
export function f() { run(async () => {}); }`,
  // a handler whose declared result may be a thenable besides void (an RPC library's request
  // handler shape): the library waits for what the async handler returns
  `interface Eventual<T> { then(onDone: (value: T) => void, onFail: (error: unknown) => void): unknown }
type Answer = string | undefined | void | Eventual<string | undefined>;
declare const rpc: { onLookup(handler: (key: string) => Answer): void };
rpc.onLookup(async (key) => key.toUpperCase());`,
  // PromiseLike without checkThenables
  `declare function lazy(): PromiseLike<number>; export function f() { lazy(); }`,
  // known-safe by package
  {
    code: `import { setTimeout } from 'node:timers/promises'; export function f() { setTimeout(10); }`,
    options: [{ allowForKnownSafeCalls: [{ from: 'package', package: 'node:timers/promises', name: 'setTimeout' }] }],
  },
  // known-safe promise type
  {
    code: `type Background = Promise<void> & { __background: true };
declare function spawn(): Background;
export function f() { spawn(); }`,
    options: [{ allowForKnownSafePromises: [{ from: 'file', name: 'Background' }] }],
  },
];

const invalidTyped: Invalid[] = [
  invalid(
    `interface Db { query(sql: string): Promise<unknown[]> }
export async function f(db: Db) {
  db.query('delete from jobs');
}`,
    [{ messageId: 'floating', text: "db.query('delete from jobs')", suggest: dropped("db.query('delete from jobs');") }],
  ),
  invalid(
    `declare function make(): Promise<number>;
export function f() {
  const values = [make(), make()];
  values;
}`,
    [{ messageId: 'floatingArray', text: 'values', occurrence: 1 }],
  ),
  invalid(
    `function schedule(job: () => void) { queueMicrotask(job); }
export function f() { schedule(async () => {}); }`,
    [{ messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'schedule', detail: '' } }],
  ),
  invalid(
    `declare function later(): PromiseLike<number>;
export function f() { later(); }`,
    [
      {
        messageId: 'floating',
        text: 'later()',
        occurrence: 1,
        // a PromiseLike has no `.catch` to append
        suggest: [['addVoid', ['f() { later();', 'f() { void later();']]],
      },
    ],
    { checkThenables: true },
  ),
  // a Map's forEach: reported, but no `.map` rewrite (a Map has none)
  invalid(
    `export async function f(cache: Map<string, string>) {
  cache.forEach(async (value) => { await fetch(value); });
}`,
    [{ messageId: 'misusedAsyncCallback', text: 'async (value) =>', data: { callee: 'cache.forEach', detail: ', and nothing waits for it to finish' } }],
  ),
];

// ---------------------------------------------------------------------------------------------
// Untyped only: CommonJS requires and promisify, which the syntactic model follows by name.
// ---------------------------------------------------------------------------------------------

const validUntyped: Valid[] = [
  // Cypress chains are thenables that are queued, not promises
  `cy.get('button').click().then(() => { cy.log('clicked'); });`,
  // unknown calls are not guessed at
  `export function f(client) { client.query('x'); }`,
  `const fs = require('fs'); export function f() { fs.readFileSync('x'); }`,
];

const invalidUntyped: Invalid[] = [
  // a `.then(callback)` chain is a promise in practice, even on an unknown receiver
  invalid(`import { getUser } from 'some-client';
export function f(id: string) {
  getUser(id).then((user) => console.log(user));
}`, [
    {
      messageId: 'floating',
      text: 'getUser(id).then((user) => console.log(user))',
      data: { what: '`getUser(…).then(…)`' },
      suggest: [
        ['addVoid', ['getUser(id).then(', 'void getUser(id).then(']],
        ['addCatch', ['console.log(user));', `console.log(user))${CATCH_HANDLER};`]],
      ],
    },
  ]),
  invalid(
    `const { readFile } = require('node:fs/promises');
const fs = require('fs');
const { promisify } = require('util');
const exec = promisify(require('child_process').exec);
export async function f() {
  readFile('a');
  fs.promises.stat('b');
  exec('ls');
}`,
    [
      { messageId: 'floating', text: "readFile('a')", suggest: dropped("readFile('a');") },
      { messageId: 'floating', text: "fs.promises.stat('b')", suggest: dropped("fs.promises.stat('b');") },
      { messageId: 'floating', text: "exec('ls')", suggest: dropped("exec('ls');") },
    ],
  ),
  // a declared Promise annotation is evidence enough
  invalid(
    `export async function f(pending: Promise<void>) {
  pending;
}`,
    [{ messageId: 'floating', text: 'pending', occurrence: 1, data: { what: '`pending`' }, suggest: dropped('pending;') }],
  ),
];

// Untyped, async functions imported from a file beside this one are known by reading that file.
const importsCode = `import main, { saveOrder, formatOrder } from './imports/store.js';
import * as store from './imports/store.js';
const legacy = require('./imports/legacy');
export function f() {
  saveOrder('1');
  store.appendAudit('x');
  legacy.flush();
  main();
  formatOrder('1');
  store.formatOrder('1');
}`;
invalidUntyped.push({
  filename: typedFile,
  ...invalid(importsCode, [
    { messageId: 'floating', text: "saveOrder('1')", suggest: [['addVoid', ["saveOrder('1');", "void saveOrder('1');"]], ['addCatch', ["saveOrder('1');", `saveOrder('1')${CATCH_HANDLER};`]]] },
    { messageId: 'floating', text: "store.appendAudit('x')", suggest: [['addVoid', ["store.appendAudit('x');", "void store.appendAudit('x');"]], ['addCatch', ["store.appendAudit('x');", `store.appendAudit('x')${CATCH_HANDLER};`]]] },
    { messageId: 'floating', text: 'legacy.flush()', suggest: [['addVoid', ['legacy.flush();', 'void legacy.flush();']], ['addCatch', ['legacy.flush();', `legacy.flush()${CATCH_HANDLER};`]]] },
    { messageId: 'floating', text: 'main()', suggest: [['addVoid', ['main();', 'void main();']], ['addCatch', ['main();', `main()${CATCH_HANDLER};`]]] },
  ]),
});

// TypeScript's `import x = require('m')` is a require: the module's promise exports are known the
// same way. An `import x = A.b` alias of a namespace is no module at all (it once crashed the rule).
const importEqualsCode = `import legacy = require('./imports/legacy');
import store = require('./imports/store');
import fsp = require('node:fs/promises');
export function f() {
  legacy.flush();
  store.formatOrder('1');
  fsp.writeFile('a.txt', 'b');
}`;
invalidUntyped.push({
  filename: typedFile,
  ...invalid(importEqualsCode, [
    { messageId: 'floating', text: 'legacy.flush()', suggest: [['addVoid', ['legacy.flush();', 'void legacy.flush();']], ['addCatch', ['legacy.flush();', `legacy.flush()${CATCH_HANDLER};`]]] },
    {
      messageId: 'floating',
      text: "fsp.writeFile('a.txt', 'b')",
      suggest: [
        ['addVoid', ["fsp.writeFile('a.txt', 'b');", "void fsp.writeFile('a.txt', 'b');"]],
        ['addCatch', ["fsp.writeFile('a.txt', 'b');", `fsp.writeFile('a.txt', 'b')${CATCH_HANDLER};`]],
      ],
    },
  ]),
});
validUntyped.push(`namespace Jobs {
  export function run() {}
}
import run = Jobs.run;
import J = Jobs;
export function f() {
  run();
  J.run();
}`);

// A resource's release that returns a promise is named as a release (no-unclosed-session counts
// it as released, so the missing await is reported here, once). Typed, `.catch` is offered too.
const releaseCode = `import pg from 'pg';
export async function audit(sql: string) {
  const client = new pg.Client();
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    client.end();
  }
}`;
const suggestion = (id: MessageId, from: string, to: string): [MessageId, [string, string]] => [id, [from, to]];
/**
 * The floatingRelease report of `statement` (as written, `;` included): `await` offered where it is
 * valid, `.catch` typed only.
 */
const releaseExpect = (withCatch: boolean, { statement = 'client.end();', text = 'client.end()', canAwait = true } = {}): Expect => ({
  messageId: 'floatingRelease',
  text,
  data: { what: '`client.end(…)`' },
  suggest: [
    ...(canAwait ? [suggestion('addAwait', statement, `await ${statement}`)] : []),
    suggestion('addVoid', statement, `void ${statement}`),
    ...(withCatch ? [suggestion('addCatch', statement, `${statement.slice(0, -1)}${CATCH_HANDLER};`)] : []),
  ],
});
/** Where `await` is valid and the release is the whole statement, the `await` is also an autofix. */
const awaitRelease = (code: string, statement = 'client.end();') => code.replace(`  ${statement}`, `  await ${statement}`);
invalidTyped.push({ ...invalid(releaseCode, [releaseExpect(true)]), output: awaitRelease(releaseCode) });
invalidUntyped.push({ ...invalid(releaseCode, [releaseExpect(false)]), output: awaitRelease(releaseCode) });

/** The same release in an async method and an async arrow: autofixed too. */
const releaseInMethod = `import pg from 'pg';
export class Audit {
  async run(sql: string) {
    const client = new pg.Client();
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      client.end();
    }
  }
}`;
const releaseInArrow = `import pg from 'pg';
export const audit = async (sql: string) => {
  const client = new pg.Client();
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    client.end();
  }
};`;
// A parenthesised release statement: `await` goes before the parentheses.
const releaseParenthesised = `import pg from 'pg';
export async function stop() {
  const client = new pg.Client();
  await client.connect();
  (client.end());
}`;
for (const [code, statement] of [
  [releaseInMethod, 'client.end();'],
  [releaseInArrow, 'client.end();'],
  [releaseParenthesised, '(client.end());'],
]) {
  invalidTyped.push({ ...invalid(code, [releaseExpect(true, { statement })]), output: awaitRelease(code, statement) });
  invalidUntyped.push({ ...invalid(code, [releaseExpect(false, { statement })]), output: awaitRelease(code, statement) });
}

// No autofix where `await` is not valid (a sync function), nor where the release is only part of
// the statement (a sequence): the suggestions stay.
const releaseInSync = `import pg from 'pg';
export function stop(sql: string) {
  const client = new pg.Client();
  client.query(sql).then(() => {}, () => {});
  client.end();
}`;
invalidTyped.push({ ...invalid(releaseInSync, [releaseExpect(true, { canAwait: false })]), output: null });
invalidUntyped.push({ ...invalid(releaseInSync, [releaseExpect(false, { canAwait: false })]), output: null });
const releaseInSequence = `import pg from 'pg';
export async function stop() {
  const client = new pg.Client();
  await client.connect();
  (client.end(), client);
}`;
const sequenceExpect = releaseExpect(false, { statement: '(client.end(), client);', text: 'client.end(), client', canAwait: false });
invalidTyped.push({ ...invalid(releaseInSequence, [sequenceExpect]), output: null });
invalidUntyped.push({ ...invalid(releaseInSequence, [sequenceExpect]), output: null });

// The top level of a CommonJS file: `await` is not valid there …
invalidUntyped.push({
  ...invalid(`const pg = require('pg');\nconst client = new pg.Client();\nclient.end();`, [releaseExpect(false, { canAwait: false })]),
  output: null,
});
// … and of an ES module, where it is.
const topLevelRelease = `import pg from 'pg';\nconst client = new pg.Client();\nclient.end();`;
invalidUntyped.push({
  ...invalid(topLevelRelease, [releaseExpect(false)]),
  output: topLevelRelease.replace('\nclient.end();', '\nawait client.end();'),
});

// ---------------------------------------------------------------------------------------------
// False positives found by the precision audit (bench/AUDIT.md), in our own words: each shape
// was reported on a real package's source; the comment says where. The rule now sees that the
// promise cannot reject unhandled: every await and throw sits in a try with a catch, or the
// returned chain ends in `.catch(…)`.
// ---------------------------------------------------------------------------------------------

const auditValidBoth: Valid[] = [
  // was: misusedAsyncCallback. A bound async handler whose awaits all sit in try/catch, reporting
  // to an 'error' event (pg's SASL continue handler, found once bind() counted as evidence).
  `import { EventEmitter } from 'node:events';
declare function exchange(data: string): Promise<void>;
export class Client {
  connection = new EventEmitter();
  listen() {
    this.connection.on('authenticationSASLContinue', this.onContinue.bind(this));
  }
  async onContinue(message: { data: string }) {
    try {
      await exchange(message.data);
    } catch (error) {
      this.connection.emit('error', error);
    }
  }
}`,
  // was: floating. Cleanup in the catch clause is the handling: a writer whose destroy() may throw
  // does not make the guarded async writer reject unhandled (undici's writeIterable).
  `class Writer {
  write(chunk: string) {
    if (!chunk) throw new Error('empty');
  }
  destroy(error: unknown) {
    if (error instanceof TypeError) throw error;
  }
}
async function pump(chunks: AsyncIterable<string>) {
  const writer = new Writer();
  try {
    for await (const chunk of chunks) writer.write(chunk);
  } catch (error) {
    writer.destroy(error);
  }
}
export function start(chunks: AsyncIterable<string>) {
  pump(chunks);
}`,
  // the parse is inside the try too: nothing escapes
  `declare function read(): Promise<string>;
async function refresh(cache: Map<string, unknown>) {
  try {
    cache.set('config', JSON.parse(await read()));
  } catch {
    cache.delete('config');
  }
}
export function start(cache: Map<string, unknown>) {
  refresh(cache);
}`,
  // was: misusedAsyncCallback. A reconnect timer whose awaited work is all inside try/catch (bullmq).
  `declare function dial(): Promise<void>;
export class Link {
  timer: ReturnType<typeof setTimeout> | null = null;
  closing = false;
  retry(delay: number) {
    this.timer = setTimeout(async () => {
      this.timer = null;
      if (this.closing) return;
      try {
        await dial();
      } catch {
        this.retry(delay * 2);
      }
    }, delay);
  }
}`,
  // was: misusedAsyncCallback. A plain arrow whose returned chain ends in \`.catch\` (bullmq, bottleneck).
  `export class Beat {
    timer: ReturnType<typeof setInterval> | undefined;
    async ping(): Promise<void> {}
    report(error: unknown) { console.error(error); }
    start(every: number) {
      this.timer = setInterval(() => this.ping().catch((error) => this.report(error)), every);
    }
  }`,
  // was: misusedAsyncCallback. An async listener that returns a chain ending in \`.catch(reject)\` (kafkajs).
  `import { EventEmitter } from 'node:events';
declare const worker: EventEmitter & { halt(): Promise<void> };
export function haltOnNextTick(): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.on('tick', async () => worker.halt().then(resolve).catch(reject));
  });
}`,
  // was: floating. A dropped call of a local async writer whose loop is inside try/catch; the
  // assertion before the try throws as it would from a synchronous function (undici).
  `import assert from 'node:assert';
async function pump(chunks: AsyncIterable<string>, out: { write(s: string): void; fail(e: unknown): void }) {
  assert(out, 'an output is required');
  try {
    for await (const chunk of chunks) out.write(chunk);
  } catch (error) {
    out.fail(error);
  }
}
export function start(chunks: AsyncIterable<string>, out: { write(s: string): void; fail(e: unknown): void }) {
  pump(chunks, out);
}`,
  // was: floating. A dropped async IIFE whose body is a try/catch after plain declarations (got).
  `declare function send(chunk: Uint8Array): Promise<void>;
declare function fail(error: unknown): void;
export function flush(chunk: Uint8Array) {
  (async () => {
    let attempts = 0;
    try {
      attempts += 1;
      await send(chunk);
    } catch (error) {
      fail(error);
    }
  })();
}`,
  // was: floating. An async hook runner without awaits, every call inside try/catch (fastify).
  `async function runHook(hook: (done: (e?: unknown) => void) => unknown, done: (e?: unknown) => void) {
  try {
    const result = hook(done);
    if (result instanceof Promise) result.then(() => done(), done);
  } catch (error) {
    done(error);
  }
}
export function next(hooks: ((done: (e?: unknown) => void) => unknown)[], done: (e?: unknown) => void) {
  runHook(hooks[0], done);
}`,
  // was: asyncExecutor. An executor that awaits only inside try/catch and rejects with the error:
  // nothing is lost and the promise settles (kafkajs).
  `declare function encode(): Promise<Uint8Array>;
declare const socket: { write(b: Uint8Array): void };
export function request(): Promise<void> {
  return new Promise(async (resolve, reject) => {
    try {
      socket.write(await encode());
      resolve();
    } catch (error) {
      reject(error);
    }
  });
}`,
  // was: unawaitedLocal "when the function returns" / "when an error is thrown". A timeout promise
  // raced inside try/finally: ESLint's exception path leaves the \`try\` before the race's arguments
  // are evaluated, but nothing there can throw before \`timeout\` is handed on (bullmq).
  `export async function take(pop: Promise<string | null>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([pop, timeout]);
  } finally {
    clearTimeout(timer);
  }
}`,
  // was: floating. A callback-style helper handed the executor's \`reject\` (kafkajs), or a
  // deferred's \`.reject\` (undici), reports its failures there.
  `async function poll(check: () => Promise<boolean>, resolve: () => void, reject: (e: unknown) => void) {
  await new Promise((wake) => setTimeout(wake, 50));
  try {
    if (await check()) resolve();
  } catch (error) {
    reject(error);
  }
}
export function until(check: () => Promise<boolean>) {
  return new Promise<void>((resolve, reject) => {
    poll(check, resolve, reject);
  });
}`,
  `declare function readAll(r: ReadableStreamDefaultReader<Uint8Array>, ok: (b: Uint8Array) => void, fail: (e: unknown) => void): Promise<void>;
export function collect(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const done = Promise.withResolvers<Uint8Array>();
  readAll(reader, done.resolve, done.reject);
  return done.promise;
}`,
];

const auditInvalidBoth: Invalid[] = [
  // Control (the exception model): every await sits in try/catch, but a synchronous throw after the
  // try rejects the async function's promise too — here the JSON.parse of what was read.
  invalid(
    `declare function read(): Promise<string>;
async function refresh(cache: Map<string, unknown>) {
  let text = '{}';
  try {
    text = await read();
  } catch {
    return;
  }
  cache.set('config', JSON.parse(text));
}
export function start(cache: Map<string, unknown>) {
  refresh(cache);
}`,
    [{ messageId: 'floating', text: 'refresh(cache)', data: { what: '`refresh(…)`' }, suggest: [['addVoid', ['refresh(cache);', 'void refresh(cache);']], ['addCatch', ['refresh(cache);', `refresh(cache)${CATCH_HANDLER};`]]] }],
  ),
  // Control: the same through a validation helper of the file that throws.
  invalid(
    `declare function read(): Promise<string>;
function check(text: string) {
  if (!text.startsWith('{')) throw new Error('not JSON');
}
async function refresh() {
  let text = '{}';
  try {
    text = await read();
  } catch {
    return;
  }
  check(text);
}
export function start() {
  refresh();
}`,
    [{ messageId: 'floating', text: 'refresh()', occurrence: 1, data: { what: '`refresh(…)`' }, suggest: [['addVoid', ['refresh();', 'void refresh();']], ['addCatch', ['refresh();', `refresh()${CATCH_HANDLER};`]]] }],
  ),
  // Control: handed only \`resolve\`, a helper has nowhere to report a failure.
  invalid(
    `async function poll(check: () => Promise<boolean>, resolve: () => void) {
  if (await check()) resolve();
}
export function until(check: () => Promise<boolean>) {
  return new Promise<void>((resolve) => {
    poll(check, resolve);
  });
}`,
    [{ messageId: 'floating', text: 'poll(check, resolve)', data: { what: '`poll(…)`' }, suggest: [['addVoid', ['poll(check, resolve);', 'void poll(check, resolve);']], ['addCatch', ['poll(check, resolve);', `poll(check, resolve)${CATCH_HANDLER};`]]] }],
  ),
  // Control: a call that may throw before the race leaves \`timeout\` unhandled on that path.
  invalid(
    `declare function ready(): Promise<void>;
export async function take(pop: Promise<string | null>, ms: number) {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));
  try {
    await ready();
    return await Promise.race([pop, timeout]);
  } finally {
    console.log('done');
  }
}`,
    [{ messageId: 'unawaitedLocal', text: 'timeout', data: { name: 'timeout', where: 'when an error is thrown' } }],
  ),
  // Controls: an await in the catch clause, and a throw before the try, still reject unhandled.
  invalid(
    `declare function open(): Promise<void>;
declare function closeQuietly(): Promise<void>;
export class Recovery {
  async connect() {
    try {
      await open();
    } catch {
      await closeQuietly();
    }
  }
  schedule() {
    setImmediate(() => this.connect());
  }
}`,
    [{ messageId: 'misusedAsyncCallback', text: '() =>', data: { callee: 'setImmediate', detail: '' } }],
  ),
  invalid(
    `declare function inflate(b: Uint8Array): Promise<Uint8Array>;
declare function fail(e: unknown): void;
class Reader {
  async decode(entry: { kind: string; bytes: Uint8Array }) {
    if (entry.kind !== 'packed') throw new Error('not packed');
    try {
      return await inflate(entry.bytes);
    } catch (error) {
      fail(error);
    }
  }
  push(entry: { kind: string; bytes: Uint8Array }) {
    this.decode(entry);
  }
}
export { Reader };`,
    [{ messageId: 'floating', text: 'this.decode(entry)', data: { what: '`this.decode(…)`' }, suggest: [['addVoid', ['this.decode(entry);', 'void this.decode(entry);']], ['addCatch', ['this.decode(entry);', `this.decode(entry)${CATCH_HANDLER};`]]] }],
  ),
];

// ---------------------------------------------------------------------------------------------
// `await` of an array of promises: an array is not a thenable, so `await` hands it back at once
// and nothing waits (typescript-eslint's `await-thenable` for arrays). Reported at the `await`.
// ---------------------------------------------------------------------------------------------

/** The `awaitedArray` report of `await <argument>`, with the `Promise.all` rewrite unless `wrap` is false. */
const awaitedArray = (argument: string, { what = `\`${argument}\``, wrap = true, occurrence }: { what?: string; wrap?: boolean; occurrence?: number } = {}): Expect => ({
  messageId: 'awaitedArray',
  text: `await ${argument}`,
  occurrence,
  data: { what },
  suggest: wrap ? [['awaitAll', [`await ${argument}`, `await Promise.all(${argument})`]]] : [],
});

const awaitArrayValidBoth: Valid[] = [
  // `for await` awaits each element; `Promise.all`/`allSettled` wait for them all; returned, the caller decides
  `export async function f(urls: string[]) { for await (const r of urls.map(async (u) => fetch(u))) console.log(r.status); }`,
  `export async function f() { const [a, b] = await Promise.allSettled([fetch('a'), fetch('b')]); return [a, b]; }`,
  `export async function f(promises: Promise<void>[]) { await Promise.all(promises); }`,
  `export function f() { return [fetch('a'), fetch('b')]; }`,
  // an array of values, not of promises: not this rule's business
  `export async function f() { return await [1, 2]; }`,
  `export async function f(urls: string[]) { return await urls.map((u) => u.length); }`,
  `export async function f() { const [a, b] = [await fetch('a'), await fetch('b')]; return [a, b]; }`,
  // a value that may itself be a promise is rightly awaited
  `export async function f(pending: Promise<void> | Promise<void>[]) { await pending; }`,
  `export async function f(one: boolean) { await (one ? fetch('a') : [fetch('b')]); }`,
  // bindings that name each other (a TDZ error at run time, but valid input): no crash, no report
  `const a: unknown = b; const b: unknown = a; export async function f() { await a; }`,
  // each element awaited in turn
  `export async function f(urls: string[]) { for (const p of urls.map(async (u) => fetch(u))) await p; }`,
];

const awaitArrayInvalidBoth: Invalid[] = [
  // tc39/proposal-await.ops#21: "`await users.map((user) => download(user))` … just works" — it does not
  invalid(
    `async function download(user: string) { return fetch('/users/' + user); }
export async function downloadAll(users: string[]) {
  const files = await users.map((user) => download(user));
  return files;
}`,
    [awaitedArray('users.map((user) => download(user))', { what: '`users.map(…)`' })],
  ),
  // zellwk/zellwk.com#191: a tutorial awaited `fruitsToGet.map(…)`, "map … is returning an array of promises"
  invalid(
    `const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const getNumFruit = (fruit: string) => sleep(1000).then(() => fruit.length);
export const mapLoop = async (fruitsToGet: string[]) => {
  const promises = fruitsToGet.map((fruit) => getNumFruit(fruit));
  const numFruits = await promises;
  console.log(numFruits);
};`,
    [awaitedArray('promises')],
  ),
  // a literal array, in a class method
  invalid(
    `class Sync {
  async push(name: string) { return name; }
  async run() {
    await [this.push('a'), this.push('b')];
  }
}
export { Sync };`,
    [awaitedArray("[this.push('a'), this.push('b')]")],
  ),
  // inside a `.then` callback, destructured
  invalid(
    `export function reload(ids: string[]) {
  return fetch('/ids').then(async () => {
    const [first] = await ids.map(async (id) => fetch(id));
    return first;
  });
}`,
    [awaitedArray('ids.map(async (id) => fetch(id))', { what: '`ids.map(…)`' })],
  ),
  // a helper handed an array (annotated, so known untyped too), readonly or a tuple
  invalid(
    `export async function settle(promises: Promise<void>[], done: readonly Promise<void>[], pair: [Promise<number>, string]) {
  await promises;
  await done;
  return await pair;
}`,
    [awaitedArray('promises'), awaitedArray('done'), awaitedArray('pair')],
  ),
  // maybe absent: reported, but `Promise.all(undefined)` would throw, so no rewrite
  invalid(
    `export async function drain(pending: Promise<void>[] | undefined) {
  await pending;
}`,
    [awaitedArray('pending', { wrap: false })],
  ),
  // a parenthesised sequence keeps its parentheses inside the call
  invalid(
    `export async function f(log: () => void) {
  await (log(), [fetch('a')]);
}`,
    [
      {
        messageId: 'awaitedArray',
        text: "await (log(), [fetch('a')])",
        data: { what: "`log(), [fetch('a')]`" },
        suggest: [['awaitAll', ["(log(), [fetch('a')])", "(Promise.all((log(), [fetch('a')])))"]]],
      },
    ],
  ),
];


const awaitArrayValidTyped: Valid[] = [
  // arrays of `any` and of non-promises are left to typescript-eslint
  `export async function f(xs: any[], ys: number[] | undefined) { await xs; await ys; }`,
  `declare function rows(): Promise<string[]>; export async function f() { return await rows(); }`,
];

const awaitArrayInvalidTyped: Invalid[] = [
  // only the checker knows these: a declared tuple result and a class field
  invalid(
    `declare function pair(): [Promise<number>, Promise<string>];
export class Batch {
  private jobs: Promise<void>[] = [];
  async flush() {
    await this.jobs;
    return await pair();
  }
}`,
    [awaitedArray('this.jobs'), awaitedArray('pair()', { what: '`pair(…)`' })],
  ),
  // `Promise` is shadowed: `Promise.all` would call something else, so no rewrite
  invalid(
    `export async function f(Promise: { all(x: unknown): unknown }, jobs: globalThis.Promise<void>[]) {
  await jobs;
}`,
    [awaitedArray('jobs', { wrap: false })],
  ),
];

// Plain JavaScript (untyped only: the fixture project's service does not open its file.js).
const jsFile = typedFile.replace(/\.ts$/, '.js');
const awaitArrayValidUntyped: Valid[] = [
  // an unknown call's result is not guessed at
  { filename: jsFile, code: `export async function f(client) { await client.batch(); }` },
  {
    filename: jsFile,
    code: `async function load(id) { return fetch('/items/' + id); }
export async function loadAll(ids) { return await Promise.all(ids.map(load)); }`,
  },
];

const awaitArrayInvalidUntyped: Invalid[] = [
  {
    filename: jsFile,
    ...invalid(
      `async function load(id) { return fetch('/items/' + id); }
export async function loadAll(ids) {
  const items = await ids.map(load);
  return items;
}`,
      [awaitedArray('ids.map(load)', { what: '`ids.map(…)`' })],
    ),
  },
];

describe('no-unawaited-promise await of an array', () => {
  typedRuleTester.run('no-unawaited-promise awaitedArray (typed)', rule, {
    valid: [...awaitArrayValidBoth, ...awaitArrayValidTyped],
    invalid: [...awaitArrayInvalidBoth, ...awaitArrayInvalidTyped],
  });
  untypedRuleTester.run('no-unawaited-promise awaitedArray (untyped)', rule, {
    valid: [...awaitArrayValidBoth, ...awaitArrayValidUntyped],
    invalid: [...awaitArrayInvalidBoth, ...awaitArrayInvalidUntyped],
  });
});

describe('no-unawaited-promise audit false positives', () => {
  typedRuleTester.run('no-unawaited-promise audit (typed)', rule, { valid: auditValidBoth, invalid: auditInvalidBoth });
  untypedRuleTester.run('no-unawaited-promise audit (untyped)', rule, { valid: auditValidBoth, invalid: auditInvalidBoth });
});

// ---------------------------------------------------------------------------------------------
// Evidence from TypeScript syntax (issue 13, item 10): a .ts file linted without a program still
// declares what returns a promise — interface and type-literal members, aliases of Promise,
// fields and parameter properties, bound async methods. Both modes must agree.
// ---------------------------------------------------------------------------------------------

const tsSyntaxValid: Valid[] = [
  // the member returns void: a callback API
  `interface Store { save(key: string, done: (error?: Error) => void): void }
export function keep(store: Store) {
  store.save('k', () => {});
}`,
  // another member of the same interface is the promise one
  `interface Store { flush(): Promise<void>; size(): number }
export function count(store: Store) {
  store.size();
}`,
  // an alias of something else
  `type Handle<T> = { value: T };
declare function open(): Handle<number>;
export function f() {
  open();
}`,
  // a bound method that is not async
  `export class Poller {
  tick() {}
  start() {
    setInterval(this.tick.bind(this), 1000);
  }
}`,
];

const tsSyntaxInvalid: Invalid[] = [
  invalid(
    `interface Repo {
  save(user: string): Promise<void>;
  load: (id: string) => Promise<string>;
}
export class Service {
  constructor(private repo: Repo) {}
  register(user: string) {
    this.repo.save(user);
    this.repo.load(user);
  }
}`,
    [
      { messageId: 'floating', text: 'this.repo.save(user)', suggest: [['addVoid', ['this.repo.save(user);', 'void this.repo.save(user);']], ['addCatch', ['this.repo.save(user);', `this.repo.save(user)${CATCH_HANDLER};`]]] },
      { messageId: 'floating', text: 'this.repo.load(user)', suggest: [['addVoid', ['this.repo.load(user);', 'void this.repo.load(user);']], ['addCatch', ['this.repo.load(user);', `this.repo.load(user)${CATCH_HANDLER};`]]] },
    ],
  ),
  // a field declared with a type literal, and a generic alias of Promise
  invalid(
    `type Job<T> = Promise<T>;
declare function enqueue(name: string): Job<number>;
export class Worker {
  queue: { push(name: string): Job<void> } = { push: async () => {} };
  async run() {
    enqueue('a');
    this.queue.push('b');
  }
}`,
    [
      { messageId: 'floating', text: "enqueue('a')", suggest: dropped("enqueue('a');") },
      { messageId: 'floating', text: "this.queue.push('b')", suggest: dropped("this.queue.push('b');") },
    ],
  ),
  // an async method bound and handed to a timer
  invalid(
    `export class Cache {
  async refresh() {
    await fetch('https://example.com');
  }
  start() {
    setInterval(this.refresh.bind(this), 60000);
  }
}`,
    [{ messageId: 'misusedAsyncCallback', text: 'this.refresh.bind(this)', data: { callee: 'setInterval', detail: '' } }],
  ),
];

describe('no-unawaited-promise evidence from TypeScript syntax', () => {
  typedRuleTester.run('no-unawaited-promise TypeScript syntax (typed)', rule, { valid: tsSyntaxValid, invalid: tsSyntaxInvalid });
  untypedRuleTester.run('no-unawaited-promise TypeScript syntax (untyped)', rule, { valid: tsSyntaxValid, invalid: tsSyntaxInvalid });
});

typedRuleTester.run('no-unawaited-promise (typed)', rule, {
  valid: [...validBoth, ...validTyped],
  invalid: [...invalidBoth, ...invalidTyped],
});

untypedRuleTester.run('no-unawaited-promise (untyped)', rule, {
  valid: [...validBoth, ...validUntyped],
  invalid: [...invalidBoth, ...invalidUntyped],
});
