import * as path from 'node:path';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { POOL_HELPER, workerPoolHelper, type MessageId, type Options } from '../../src/rules/no-unbounded-concurrency';
import { typedFile, typedRuleTester, untypedRuleTester } from '../ruleTester';
import { span } from '../span';

type Invalid = InvalidTestCase<MessageId, Options>;
type Valid = ValidTestCase<Options> | string;

/** A suggestion's edits: each `[from, to]` replaces the first `from` in the code, in order; `[END, text]` appends. */
type Edit = [string, string];
const END = Symbol('end of file') as unknown as string;

interface Expect {
  /** The exact text the report covers (the combinator's callee). */
  text: string;
  occurrence?: number;
  data: { method: string; work: string; per: string };
  /** Each suggestion as its message id and the edits that turn the code into its output. */
  suggest?: [MessageId, Edit[]][];
}

function apply(code: string, edits: Edit[]): string {
  return edits.reduce((text, [from, to]) => {
    if (from === END) return text + to;
    if (!text.includes(from)) throw new Error(`suggestion source ${JSON.stringify(from)} is not in the code`);
    return text.replace(from, to);
  }, code);
}

/** An invalid case whose reports are stated as the text they cover and the edits they suggest. */
function invalid(code: string, expects: Expect[], options?: Options[0], filename?: string): Invalid {
  return {
    code,
    ...(options ? { options: [options] } : {}),
    ...(filename ? { filename } : {}),
    errors: expects.map((expect) => ({
      messageId: 'unboundedFanOut' as const,
      ...span(code, expect.text, expect.occurrence),
      data: expect.data,
      suggestions: (expect.suggest ?? []).map(([messageId, edits]) => ({ messageId, output: apply(code, edits) })),
    })),
  };
}

/** The edit that appends the worker-pool helper to a file (the test code has no trailing newline). */
function appendHelper({ typescript = true, name = POOL_HELPER } = {}): Edit {
  return [END, `\n\n${workerPoolHelper(name, typescript)}\n`];
}

/** The worker-pool suggestion: the combinator call rewritten, the helper appended. */
function pool(from: string, to: string, helper = { typescript: true }): [MessageId, Edit[]] {
  return ['useWorkerPool', [[from, to], appendHelper(helper)]];
}

const fetchPer = (list: string, method = 'Promise.all') => ({ method, work: '`fetch(…)`', per: `element of \`${list}\`` });

// ---------------------------------------------------------------------------------------------
// Both modes
// ---------------------------------------------------------------------------------------------

const validBoth: Valid[] = [
  // lists whose length is written in the source
  `export async function f() { await Promise.all(['https://a.example', 'https://b.example'].map(async (u) => fetch(u))); }`,
  `const hosts = ['https://a.example', 'https://b.example'];
export async function f() { return Promise.all(hosts.map((u) => fetch(u))); }`,
  `export async function f(base: string) { await Promise.all(Array.from({ length: 3 }, async (_, i) => fetch(base + i))); }`,
  `export async function f(a: string, b: string) { await Promise.all([a, b].filter(Boolean).map((u) => fetch(u))); }`,
  `const services = { users: 'https://users.example', orders: 'https://orders.example' };
export async function f() { await Promise.all(Object.entries(services).map(([, url]) => fetch(url))); }`,
  // batches: each Promise.all sees at most ten
  `declare function chunk<T>(items: T[], size: number): T[][];
export async function f(urls: string[]) {
  for (const batch of chunk(urls, 10)) await Promise.all(batch.map((u) => fetch(u)));
}`,
  `export async function f(urls: string[]) {
  for (let i = 0; i < urls.length; i += 10) await Promise.all(urls.slice(i, i + 10).map((u) => fetch(u)));
}`,
  `export async function f(urls: string[]) {
  const tasks: Promise<Response>[] = [];
  for (const u of urls) {
    tasks.push(fetch(u));
    if (tasks.length >= 10) await Promise.all(tasks.splice(0));
  }
  await Promise.all(tasks);
}`,
  // bounded by a limiter the mapper goes through
  `import pLimit from 'p-limit';
const limit = pLimit(4);
export async function f(urls: string[]) { await Promise.all(urls.map((u) => limit(() => fetch(u)))); }`,
  `import PQueue from 'p-queue';
const queue = new PQueue({ concurrency: 4 });
export async function f(urls: string[]) { await Promise.all(urls.map((u) => queue.add(() => fetch(u)))); }`,
  `import { Sema } from 'async-sema';
const sema = new Sema(4);
export async function f(urls: string[]) {
  await Promise.all(urls.map(async (u) => {
    await sema.acquire();
    try {
      return await fetch(u);
    } finally {
      sema.release();
    }
  }));
}`,
  `import { Semaphore } from 'async-mutex';
const semaphore = new Semaphore(4);
export async function f(urls: string[]) { await Promise.all(urls.map((u) => semaphore.runExclusive(() => fetch(u)))); }`,
  `import pLimit from 'p-limit';
const limit = pLimit(4);
async function load(u: string) { return limit(() => fetch(u)); }
export async function f(urls: string[]) { await Promise.all(urls.map(load)); }`,
  // a limiter the model does not know, named as one
  `declare const limiter: { schedule<T>(fn: () => Promise<T>): Promise<T> };
export async function f(urls: string[]) { await Promise.all(urls.map((u) => limiter.schedule(() => fetch(u)))); }`,
  `import pLimit from 'p-limit';
const limit = pLimit(4);
export async function f(urls: string[]) {
  const tasks: Promise<Response>[] = [];
  for (const u of urls) tasks.push(limit(() => fetch(u)));
  await Promise.all(tasks);
}`,
  // a limiter misused (the work starts before it, or outside the permit): no-semaphore-misuse's report, not a second one
  `import pLimit from 'p-limit';
const limit = pLimit(4);
export async function f(urls: string[]) {
  await Promise.all(urls.map((u) => {
    const started = fetch(u);
    return limit(() => started);
  }));
}`,
  `import { Semaphore } from 'async-mutex';
const slots = new Semaphore(4);
export async function f(urls: string[]) {
  const running: Promise<Response>[] = [];
  for (const u of urls) {
    const [, release] = await slots.acquire();
    running.push(fetch(u));
    release();
  }
  await Promise.all(running);
}`,
  // releasing resources is cleanup, not work to bound
  `import pg from 'pg';
export async function closeAll(clients: pg.Client[]) { await Promise.allSettled(clients.map((c) => c.end())); }`,
  `import { chromium, type Browser } from 'playwright-core';
const browsers: Browser[] = [];
export async function open() { browsers.push(await chromium.launch()); }
export async function closeAll() { await Promise.all(browsers.splice(0).map((b) => b.close())); }`,
  // CPU-only async work, timers
  `export async function f(names: string[]) { await Promise.all(names.map(async (n) => n.toUpperCase())); }`,
  `import { setTimeout as sleep } from 'node:timers/promises';
export async function f(ids: string[]) { await Promise.all(ids.map(async (id) => { await sleep(10); return id; })); }`,
  `async function parse(text: string) { return JSON.parse(text) as unknown; }
export async function f(texts: string[]) { return Promise.all(texts.map(parse)); }`,
  `async function walk(n: number): Promise<number> { return n > 0 ? walk(n - 1) : 0; }
export async function f(ns: number[]) { await Promise.all(ns.map(walk)); }`,
  // not the global Promise
  `const Promise = { all: (values: unknown) => values };
export function f(urls: string[]) { return Promise.all(urls.map((u) => fetch(u))); }`,
  // synchronous mapper: nothing runs concurrently
  `import { readFileSync } from 'node:fs';
export async function f(files: string[]) { return Promise.all(files.map((name) => readFileSync(name))); }`,
  // one push, not one per element; loops with a constant count
  `export async function f(url: string) {
  const tasks: Promise<Response>[] = [];
  tasks.push(fetch(url));
  await Promise.all(tasks);
}`,
  `export async function f(base: string) {
  const tasks: Promise<Response>[] = [];
  for (let i = 0; i < 3; i++) tasks.push(fetch(base + i));
  await Promise.all(tasks);
}`,
  `export async function f() {
  const tasks: Promise<Response>[] = [];
  for (const u of ['https://a.example', 'https://b.example']) tasks.push(fetch(u));
  await Promise.all(tasks);
}`,
  // the array is handed on: its fate is decided elsewhere
  `declare function track(tasks: Promise<unknown>[]): void;
export async function f(urls: string[]) {
  const tasks: Promise<Response>[] = [];
  for (const u of urls) tasks.push(fetch(u));
  track(tasks);
  await Promise.all(tasks);
}`,
  // an unknown client, untyped and typed alike (a type literal is no I/O library)
  `export async function f(ids: string[], client: { get(id: string): Promise<string> }) { await Promise.all(ids.map((id) => client.get(id))); }`,
  // a resource method whose result is not a promise
  `import pg from 'pg';
const pool = new pg.Pool();
export async function f(names: string[]) { await Promise.all(names.map(async (name) => { pool.on('error', () => name); })); }`,
];

const invalidBoth: Invalid[] = [];
const invalidUntypedJs: Invalid[] = [];

// fetch in an async arrow, the worker pool suggested (no p-limit in the file)
{
  const code = `export async function f(urls: string[]) {
  const bodies = await Promise.all(urls.map(async (url) => {
    const response = await fetch(url);
    return response.json();
  }));
  return bodies;
}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: fetchPer('urls'),
        suggest: [
          pool(`Promise.all(urls.map(async (url) => {
    const response = await fetch(url);
    return response.json();
  }))`,
            `${POOL_HELPER}(urls, 8, async (url) => {
    const response = await fetch(url);
    return response.json();
  })`,
          ),
        ],
      },
    ]),
  );
}

// returned, with an index parameter, a non-async arrow; `concurrency` option
{
  const code = `export function f(urls: string[]) {
  return Promise.all(urls.map((url, i) => fetch(\`\${url}?page=\${i}\`)));
}`;
  invalidBoth.push(
    invalid(
      code,
      [
        {
          text: 'Promise.all',
          data: fetchPer('urls'),
          suggest: [pool('Promise.all(urls.map((url, i) => fetch(`${url}?page=${i}`)))', `${POOL_HELPER}(urls, 4, (url, i) => fetch(\`\${url}?page=\${i}\`))`)],
        },
      ],
      { concurrency: 4 },
    ),
  );
}

// an expression-bodied async arrow: no statement for a limiter, the pool still fits
{
  const code = `import pLimit from 'p-limit';
export const all = async (urls: string[]) => Promise.all(urls.map((u) => fetch(u)));
export const limited = pLimit(2);`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: fetchPer('urls'),
        suggest: [pool('Promise.all(urls.map((u) => fetch(u)))', `${POOL_HELPER}(urls, 8, (u) => fetch(u))`)],
      },
    ]),
  );
}

// p-limit imported: the limit is created just before the statement
{
  const code = `import pLimit from 'p-limit';
export async function f(urls: string[]) {
  const bodies = await Promise.all(urls.map(async (url) => {
    const response = await fetch(url);
    return response.text();
  }));
  return bodies;
}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: fetchPer('urls'),
        suggest: [
          [
            'limitWithPLimit',
            [
              ['  const bodies', '  const limit = pLimit(8);\n  const bodies'],
              [
                `async (url) => {
    const response = await fetch(url);
    return response.text();
  })`,
                `(url) => limit(async () => {
    const response = await fetch(url);
    return response.text();
  }))`,
              ],
            ],
          ],
        ],
      },
    ]),
  );
}

// p-limit through require, another name; `limit` taken; a return type and an object body kept
{
  const code = `const makeLimit = require('p-limit');
export async function f(urls: string[], limit: number) {
  if (limit > 0) {
    return await Promise.allSettled(urls.map(async (url): Promise<{ url: string }> => ({ url: (await fetch(url)).url })));
  }
  return [];
}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.allSettled',
        data: fetchPer('urls', 'Promise.allSettled'),
        suggest: [
          [
            'limitWithPLimit',
            [
              ['    return await', '    const limit2 = makeLimit(8);\n    return await'],
              [
                'async (url): Promise<{ url: string }> => ({ url: (await fetch(url)).url })',
                '(url) => limit2(async (): Promise<{ url: string }> => ({ url: (await fetch(url)).url }))',
              ],
            ],
          ],
        ],
      },
    ]),
  );
}

// option pLimit: "always" adds the import to an ES module; "never" writes the pool even with p-limit imported
{
  const code = `import { readFile } from 'node:fs/promises';
export async function f(names: string[]) {
  return Promise.race(names.map((name) => readFile(name, 'utf8')));
}`;
  invalidBoth.push(
    invalid(
      code,
      [
        {
          text: 'Promise.race',
          data: { method: 'Promise.race', work: '`readFile(…)`', per: 'element of `names`' },
          suggest: [
            [
              'limitWithPLimit',
              [
                ["import { readFile } from 'node:fs/promises';", "import { readFile } from 'node:fs/promises';\nimport pLimit from 'p-limit';"],
                ['  return Promise.race', '  const limit = pLimit(8);\n  return Promise.race'],
                ["(name) => readFile(name, 'utf8')", "(name) => limit(() => readFile(name, 'utf8'))"],
              ],
            ],
          ],
        },
      ],
      { pLimit: 'always' },
    ),
  );
}
{
  const code = `import pLimit from 'p-limit';
export const limit = pLimit(1);
export async function f(urls: string[]) {
  await Promise.all(urls.map((u) => fetch(u)));
}`;
  invalidBoth.push(
    invalid(
      code,
      [
        {
          text: 'Promise.all',
          data: fetchPer('urls'),
          suggest: [pool('Promise.all(urls.map((u) => fetch(u)))', `${POOL_HELPER}(urls, 8, (u) => fetch(u))`)],
        },
      ],
      { pLimit: 'never' },
    ),
  );
}

// the helper already in the file (a previous suggestion applied) is reused, not added again
{
  const code = `export async function f(urls: string[], names: string[]) {
  const pages = await ${POOL_HELPER}(urls, 8, (u) => fetch(u));
  const heads = await Promise.all(names.map((n) => fetch(n, { method: 'HEAD' })));
  return [pages, heads];
}

${workerPoolHelper(POOL_HELPER, true)}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: fetchPer('names'),
        suggest: [
          [
            'useWorkerPool',
            [["Promise.all(names.map((n) => fetch(n, { method: 'HEAD' })))", `${POOL_HELPER}(names, 8, (n) => fetch(n, { method: 'HEAD' }))`]],
          ],
        ],
      },
    ]),
  );
}

// the helper's name taken by something else: the next name
{
  const code = `const ${POOL_HELPER} = 1;
export async function f(urls: string[]) {
  return [${POOL_HELPER}, await Promise.all(urls.map((u) => fetch(u)))];
}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: fetchPer('urls'),
        suggest: [
          [
            'useWorkerPool',
            [
              ['Promise.all(urls.map((u) => fetch(u)))', `${POOL_HELPER}2(urls, 8, (u) => fetch(u))`],
              appendHelper({ name: `${POOL_HELPER}2` }),
            ],
          ],
        ],
      },
    ]),
  );
}

// no suggestion: not awaited or returned, a function mapper, a list through a binding, allSettled without p-limit
invalidBoth.push(
  invalid(
    `export function f(urls: string[]) {
  const all = Promise.all(urls.map((u) => fetch(u)));
  return all;
}`,
    [{ text: 'Promise.all', data: fetchPer('urls') }],
  ),
  invalid(
    `export async function f(urls: string[]) {
  await Promise.all(urls.map(async function (u) { return fetch(u); }));
}`,
    [{ text: 'Promise.all', data: fetchPer('urls') }],
  ),
  invalid(
    `export async function f(urls: string[]) {
  const pending = urls.map((u) => fetch(u));
  await Promise.all(pending);
}`,
    [{ text: 'Promise.all', data: fetchPer('urls') }],
  ),
  invalid(
    `export async function f(urls: string[]) {
  await Promise.allSettled(urls.map((u) => fetch(u)));
}`,
    [{ text: 'Promise.allSettled', data: fetchPer('urls', 'Promise.allSettled') }],
  ),
  invalid(
    `export async function f(urls: string[]) {
  return Promise.any([...urls.map((u) => fetch(u))]);
}`,
    [{ text: 'Promise.any', data: fetchPer('urls', 'Promise.any') }],
  ),
);

// lists of unknown length: a filter result, Array.from, an object's values
invalidBoth.push(
  invalid(
    `export async function f(services: Record<string, string>) {
  const all = Promise.all(Object.values(services).map((url) => fetch(url)));
  return all;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`fetch(…)`', per: 'element of `Object.values(…)`' } }],
  ),
);
{
  const code = `export async function f(rows: { url: string; active: boolean }[]) {
  await Promise.all(rows.filter((r) => r.active).map((r) => fetch(r.url)));
}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: { method: 'Promise.all', work: '`fetch(…)`', per: 'element of `rows.filter(…)`' },
        suggest: [pool('Promise.all(rows.filter((r) => r.active).map((r) => fetch(r.url)))', `${POOL_HELPER}(rows.filter((r) => r.active), 8, (r) => fetch(r.url))`)],
      },
    ]),
  );
}
{
  const code = `export async function f(urls: Set<string>) {
  await Promise.all(Array.from(urls, (u) => fetch(u)));
}`;
  invalidBoth.push(
    invalid(code, [
      {
        text: 'Promise.all',
        data: fetchPer('urls'),
        suggest: [pool('Promise.all(Array.from(urls, (u) => fetch(u)))', `${POOL_HELPER}(urls, 8, (u) => fetch(u))`)],
      },
    ]),
  );
}

// every I/O family, through the catalogue
const families: [string, string, string][] = [
  // [imports and setup, mapper, how the message names the I/O]
  [`import { request } from 'undici';`, `(u) => request(u)`, '`request(…)`'],
  [`import axios from 'axios';`, `(u) => axios.get(u)`, '`axios.get(…)`'],
  [`import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.example' });`, `(u) => api.post(u)`, '`api.post(…)`'],
  [`import got from 'got';`, `(u) => got(u)`, '`got(…)`'],
  [`import * as fs from 'node:fs/promises';`, `(u) => fs.stat(u)`, '`fs.stat(…)`'],
  [`import fs from 'node:fs';`, `(u) => fs.promises.readFile(u)`, '`fs.promises.readFile(…)`'],
  [
    `import { readFile } from 'node:fs';`,
    `(u) => new Promise((resolve, reject) => readFile(u, (error, data) => (error ? reject(error) : resolve(data))))`,
    '`readFile(…)`',
  ],
  [`import { open } from 'node:fs/promises';`, `async (u) => (await open(u)).close()`, '`open(…)`'],
  [`import { execFile } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst run = promisify(execFile);`, `(u) => run('curl', [u])`, '`run(…)`'],
  [`import * as cp from 'node:child_process';\nimport util from 'node:util';\nconst sh = util.promisify(cp.exec);`, `(u) => sh(u)`, '`sh(…)`'],
  [`import { spawn } from 'node:child_process';`, `(u) => new Promise((resolve) => spawn('curl', [u]).on('close', resolve))`, '`spawn(…)`'],
  [`import { execa } from 'execa';`, `(u) => execa('curl', [u])`, '`execa(…)`'],
  [`import pg from 'pg';\nconst pool = new pg.Pool();`, `(u) => pool.query('select $1', [u])`, '`pool.query(…)`'],
  [`import pg from 'pg';\nconst pool = new pg.Pool();`, `async (u) => { const client = await pool.connect(); try { return await client.query(u); } finally { client.release(); } }`, '`pool.connect(…)`'],
  [`import mysql from 'mysql2/promise';\nconst db = mysql.createPool({});`, `(u) => db.execute('select ?', [u])`, '`db.execute(…)`'],
  [`import { MongoClient } from 'mongodb';\nconst client = new MongoClient('mongodb://db');\nconst users = client.db('app').collection('users');`, `(u) => users.findOne({ u })`, '`users.findOne(…)`'],
  [`import { MongoClient } from 'mongodb';\nconst client = new MongoClient('mongodb://db');`, `(u) => client.db('app').collection('users').find({ u }).toArray()`, '`….toArray(…)`'],
  [`import Redis from 'ioredis';\nconst redis = new Redis();`, `(u) => redis.get(u)`, '`redis.get(…)`'],
  [`import { createClient } from 'redis';\nconst redis = createClient();`, `(u) => redis.get(u)`, '`redis.get(…)`'],
  [`import puppeteer from 'puppeteer-core';\nconst browser = await puppeteer.launch();`, `async (u) => { const page = await browser.newPage(); await page.goto(u); }`, '`browser.newPage(…)`'],
];
for (const [setup, mapper, io] of families) {
  invalidBoth.push(
    invalid(
      `${setup}
export async function f(items: string[]) {
  const all = Promise.all(items.map(${mapper}));
  return all;
}`,
      [{ text: 'Promise.all', data: { method: 'Promise.all', work: io, per: 'element of `items`' } }],
    ),
  );
}

// through local functions, a few calls deep; methods of local classes; class fields
invalidBoth.push(
  invalid(
    `import pg from 'pg';
const pool = new pg.Pool();
async function loadUser(id: string) {
  const { rows } = await pool.query('select * from users where id = $1', [id]);
  return rows[0];
}
export async function f(ids: string[]) {
  const pending = Promise.all(ids.map(loadUser));
  return pending;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`loadUser(…)` (I/O through `pool.query(…)`)', per: 'element of `ids`' } }],
  ),
  invalid(
    `async function get(url: string) { return fetch(url); }
async function getJson(url: string) { return (await get(url)).json(); }
const sync = async (url: string) => { await getJson(url); };
export async function f(urls: string[]) {
  const all = Promise.all(urls.map(async (u) => { await sync(u); }));
  return all;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`sync(…)` (I/O through `fetch(…)`)', per: 'element of `urls`' } }],
  ),
  invalid(
    `async function crawl(url: string, depth: number): Promise<void> {
  if (depth > 0) await crawl(url, depth - 1);
  await fetch(url);
}
export async function f(urls: string[]) {
  const all = Promise.all(urls.map((u) => crawl(u, 2)));
  return all;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`crawl(…)` (I/O through `fetch(…)`)', per: 'element of `urls`' } }],
  ),
  invalid(
    `import Redis from 'ioredis';
export class Cache {
  private redis = new Redis();
  async read(key: string) { return this.redis.get(key); }
  async readAll(keys: string[]) {
    const all = Promise.all(keys.map((k) => this.read(k)));
    return all;
  }
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`this.read(…)` (I/O through `this.redis.get(…)`)', per: 'element of `keys`' } }],
  ),
  invalid(
    `async function save(id: string) { await fetch('/save/' + id, { method: 'POST' }); }
export async function f(ids: string[]) {
  const all = Promise.all(ids.map((id) => (async () => { await save(id); })()));
  return all;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`save(…)` (I/O through `fetch(…)`)', per: 'element of `ids`' } }],
  ),
);

// started promises pushed in a loop, then awaited together
invalidBoth.push(
  invalid(
    `async function notify(id: string) { await fetch('/notify/' + id, { method: 'POST' }); }
export async function f(ids: string[]) {
  const tasks: Promise<void>[] = [];
  for (const id of ids) {
    tasks.push(notify(id));
  }
  await Promise.all(tasks);
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`notify(…)` (I/O through `fetch(…)`)', per: 'element of `ids`' } }],
  ),
  invalid(
    `import pg from 'pg';
const pool = new pg.Pool();
export async function f(ids: string[]) {
  const tasks: Promise<unknown>[] = [];
  ids.forEach((id) => tasks.push(pool.query('delete from t where id = $1', [id])));
  console.log(tasks.length);
  await Promise.allSettled(tasks);
}`,
    [{ text: 'Promise.allSettled', data: { method: 'Promise.allSettled', work: '`pool.query(…)`', per: 'element of `ids`' } }],
  ),
  invalid(
    `export async function f(next: () => string | undefined) {
  const tasks = [];
  let url;
  while ((url = next())) tasks.push(fetch(url));
  return Promise.all(tasks);
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`fetch(…)`', per: 'iteration of the `while` loop' } }],
  ),
  invalid(
    `export async function f(count: number) {
  const tasks: Promise<Response>[] = [];
  for (let i = 0; i < count; i++) tasks.push(fetch('/page/' + i));
  await Promise.race(tasks);
}`,
    [{ text: 'Promise.race', data: { method: 'Promise.race', work: '`fetch(…)`', per: 'iteration of the `for` loop' } }],
  ),
);

// user-declared I/O
invalidBoth.push(
  invalid(
    `declare const api: { load(id: string): Promise<unknown> };
export async function f(ids: string[]) {
  const all = Promise.all(ids.map((id) => api.load(id)));
  return all;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`api.load(…)`', per: 'element of `ids`' } }],
    { ioFunctions: ['api.load'] },
  ),
);

// plain JavaScript (the untyped mode's home): the helper has no types
{
  const code = `export async function f(urls) {
  return Promise.all(urls.map((u) => fetch(u)));
}`;
  invalidUntypedJs.push(
    invalid(
      code,
      [
        {
          text: 'Promise.all',
          data: fetchPer('urls'),
          suggest: [pool('Promise.all(urls.map((u) => fetch(u)))', `${POOL_HELPER}(urls, 8, (u) => fetch(u))`, { typescript: false })],
        },
      ],
      undefined,
      path.join(path.dirname(typedFile), 'file.js'),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Typed only: the checker sees receivers' types, tuples, and functions in other files
// ---------------------------------------------------------------------------------------------

const validTyped: Valid[] = [
  // a tuple type fixes the length
  `export async function f(urls: readonly [string, string, string]) { await Promise.all(urls.map((u) => fetch(u))); }`,
  `const endpoints = ['https://a.example', 'https://b.example'] as const;
export async function f() { await Promise.all(endpoints.map((u) => fetch(u))); }`,
  // an imported async function that does no I/O
  `import { double } from './imports/io.js';
export async function f(xs: number[]) { return Promise.all(xs.map(double)); }`,
];

const invalidTyped: Invalid[] = [
  // a receiver known only by its type
  invalid(
    `import type { Pool } from 'pg';
export async function f(pool: Pool, ids: string[]) {
  const all = Promise.all(ids.map((id) => pool.query('select $1', [id])));
  return all;
}`,
    [{ text: 'Promise.all', data: { method: 'Promise.all', work: '`pool.query(…)`', per: 'element of `ids`' } }],
  ),
  // functions declared in another file of the program
  invalid(
    `import { loadConfig, fetchJson, viaConfig } from './imports/io.js';
export async function f(names: string[]) {
  const configs = Promise.all(names.map(loadConfig));
  const pages = Promise.all(names.map((n) => fetchJson(n)));
  const nested = Promise.all(names.map(async (n) => viaConfig(n)));
  return [configs, pages, nested];
}`,
    [
      { text: 'Promise.all', data: { method: 'Promise.all', work: '`loadConfig(…)` (I/O through `readFile(…)`)', per: 'element of `names`' } },
      { text: 'Promise.all', occurrence: 1, data: { method: 'Promise.all', work: '`fetchJson(…)` (I/O through `fetch(…)`)', per: 'element of `names`' } },
      { text: 'Promise.all', occurrence: 2, data: { method: 'Promise.all', work: '`viaConfig(…)` (I/O through `readFile(…)`)', per: 'element of `names`' } },
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// Untyped only: what the syntax cannot prove stays silent, what only types would bound is reported
// ---------------------------------------------------------------------------------------------

const validUntyped: Valid[] = [
  // a receiver known only by its type: untyped, out of sight
  `import type { Pool } from 'pg';
export async function f(pool: Pool, ids: string[]) { await Promise.all(ids.map((id) => pool.query('select $1', [id]))); }`,
  // an imported async function: untyped, its body is out of sight
  `import { loadConfig } from './imports/io.js';
export async function f(names: string[]) { return Promise.all(names.map(loadConfig)); }`,
];

const invalidUntyped: Invalid[] = [
  // a tuple type is a type: untyped, the parameter's length is unknown
  {
    ...invalid(
      `export async function f(urls: readonly [string, string, string]) {
  const all = Promise.all(urls.map((u) => fetch(u)));
  return all;
}`,
      [{ text: 'Promise.all', data: fetchPer('urls') }],
    ),
  },
];

typedRuleTester.run('no-unbounded-concurrency (typed)', rule, {
  valid: [...validBoth, ...validTyped],
  invalid: [...invalidBoth, ...invalidTyped],
});

untypedRuleTester.run('no-unbounded-concurrency (untyped)', rule, {
  valid: [...validBoth, ...validUntyped],
  invalid: [...invalidBoth, ...invalidUntyped, ...invalidUntypedJs],
});
