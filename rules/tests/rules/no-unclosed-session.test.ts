import * as assert from 'node:assert/strict';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { Linter } from '@typescript-eslint/utils/ts-eslint';
import rule, { type MessageId, type Options } from '../../src/rules/no-unclosed-session';
import { typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, tryFinallyEdit, type Expect as CaseExpect } from '../cases';

type Invalid = InvalidTestCase<MessageId, Options>;
type Valid = ValidTestCase<Options> | string;

type Expect = CaseExpect<MessageId>;

/** An invalid case stated as the text each report covers and the edits it suggests (`../cases`). */
const invalid = (code: string, expects: Expect[], options?: Options[0]): Invalid => invalidCase<MessageId, Options>(code, expects, options);

/** The `wrapInTryFinally` edit (`../cases`). */
function wrapped(lines: string[], release: string, options: { indent?: string; dropped?: string[] } = {}): [MessageId, [string, string]] {
  return tryFinallyEdit<MessageId>('wrapInTryFinally', lines, release, options);
}

/** `const x = …` → `await using x = …`, the one edit of `useAwaitUsing` when no release statement is removed. */
function awaitUsing(declaration: string): [MessageId, [string, string]] {
  return ['useAwaitUsing', [declaration, declaration.replace(/^const /, 'await using ')]];
}

const PG = `import { Pool } from 'pg';
const pool = new Pool();
`;

// ---------------------------------------------------------------------------------------------
// Cases that hold with and without type information.
// ---------------------------------------------------------------------------------------------

const validBoth: Valid[] = [
  // handed over inside a try whose catch rethrows: ESLint enters the catch before the call's
  // arguments, but nothing leaks (the lifetime tracker's rethrow-after-settle rule)
  `import { open } from 'node:fs/promises';
declare function consume(handle: unknown): Promise<void>;
export async function f(path: string) {
  const handle = await open(path);
  try {
    await consume(handle);
  } catch (error) {
    throw new Error('consume failed', { cause: error });
  }
}`,
  // ---- every catalogue entry, released on every path ----
  // undici
  `import { Pool } from 'undici';
export async function f(url: string) {
  const pool = new Pool(url);
  try {
    await pool.request({ path: '/', method: 'GET' });
  } finally {
    await pool.close();
  }
}`,
  `import { Client, Agent, BalancedPool } from 'undici';
export async function f(url: string) {
  const client = new Client(url);
  const agent = new Agent();
  const balanced = new BalancedPool([url]);
  try {
    await client.request({ path: '/', method: 'GET' });
  } finally {
    await Promise.all([client.close(), agent.close(), balanced.destroy()]);
  }
}`,
  // node:http / https agents
  `import { Agent } from 'node:http';
export function f() {
  const agent = new Agent({ keepAlive: true });
  try {
    console.log(agent);
  } finally {
    agent.destroy();
  }
}`,
  `import * as https from 'https';
export async function f(work: (agent: unknown) => Promise<void>) {
  const agent = new https.Agent({ keepAlive: true });
  await work(agent);
}`,
  // pg
  `import pg from 'pg';
export async function f(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    client.release();
  }
}`,
  `import { Client } from 'pg';
export async function f() {
  const client = new Client();
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end();
  }
}`,
  `import pg from 'pg';
export async function f() {
  const pool = new pg.Pool();
  try {
    return await pool.query('select 1');
  } finally {
    await pool.end();
  }
}`,
  // APIs that release by themselves: `pool.query`, the callback form of `pool.connect`
  `${PG}export async function f() {
  return pool.query('select 1');
}`,
  `${PG}export function f() {
  pool.connect((err, client, done) => {
    if (err) return;
    client!.query('select 1', () => done());
  });
}`,
  // mysql2 (callback API) and mysql2/promise
  `import { createPool, createConnection } from 'mysql2';
export function f() {
  const pool = createPool({ host: 'db' });
  const conn = createConnection({ host: 'db' });
  try {
    pool.query('select 1');
    conn.query('select 1');
  } finally {
    pool.end();
    conn.destroy();
  }
}`,
  `import mysql from 'mysql2';
const pool = mysql.createPool({ host: 'db' });
export function f() {
  pool.getConnection((err, conn) => {
    if (err) throw err;
    conn.query('select 1', () => conn.release());
  });
}`,
  `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: 'db' });
export async function f() {
  const conn = await pool.getConnection();
  try {
    await conn.query('select 1');
  } finally {
    conn.release();
  }
}`,
  `import { createPool, createConnection } from 'mysql2/promise';
export async function f() {
  const pool = createPool({ host: 'db' });
  try {
    const conn = await createConnection({ host: 'db' });
    try {
      return await Promise.all([pool.query('select 1'), conn.query('select 2')]);
    } finally {
      await conn.end();
    }
  } finally {
    await pool.end();
  }
}`,
  // mongodb
  `import { MongoClient } from 'mongodb';
export async function f(uri: string) {
  const client = await MongoClient.connect(uri);
  try {
    return await client.db('x').collection('y').findOne({});
  } finally {
    await client.close();
  }
}`,
  // ioredis, redis
  `import { Redis } from 'ioredis';
export async function f() {
  const redis = new Redis();
  try {
    return await redis.get('k');
  } finally {
    await redis.quit();
  }
}`,
  `import { createClient } from 'redis';
export async function f() {
  const client = createClient();
  try {
    await client.connect();
    await client.set('k', 'v');
  } finally {
    await client.close();
  }
}`,
  // node:fs/promises open / opendir, fs.promises.open, fs.openSync
  `import * as fsp from 'fs/promises';
export async function f(path: string) {
  const handle = await fsp.open(path, 'w');
  try {
    await handle.write('x');
  } finally {
    await handle.close();
  }
}`,
  `import fs from 'node:fs';
export async function f(path: string) {
  const handle = await fs.promises.open(path);
  try {
    return await handle.stat();
  } finally {
    await handle.close();
  }
}`,
  // iterating a directory with `for await` closes it
  `import { opendir } from 'node:fs/promises';
export async function f(path: string) {
  const dir = await opendir(path);
  const names: string[] = [];
  for await (const entry of dir) names.push(entry.name);
  return names;
}`,
  `import { openSync, closeSync, readSync } from 'fs';
export function f(path: string) {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(10);
    readSync(fd, buffer);
    return buffer;
  } finally {
    closeSync(fd);
  }
}`,
  // node:net sockets and servers (`listen` hands the server to the runtime)
  `import { connect } from 'net';
export function f() {
  const socket = connect(80, 'example.com');
  socket.on('error', () => socket.destroy());
  socket.end('hello');
}`,
  `import { createServer } from 'node:net';
export function f(port: number) {
  const server = createServer((socket) => socket.end());
  server.listen(port);
}`,
  // ws
  `import { WebSocket } from 'ws';
export function f(url: string) {
  const ws = new WebSocket(url);
  ws.on('open', () => {
    ws.send('hi');
    ws.close();
  });
}`,
  `import { WebSocketServer } from 'ws';
export async function f(port: number, until: Promise<void>) {
  const wss = new WebSocketServer({ port });
  try {
    await until;
  } finally {
    wss.close();
  }
}`,
  // puppeteer-core: a page closes with its browser
  `import puppeteer from 'puppeteer-core';
export async function f(url: string) {
  const browser = await puppeteer.launch({ executablePath: '/bin/chrome' });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    return await page.title();
  } finally {
    await browser.close();
  }
}`,
  `import type { Browser } from 'puppeteer-core';
export async function f(browser: Browser, url: string) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    return await page.title();
  } finally {
    await page.close();
  }
}`,
  // playwright-core: contexts and pages close with their browser
  `import { chromium } from 'playwright-core';
export async function f(url: string) {
  const browser = await chromium.launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
  } finally {
    await browser.close();
  }
}`,
  `import type { Browser } from 'playwright-core';
export async function f(browser: Browser, url: string) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
  } finally {
    await context.close();
  }
}`,
  // setInterval / clearInterval, also from a callback that runs later
  `export function f(signal: AbortSignal) {
  const timer = setInterval(() => console.log('tick'), 1000);
  signal.addEventListener('abort', () => clearInterval(timer));
}`,
  `export async function f(work: () => Promise<void>) {
  const timer = setInterval(() => console.log('still working'), 1000);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
}`,

  // ---- module-level creations are singletons ----
  `import { Pool } from 'pg';
import { Agent } from 'undici';
import puppeteer from 'puppeteer-core';
import { createClient } from 'redis';
export const pool = new Pool();
const agent = new Agent();
const redis = createClient();
export const timer = setInterval(() => console.log(agent, redis), 1000);
setInterval(() => {}, 5000);
const browser = await puppeteer.launch();
export const page = await browser.newPage();`,

  // ---- path shapes ----
  // `let` declared before the `try`, assigned inside it, released in the `finally`
  `import { Pool, type PoolClient } from 'pg';
const pool = new Pool();
export async function f() {
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('select 1');
  } finally {
    client?.release();
  }
}`,
  // an alias released
  `${PG}export async function f() {
  const client = await pool.connect();
  const c = client;
  try {
    await c.query('select 1');
  } finally {
    c.release();
  }
}`,
  // `.finally(() => …)`
  `${PG}export async function f() {
  const client = await pool.connect();
  return client.query('select 1').finally(() => client.release());
}`,
  `${PG}export async function f() {
  const client = await pool.connect();
  await client.query('select 1').finally(() => client.release());
}`,
  // a local helper that releases, called in the finally
  `${PG}export async function f() {
  const client = await pool.connect();
  function cleanup() {
    client.release();
  }
  try {
    await client.query('select 1');
  } finally {
    cleanup();
  }
}`,
  // released in a catch that rethrows, and after the try
  `${PG}export async function f() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } catch (error) {
    client.release();
    throw error;
  }
  client.release();
}`,
  // `await using`
  `import { open } from 'node:fs/promises';
export async function f(path: string) {
  await using handle = await open(path);
  return handle.readFile('utf8');
}`,
  // a release called but not awaited counts (no-unawaited-promise reports the missing await)
  `import { Client } from 'pg';
export async function f() {
  const client = new Client();
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    client.end();
  }
}`,
  // conditional creation, released
  `import { Client, Pool } from 'undici';
export async function f(url: string, pooled: boolean) {
  const dispatcher = pooled ? new Pool(url) : new Client(url);
  try {
    await dispatcher.request({ path: '/', method: 'GET' });
  } finally {
    await dispatcher.close();
  }
}`,
  // a non-reusable resource in a loop, released each iteration, is not a per-iteration session
  `import { open } from 'node:fs/promises';
export async function f(paths: string[]) {
  for (const p of paths) {
    const handle = await open(p);
    try {
      await handle.read();
    } finally {
      await handle.close();
    }
  }
}`,

  // ---- ownership escapes ----
  `${PG}export async function f() {
  const client = await pool.connect();
  return client;
}`,
  `${PG}export async function f() {
  const client = await pool.connect();
  return { client, at: Date.now() };
}`,
  // stored on the instance, which releases it (without \`release()\` the class leaks it: ownership test)
  `${PG}export class Repo {
  client?: import('pg').PoolClient;
  async open() {
    const client = await pool.connect();
    this.client = client;
  }
  release() {
    this.client?.release();
  }
}`,
  `${PG}const clients: unknown[] = [];
export async function f() {
  const client = await pool.connect();
  clients.push(client);
}`,
  `${PG}let shared: unknown;
export async function f() {
  const client = await pool.connect();
  shared = client;
}`,
  `${PG}import type { PoolClient } from 'pg';
let shared: PoolClient | undefined;
export async function f() {
  shared = await pool.connect();
}`,
  `${PG}declare function register(c: unknown): void;
export async function f() {
  const client = await pool.connect();
  register(client);
}`,
  `${PG}class Repo { constructor(readonly c: unknown) {} }
export async function f() {
  const client = await pool.connect();
  return new Repo(client);
}`,
  // with `ownershipTransfer: 'listed'`, the listed functions still take ownership
  {
    code: `${PG}declare function track(c: unknown): void;
declare const registry: { track(c: unknown): void };
export async function f() {
  const client = await pool.connect();
  track(client);
  const other = await pool.connect();
  registry.track(other);
}`,
    options: [{ ownershipTransfer: 'listed', ownershipFunctions: ['track'] }],
  },

  // ---- response bodies ----
  // consumed
  `export async function load(url: string) {
  const res = await fetch(url);
  return res.json();
}`,
  `export async function load(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(await res.text());
  return res.json();
}`,
  // cancelled on the early exit
  `export async function load(url: string) {
  const res = await fetch(url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error('failed');
  }
  return res.json();
}`,
  // passed to pipeline, or iterated
  `import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
export async function download(url: string, path: string) {
  const res = await fetch(url);
  await pipeline(res.body!, createWriteStream(path));
}`,
  `export async function load(url: string) {
  const res = await fetch(url);
  const chunks: Uint8Array[] = [];
  for await (const chunk of res.body!) chunks.push(chunk);
  return chunks;
}`,
  // returned, or handed to a function
  `export async function load(url: string) {
  const res = await fetch(url);
  console.log(res.status);
  return res;
}`,
  `declare function parse(r: Response): Promise<unknown>;
export async function load(url: string) {
  const res = await fetch(url);
  return parse(res);
}`,
  // a HEAD response has no body
  `export async function exists(url: string) {
  const res = await fetch(url, { method: 'HEAD' });
  return res.ok;
}`,
  // undici request(): the body, plain and destructured
  `import { request } from 'undici';
export async function load(url: string) {
  const res = await request(url);
  return res.body.text();
}`,
  `import { request } from 'undici';
export async function load(url: string) {
  const { statusCode, body } = await request(url);
  if (statusCode !== 200) {
    await body.dump();
    throw new Error('bad');
  }
  return body.json();
}`,
  `import { request } from 'undici';
export async function load(url: string) {
  const { body } = await request(url);
  let n = 0;
  for await (const chunk of body) n += chunk.length;
  return n;
}`,
  // a fetch in a request handler is not a session
  `declare const app: { get(path: string, h: (req: any, res: any) => void): void };
app.get('/x', async (req, res) => {
  const upstream = await fetch('https://api');
  res.json(await upstream.json());
});`,

  // ---- options ----
  // user entries
  {
    code: `import { Channel } from 'amqplib-lite';
export async function f() {
  const channel = new Channel('q');
  try {
    await channel.publish('x');
  } finally {
    await channel.close();
  }
}`,
    options: [{ resources: [{ label: 'queue channel', module: 'amqplib-lite', create: [{ construct: ['Channel'] }], release: ['close'], async: true }] }],
  },
  // without the user entry, an unknown library is not guessed at
  `import { openChannel } from 'amqplib-lite';
export async function f() {
  const channel = await openChannel('q');
  await channel.publish('x');
}`,
  // checkExceptionPaths: false
  {
    code: `${PG}export async function f() {
  const client = await pool.connect();
  await client.query('select 1');
  client.release();
}`,
    options: [{ checkExceptionPaths: false }],
  },
];

const invalidBoth: Invalid[] = [
  // ---- every catalogue entry, leaked ----
  // undici Client: never released; the wrap awaits the async release in an async function
  invalid(
    `import { Client } from 'undici';
export async function f(url: string) {
  const client = new Client(url);
  await client.request({ path: '/', method: 'GET' });
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new Client(url)',
        data: { what: '`client` from `new Client(…)`', release: 'client.close()' },
        suggest: [wrapped([`await client.request({ path: '/', method: 'GET' });`], 'await client.close()')],
      },
    ],
  ),
  // undici Agent: released only after the use
  invalid(
    `import { Agent } from 'undici';
export async function f(url: string) {
  const agent = new Agent({ keepAliveTimeout: 10 });
  const { statusCode } = await agent.request({ origin: url, path: '/', method: 'HEAD' });
  await agent.close();
  return statusCode;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'new Agent({ keepAliveTimeout: 10 })',
        data: { what: '`agent` from `new Agent(…)`', risk: 'agent.request(…)', line: '4' },
        suggest: [
          wrapped(
            [
              `const { statusCode } = await agent.request({ origin: url, path: '/', method: 'HEAD' });`,
              'await agent.close();',
              'return statusCode;',
            ],
            'await agent.close()',
            { dropped: ['await agent.close();'] },
          ),
        ],
      },
    ],
  ),
  // undici BalancedPool: in a sync function the wrap cannot await
  invalid(
    `import { BalancedPool } from 'undici';
export function f() {
  const pool = new BalancedPool(['http://a', 'http://b']);
  console.log(pool);
}`,
    [
      {
        messageId: 'neverReleased',
        text: "new BalancedPool(['http://a', 'http://b'])",
        data: { what: '`pool` from `new BalancedPool(…)`', release: 'pool.close()' },
        suggest: [wrapped(['console.log(pool);'], 'pool.close()')],
      },
    ],
  ),
  // undici Pool (and conditional creation: the report is on the branch that creates)
  invalid(
    `import { Client, Pool } from 'undici';
export async function f(url: string, pooled: boolean) {
  const dispatcher = pooled ? new Pool(url) : new Client(url);
  await dispatcher.request({ path: '/', method: 'GET' });
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new Pool(url)',
        data: { what: '`dispatcher` from `new Pool(…)`', release: 'dispatcher.close()' },
        suggest: [wrapped([`await dispatcher.request({ path: '/', method: 'GET' });`], 'await dispatcher.close()')],
      },
    ],
  ),
  // node:http and https agents
  invalid(
    `import * as http from 'node:http';
import https from 'https';
export function f() {
  const agent = new http.Agent({ keepAlive: true });
  const secure = new https.Agent({ keepAlive: true });
  console.log(agent, secure);
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new http.Agent({ keepAlive: true })',
        data: { what: '`agent` from `new http.Agent(…)`', release: 'agent.destroy()' },
        suggest: [wrapped(['const secure = new https.Agent({ keepAlive: true });', 'console.log(agent, secure);'], 'agent.destroy()')],
      },
      {
        messageId: 'neverReleased',
        text: 'new https.Agent({ keepAlive: true })',
        data: { what: '`secure` from `new https.Agent(…)`', release: 'secure.destroy()' },
        suggest: [wrapped(['console.log(agent, secure);'], 'secure.destroy()')],
      },
    ],
  ),
  // pg Pool and pool.connect(): each leaks when the next awaited call throws
  invalid(
    `import { Pool } from 'pg';
export async function f() {
  const pool = new Pool();
  const client = await pool.connect();
  await client.query('select 1');
  client.release();
  await pool.end();
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'new Pool()',
        data: { what: '`pool` from `new Pool(…)`', risk: 'pool.connect(…)', line: '4' },
        suggest: [
          wrapped(
            ['const client = await pool.connect();', `await client.query('select 1');`, 'client.release();', 'await pool.end();'],
            'await pool.end()',
            { dropped: ['await pool.end();'] },
          ),
        ],
      },
      {
        messageId: 'notReleasedOnException',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', risk: 'client.query(…)', line: '5' },
        suggest: [
          wrapped([`await client.query('select 1');`, 'client.release();', 'await pool.end();'], 'client.release()', {
            dropped: ['client.release();'],
          }),
        ],
      },
    ],
  ),
  // pg Client
  invalid(
    `import pg from 'pg';
export async function f() {
  const client = new pg.Client();
  await client.connect();
  await client.query('select 1');
  await client.end();
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'new pg.Client()',
        data: { what: '`client` from `new pg.Client(…)`', risk: 'client.connect(…)', line: '4' },
        suggest: [
          wrapped(['await client.connect();', `await client.query('select 1');`, 'await client.end();'], 'await client.end()', {
            dropped: ['await client.end();'],
          }),
        ],
      },
    ],
  ),
  // mysql2 (callback API): pool and connection
  invalid(
    `import mysql from 'mysql2';
export function f() {
  const pool = mysql.createPool({ host: 'db' });
  const conn = mysql.createConnection({ host: 'db' });
  conn.query('select 1');
  pool.query('select 1');
}`,
    [
      {
        messageId: 'neverReleased',
        text: "mysql.createPool({ host: 'db' })",
        data: { what: '`pool` from `mysql.createPool(…)`', release: 'pool.end()' },
        suggest: [
          wrapped(["const conn = mysql.createConnection({ host: 'db' });", "conn.query('select 1');", "pool.query('select 1');"], 'pool.end()'),
        ],
      },
      {
        messageId: 'neverReleased',
        text: "mysql.createConnection({ host: 'db' })",
        data: { what: '`conn` from `mysql.createConnection(…)`', release: 'conn.end()' },
        suggest: [wrapped(["conn.query('select 1');", "pool.query('select 1');"], 'conn.end()')],
      },
    ],
  ),
  // ioredis
  invalid(
    `import Redis from 'ioredis';
export async function f() {
  const redis = new Redis();
  const value = await redis.get('k');
  console.log(value);
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new Redis()',
        data: { what: '`redis` from `new Redis(…)`', release: 'redis.quit()' },
        suggest: [wrapped(["const value = await redis.get('k');", 'console.log(value);'], 'await redis.quit()')],
      },
    ],
  ),
  // redis createClient
  invalid(
    `import { createClient } from 'redis';
export async function f() {
  const client = createClient();
  await client.connect();
  await client.set('k', 'v');
  await client.quit();
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'createClient()',
        data: { what: '`client` from `createClient(…)`', risk: 'client.connect(…)', line: '4' },
        suggest: [
          wrapped(['await client.connect();', "await client.set('k', 'v');", 'await client.quit();'], 'await client.quit()', {
            dropped: ['await client.quit();'],
          }),
        ],
      },
    ],
  ),
  // opendir
  invalid(
    `import { opendir } from 'node:fs/promises';
export async function f(path: string) {
  const dir = await opendir(path);
  const first = await dir.read();
  return first?.name;
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'opendir(path)',
        data: { what: '`dir` from `opendir(…)` (Node.js warns when a directory handle is garbage-collected open, and is moving to crash as it does for file handles)', release: 'dir.close()' },
        suggest: [wrapped(['const first = await dir.read();', 'return first?.name;'], 'await dir.close()')],
      },
    ],
  ),
  // fs.openSync: the release is a function of the same module object
  invalid(
    `import * as fs from 'node:fs';
export function f(path: string) {
  fs.openSync(path, 'r');
}`,
    [
      {
        messageId: 'neverReleased',
        text: "fs.openSync(path, 'r')",
        data: { what: 'The file descriptor from `fs.openSync(…)`', release: 'fs.closeSync(…)' },
      },
    ],
  ),
  // node:net server (the socket, async-disposable when typed, is in `disposableCases`)
  invalid(
    `import { createServer } from 'node:net';
export function f() {
  const server = createServer((socket) => socket.end());
  return server.address();
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'createServer((socket) => socket.end())',
        data: { what: '`server` from `createServer(…)`', release: 'server.close()' },
        suggest: [wrapped(['return server.address();'], 'server.close()')],
      },
    ],
  ),
  // ws: a WebSocket and a WebSocketServer, each leaked when waiting for it throws
  invalid(
    `import WebSocket from 'ws';
import { once } from 'node:events';
export async function f(url: string) {
  const ws = new WebSocket(url);
  await once(ws, 'open');
  ws.send('hi');
  ws.close();
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'new WebSocket(url)',
        data: { what: '`ws` from `new WebSocket(…)`', risk: 'once(…)', line: '5' },
        suggest: [wrapped(["await once(ws, 'open');", "ws.send('hi');", 'ws.close();'], 'ws.close()', { dropped: ['ws.close();'] })],
      },
    ],
  ),
  invalid(
    `import { WebSocketServer } from 'ws';
import { once } from 'node:events';
export async function f(port: number) {
  const wss = new WebSocketServer({ port });
  await once(wss, 'listening');
  wss.close();
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'new WebSocketServer({ port })',
        data: { what: '`wss` from `new WebSocketServer(…)`', risk: 'once(…)', line: '5' },
        suggest: [wrapped(["await once(wss, 'listening');", 'wss.close();'], 'wss.close()', { dropped: ['wss.close();'] })],
      },
    ],
  ),
  // undici ProxyAgent and EnvHttpProxyAgent
  invalid(
    `import { ProxyAgent, EnvHttpProxyAgent } from 'undici';
export function f(proxy: string) {
  const agent = new ProxyAgent(proxy);
  const env = new EnvHttpProxyAgent();
  return [agent.closed, env.closed];
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new ProxyAgent(proxy)',
        data: { what: '`agent` from `new ProxyAgent(…)`', release: 'agent.close()' },
        suggest: [wrapped(['const env = new EnvHttpProxyAgent();', 'return [agent.closed, env.closed];'], 'agent.close()')],
      },
      {
        messageId: 'neverReleased',
        text: 'new EnvHttpProxyAgent()',
        data: { what: '`env` from `new EnvHttpProxyAgent(…)`', release: 'env.close()' },
        suggest: [wrapped(['return [agent.closed, env.closed];'], 'env.close()')],
      },
    ],
  ),
  // puppeteer-core: the browser leaks; its page is covered by that one report
  invalid(
    `import puppeteer from 'puppeteer-core';
export async function f(url: string) {
  const browser = await puppeteer.launch({ executablePath: '/bin/chrome' });
  const page = await browser.newPage();
  await page.goto(url);
  const title = await page.title();
  await browser.close();
  return title;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "puppeteer.launch({ executablePath: '/bin/chrome' })",
        data: { what: '`browser` from `puppeteer.launch(…)`', risk: 'browser.newPage(…)', line: '4' },
        suggest: [
          wrapped(
            ['const page = await browser.newPage();', 'await page.goto(url);', 'const title = await page.title();', 'await browser.close();', 'return title;'],
            'await browser.close()',
            { dropped: ['await browser.close();'] },
          ),
        ],
      },
    ],
  ),
  invalid(
    `import { launch } from 'puppeteer-core';
export async function f() {
  const browser = await launch({ executablePath: '/bin/chrome' });
  const page = await browser.newPage();
  console.log(page.url());
}`,
    [
      {
        messageId: 'neverReleased',
        text: "launch({ executablePath: '/bin/chrome' })",
        data: { what: '`browser` from `launch(…)`', release: 'browser.close()' },
        suggest: [wrapped(['const page = await browser.newPage();', 'console.log(page.url());'], 'await browser.close()')],
      },
    ],
  ),
  // a page of a browser the function does not own
  invalid(
    `import type { Browser } from 'puppeteer-core';
export async function f(browser: Browser, url: string) {
  const page = await browser.newPage();
  await page.goto(url);
  return page.title();
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'browser.newPage()',
        data: { what: '`page` from `browser.newPage(…)`', release: 'page.close()' },
        suggest: [wrapped(['await page.goto(url);', 'return page.title();'], 'await page.close()')],
      },
    ],
  ),
  // setInterval, dropped on the spot
  invalid(
    `export function f() {
  setInterval(() => console.log('tick'), 1000);
}`,
    [
      {
        messageId: 'neverReleased',
        text: "setInterval(() => console.log('tick'), 1000)",
        data: { what: 'The interval timer from `setInterval(…)`', release: 'clearInterval(…)' },
      },
    ],
  ),

  // ---- path shapes ----
  // early return before the try: no wrap offered, the release already sits in a finally
  invalid(
    `${PG}export async function f(id: string) {
  const client = await pool.connect();
  if (!id) return null;
  try {
    return await client.query('select 1');
  } finally {
    client.release();
  }
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', exit: 'when the function returns at line 5' },
      },
    ],
  ),
  // an explicit throw
  invalid(
    `import { Client } from 'undici';
export async function f(url: string, token?: string) {
  const client = new Client(url);
  if (!token) throw new Error('no token');
  await client.close();
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'new Client(url)',
        data: { what: '`client` from `new Client(…)`', exit: 'when it throws at line 4' },
        suggest: [
          wrapped(["if (!token) throw new Error('no token');", 'await client.close();'], 'await client.close()', {
            dropped: ['await client.close();'],
          }),
        ],
      },
    ],
  ),
  // break and continue
  invalid(
    `${PG}export async function f(ids: string[]) {
  for (const id of ids) {
    const client = await pool.connect();
    if (id === 'stop') break;
    client.release();
  }
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', exit: 'when the loop breaks at line 6' },
        suggest: [
          wrapped(["if (id === 'stop') break;", 'client.release();'], 'client.release()', { indent: '    ', dropped: ['client.release();'] }),
        ],
      },
    ],
  ),
  invalid(
    `${PG}export async function f(ids: string[]) {
  for (const id of ids) {
    const client = await pool.connect();
    if (id === 'skip') continue;
    client.release();
  }
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', exit: 'when the loop continues at line 6' },
        suggest: [
          wrapped(["if (id === 'skip') continue;", 'client.release();'], 'client.release()', { indent: '    ', dropped: ['client.release();'] }),
        ],
      },
    ],
  ),
  // a binding reassigned in a loop drops the previous iteration's client
  invalid(
    `${PG}export async function f(ids: string[]) {
  let client;
  for (const id of ids) {
    client = await pool.connect();
    console.log(id);
  }
  client?.release();
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', exit: 'when `client` is reassigned at line 6' },
      },
    ],
  ),
  // released only on the normal path
  invalid(
    `${PG}export async function f() {
  const client = await pool.connect();
  const { rows } = await client.query('select 1');
  client.release();
  return rows;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', risk: 'client.query(…)', line: '5' },
        suggest: [
          wrapped(["const { rows } = await client.query('select 1');", 'client.release();', 'return rows;'], 'client.release()', {
            dropped: ['client.release();'],
          }),
        ],
      },
    ],
  ),
  // looking at it is not taking it over
  invalid(
    `${PG}export async function f() {
  const client = await pool.connect();
  console.log(client);
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', release: 'client.release()' },
        suggest: [wrapped(['console.log(client);'], 'client.release()')],
      },
    ],
  ),
  // with `ownershipTransfer: 'listed'`, an unlisted function does not take ownership
  invalid(
    `${PG}declare function register(c: unknown): void;
export async function f() {
  const client = await pool.connect();
  register(client);
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', release: 'client.release()' },
        suggest: [wrapped(['register(client);'], 'client.release()')],
      },
    ],
    { ownershipTransfer: 'listed', ownershipFunctions: ['track'] },
  ),

  // ---- sessions per request or per loop iteration ----
  // Express-style route: hoisted just above the statement that registers the handler
  (() => {
    const code = `import express from 'express';
import { Pool } from 'pg';
const app = express();
app.get('/x', async (req, res) => {
  const pool = new Pool();
  const { rows } = await pool.query('select 1');
  res.json(rows);
});`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: 'new Pool()',
        data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.get('/x', async (req, res) => {
  
  const { rows } = await pool.query('select 1');
  res.json(rows);
});`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // the initializer uses a request-local value: no hoist
  invalid(
    `import { Pool } from 'pg';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
app.get('/x', async (req, res) => {
  const pool = new Pool({ connectionString: req.query.db });
  const { rows } = await pool.query('select 1');
  await pool.end();
  res.json(rows);
});`,
    [
      {
        messageId: 'sessionPerRequest',
        text: 'new Pool({ connectionString: req.query.db })',
        data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' },
      },
    ],
  ),
  // a module binding of the same name: no hoist
  invalid(
    `import { Pool } from 'pg';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
const pool = 1;
app.get('/x', async (req, res) => {
  const pool = new Pool();
  res.json(pool);
});`,
    [
      {
        messageId: 'sessionPerRequest',
        text: 'new Pool()',
        occurrence: 0,
        data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' },
      },
    ],
  ),
  // made and dropped in the handler: reported, nothing to hoist
  invalid(
    `import { Pool } from 'pg';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
app.get('/x', (req, res) => {
  new Pool();
  res.end();
});`,
    [{ messageId: 'sessionPerRequest', text: 'new Pool()', data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' } }],
  ),
  // a node:http createServer handler
  (() => {
    const code = `import * as http from 'node:http';
import { Agent } from 'undici';
http.createServer(async (req, res) => {
  const agent = new Agent();
  res.end(String(agent));
}).listen(8080);`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: 'new Agent()',
        data: { what: '`new Agent(…)`', label: 'undici Agent', where: 'on every request' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `import * as http from 'node:http';
import { Agent } from 'undici';
const agent = new Agent();
http.createServer(async (req, res) => {
  
  res.end(String(agent));
}).listen(8080);`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // a `'request'` listener, with a MongoClient
  (() => {
    const code = `import { createServer } from 'node:http';
import { MongoClient } from 'mongodb';
const server = createServer();
server.on('request', async (req, res) => {
  const client = new MongoClient('mongodb://db');
  res.end(String(await client.db().collection('x').countDocuments()));
});
server.listen(80);`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: "new MongoClient('mongodb://db')",
        data: { what: '`new MongoClient(…)`', label: 'MongoClient', where: 'on every request' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `import { createServer } from 'node:http';
import { MongoClient } from 'mongodb';
const server = createServer();
const client = new MongoClient('mongodb://db');
server.on('request', async (req, res) => {
  
  res.end(String(await client.db().collection('x').countDocuments()));
});
server.listen(80);`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // a loop: the MongoClient uses the loop variable, so no hoist
  invalid(
    `import { MongoClient } from 'mongodb';
export async function f(uris: string[]) {
  for (const uri of uris) {
    const client = new MongoClient(uri);
    await client.close();
  }
}`,
    [
      {
        messageId: 'sessionPerRequest',
        text: 'new MongoClient(uri)',
        data: { what: '`new MongoClient(…)`', label: 'MongoClient', where: 'on every loop iteration' },
      },
    ],
  ),
  // a loop: an https agent with constant options is hoisted
  (() => {
    const code = `import { Agent } from 'node:https';
export async function f(urls: string[]) {
  let i = 0;
  while (i < urls.length) {
    const agent = new Agent({ keepAlive: true });
    console.log(agent);
    i++;
  }
}`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: 'new Agent({ keepAlive: true })',
        data: { what: '`new Agent(…)`', label: 'HTTP agent', where: 'on every loop iteration' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `import { Agent } from 'node:https';
const agent = new Agent({ keepAlive: true });
export async function f(urls: string[]) {
  let i = 0;
  while (i < urls.length) {
    
    console.log(agent);
    i++;
  }
}`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // a redis client per loop iteration
  (() => {
    const code = `import { createClient } from 'redis';
export async function f(keys: string[]) {
  for (const key of keys) {
    const client = createClient();
    console.log(client, key);
  }
}`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: 'createClient()',
        data: { what: '`createClient(…)`', label: 'redis client', where: 'on every loop iteration' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `import { createClient } from 'redis';
const client = createClient();
export async function f(keys: string[]) {
  for (const key of keys) {
    
    console.log(client, key);
  }
}`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // checkSessionsPerRequest: false — then it is an ordinary leak
  invalid(
    `import { Pool } from 'pg';
export async function f(ids: string[]) {
  for (const id of ids) {
    const pool = new Pool();
    await pool.query(id);
  }
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new Pool()',
        data: { what: '`pool` from `new Pool(…)`', release: 'pool.end()' },
        suggest: [wrapped(['await pool.query(id);'], 'await pool.end()', { indent: '    ' })],
      },
    ],
    { checkSessionsPerRequest: false },
  ),

  // ---- response bodies ----
  // `if (!res.ok) { throw … }`: cancel inserted before the throw
  invalid(
    `export async function load(url: string) {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(\`HTTP \${res.status}\`);
  }
  return res.json();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when it throws at line 4' },
        suggest: [
          [
            'cancelBody',
            [
              '    throw new Error(`HTTP ${res.status}`);',
              '    await res.body?.cancel();\n    throw new Error(`HTTP ${res.status}`);',
            ],
          ],
        ],
      },
    ],
  ),
  // `if (!res.ok) throw …`: the statement becomes a block
  invalid(
    `export async function load(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
  return res.json();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when it throws at line 3' },
        suggest: [
          [
            'cancelBody',
            [
              'if (!res.ok) throw new Error(`HTTP ${res.status}`);',
              'if (!res.ok) {\n    await res.body?.cancel();\n    throw new Error(`HTTP ${res.status}`);\n  }',
            ],
          ],
        ],
      },
    ],
  ),
  // an early return
  invalid(
    `export async function load(url: string) {
  const response = await fetch(url);
  if (response.status === 404) return null;
  return await response.text();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`response` from `fetch(…)`', exit: 'when the function returns at line 3' },
        suggest: [
          [
            'cancelBody',
            ['if (response.status === 404) return null;', 'if (response.status === 404) {\n    await response.body?.cancel();\n    return null;\n  }'],
          ],
        ],
      },
    ],
  ),
  // a bare throw with an `else`: the new block keeps it
  invalid(
    `export async function load(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error('x');
  else return res.json();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when it throws at line 3' },
        suggest: [['cancelBody', ["if (!res.ok) throw new Error('x');", "if (!res.ok) {\n    await res.body?.cancel();\n    throw new Error('x');\n  }"]]],
      },
    ],
  ),
  // a switch case
  invalid(
    `export async function load(url: string) {
  const res = await fetch(url);
  switch (res.status) {
    case 204:
      return null;
    default:
      return res.json();
  }
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when the function returns at line 5' },
        suggest: [['cancelBody', ['      return null;', '      await res.body?.cancel();\n      return null;']]],
      },
    ],
  ),
  // only the status read
  invalid(
    `export async function ping(url: string) {
  const res = await fetch(url);
  return res.status;
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when the function returns at line 3' },
        suggest: [['cancelBody', ['  return res.status;', '  await res.body?.cancel();\n  return res.status;']]],
      },
    ],
  ),
  // undici fetch
  invalid(
    `import { fetch } from 'undici';
export async function load(url: string) {
  const res = await fetch(url);
  if (!res.ok) return undefined;
  return res.arrayBuffer();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when the function returns at line 4' },
        suggest: [['cancelBody', ['if (!res.ok) return undefined;', 'if (!res.ok) {\n    await res.body?.cancel();\n    return undefined;\n  }']]],
      },
    ],
  ),
  // undici request(): plain and destructured; the body is dumped
  invalid(
    `import { request } from 'undici';
export async function load(url: string) {
  const res = await request(url);
  if (res.statusCode !== 200) throw new Error('bad');
  return res.body.json();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'request(url)',
        data: { what: '`res` from `request(…)`', exit: 'when it throws at line 4' },
        suggest: [
          [
            'cancelBody',
            ["if (res.statusCode !== 200) throw new Error('bad');", "if (res.statusCode !== 200) {\n    await res.body.dump();\n    throw new Error('bad');\n  }"],
          ],
        ],
      },
    ],
  ),
  invalid(
    `import { request } from 'undici';
export async function load(url: string) {
  const { statusCode, body } = await request(url);
  if (statusCode !== 200) throw new Error('bad');
  return body.json();
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'request(url)',
        data: { what: '`body` from `request(…)`', exit: 'when it throws at line 4' },
        suggest: [
          ['cancelBody', ["if (statusCode !== 200) throw new Error('bad');", "if (statusCode !== 200) {\n    await body.dump();\n    throw new Error('bad');\n  }"]],
        ],
      },
    ],
  ),

  // ---- user entries ----
  invalid(
    `import { openChannel } from 'amqplib-lite';
export async function f() {
  const channel = await openChannel('q');
  await channel.publish('x');
}`,
    [
      {
        messageId: 'neverReleased',
        text: "openChannel('q')",
        data: { what: '`channel` from `openChannel(…)`', release: 'channel.close()' },
        suggest: [wrapped(["await channel.publish('x');"], 'await channel.close()')],
      },
    ],
    { resources: [{ label: 'queue channel', module: 'amqplib-lite', create: [{ call: ['openChannel'] }], release: ['close'], async: true }] },
  ),
  // a reusable user entry made per loop iteration, and a user entry derived from another by a method
  invalid(
    `import { connect, returnLease } from 'mq';
const shared = connect();
export async function f(items: string[]) {
  for (const item of items) {
    const conn = connect(item);
    await conn.send(item);
  }
  const lease = shared.lease();
  await lease.use();
  returnLease(lease);
}`,
    [
      {
        messageId: 'sessionPerRequest',
        text: 'connect(item)',
        data: { what: '`connect(…)`', label: 'mq connection', where: 'on every loop iteration' },
      },
      {
        messageId: 'notReleasedOnException',
        text: 'shared.lease()',
        data: { what: '`lease` from `shared.lease(…)`', risk: 'lease.use(…)', line: '9' },
        suggest: [wrapped(['await lease.use();', 'returnLease(lease);'], 'returnLease(lease)', { dropped: ['returnLease(lease);'] })],
      },
    ],
    {
      resources: [
        { id: 'mq.Connection', label: 'mq connection', module: 'mq', create: [{ call: ['connect'] }], release: ['disconnect'], async: true, reusable: true },
        { label: 'mq lease', module: 'mq', create: [{ method: 'lease', on: ['mq.Connection'] }], release: ['giveBack'], releaseFunctions: ['returnLease'] },
      ],
    },
  ),
];

// ---------------------------------------------------------------------------------------------
// Typed only: receivers known by their declared type, async-disposable types (`await using`),
// and the typed fallback for values that are only known to be disposable.
// ---------------------------------------------------------------------------------------------

const validTyped: Valid[] = [
  // a disposable released by one of its own methods
  `class Lock implements AsyncDisposable {
  async [Symbol.asyncDispose]() {}
  async release() {}
}
declare function acquireLock(): Promise<Lock>;
export async function f() {
  const lock = await acquireLock();
  try {
    console.log(lock);
  } finally {
    await lock.release();
  }
}`,
];

/** Leaks whose type is async-disposable: typed, `await using` is offered before the wrap; untyped, only the wrap. */
const disposableCases: { code: string; expect: Expect; declaration: string }[] = [
  {
    code: `import { open } from 'node:fs/promises';
export async function read(path: string) {
  const handle = await open(path);
  console.log(await handle.stat());
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'open(path)',
      data: { what: '`handle` from `open(…)` (Node.js 24 and later crash when a file handle is garbage-collected open)', release: 'handle.close()' },
      suggest: [wrapped(['console.log(await handle.stat());'], 'await handle.close()')],
    },
    declaration: 'const handle = await open(path);',
  },
  {
    code: `import fs from 'node:fs';
export async function f(path: string) {
  const handle = await fs.promises.open(path);
  return handle.stat();
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'fs.promises.open(path)',
      data: { what: '`handle` from `fs.promises.open(…)` (Node.js 24 and later crash when a file handle is garbage-collected open)', release: 'handle.close()' },
      suggest: [wrapped(['return handle.stat();'], 'await handle.close()')],
    },
    declaration: 'const handle = await fs.promises.open(path);',
  },
  {
    code: `import { createPool } from 'mysql2/promise';
export async function f() {
  const pool = createPool({ host: 'db' });
  const [rows] = await pool.query('select 1');
  return rows;
}`,
    expect: {
      messageId: 'neverReleased',
      text: "createPool({ host: 'db' })",
      data: { what: '`pool` from `createPool(…)`', release: 'pool.end()' },
      suggest: [wrapped(["const [rows] = await pool.query('select 1');", 'return rows;'], 'await pool.end()')],
    },
    declaration: "const pool = createPool({ host: 'db' });",
  },
  {
    code: `import * as net from 'node:net';
import { once } from 'node:events';
export async function f(port: number) {
  const socket = net.connect(port, 'example.com');
  await once(socket, 'connect');
  return socket.remoteAddress;
}`,
    expect: {
      messageId: 'neverReleased',
      text: "net.connect(port, 'example.com')",
      // `end()` flushes, then closes: the release a finally on the normal path wants.
      data: { what: '`socket` from `net.connect(…)`', release: 'socket.end()' },
      suggest: [wrapped(["await once(socket, 'connect');", 'return socket.remoteAddress;'], 'socket.end()')],
    },
    declaration: "const socket = net.connect(port, 'example.com');",
  },
  {
    code: `import type { BrowserContext } from 'playwright-core';
export async function f(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'context.newPage()',
      data: { what: '`page` from `context.newPage(…)`', release: 'page.close()' },
      suggest: [wrapped(['await page.goto(url);'], 'await page.close()')],
    },
    declaration: 'const page = await context.newPage();',
  },
  {
    code: `import { MongoClient } from 'mongodb';
export async function f(uri: string) {
  const client = new MongoClient(uri);
  const doc = await client.db('x').collection('y').findOne({});
  console.log(doc);
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'new MongoClient(uri)',
      data: { what: '`client` from `new MongoClient(…)`', release: 'client.close()' },
      suggest: [wrapped(["const doc = await client.db('x').collection('y').findOne({});", 'console.log(doc);'], 'await client.close()')],
    },
    declaration: 'const client = new MongoClient(uri);',
  },
  {
    code: `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: 'db' });
export async function f() {
  const conn = await pool.getConnection();
  await conn.query('select 1');
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'pool.getConnection()',
      data: { what: '`conn` from `pool.getConnection(…)`', release: 'conn.release()' },
      suggest: [wrapped(["await conn.query('select 1');"], 'conn.release()')],
    },
    declaration: 'const conn = await pool.getConnection();',
  },
  {
    code: `import { createConnection } from 'mysql2/promise';
export async function f() {
  const conn = await createConnection({ host: 'db' });
  const [rows] = await conn.query('select 1');
  return rows;
}`,
    expect: {
      messageId: 'neverReleased',
      text: "createConnection({ host: 'db' })",
      data: { what: '`conn` from `createConnection(…)`', release: 'conn.end()' },
      suggest: [wrapped(["const [rows] = await conn.query('select 1');", 'return rows;'], 'await conn.end()')],
    },
    declaration: "const conn = await createConnection({ host: 'db' });",
  },
  {
    code: `import { chromium } from 'playwright-core';
export async function f(url: string) {
  const browser = await chromium.launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'chromium.launch()',
      data: { what: '`browser` from `chromium.launch(…)`', release: 'browser.close()' },
      suggest: [
        wrapped(['const context = await browser.newContext();', 'const page = await context.newPage();', 'await page.goto(url);'], 'await browser.close()'),
      ],
    },
    declaration: 'const browser = await chromium.launch();',
  },
  {
    code: `import type { Browser } from 'playwright-core';
export async function f(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
}`,
    expect: {
      messageId: 'neverReleased',
      text: 'browser.newContext()',
      data: { what: '`context` from `browser.newContext(…)`', release: 'context.close()' },
      suggest: [wrapped(['const page = await context.newPage();', 'await page.goto(url);'], 'await context.close()')],
    },
    declaration: 'const context = await browser.newContext();',
  },
];

/** Typed: `useAwaitUsing` (the declaration rewritten in place) first, then the untyped suggestions. */
function withAwaitUsing({ code, expect, declaration }: (typeof disposableCases)[number]): Invalid {
  return invalid(code, [{ ...expect, suggest: [awaitUsing(declaration), ...(expect.suggest ?? [])] }]);
}

const invalidTyped: Invalid[] = [
  ...disposableCases.map(withAwaitUsing),
  // a release that is not the last statement: `await using` drops it (the line it stood on stays, empty)
  (() => {
    const code = `import { MongoClient } from 'mongodb';
export async function f(uri: string) {
  const client = new MongoClient(uri);
  await client.connect();
  const doc = await client.db('x').collection('y').findOne({});
  await client.close();
  return doc;
}`;
    return invalid(code, [
      {
        messageId: 'notReleasedOnException',
        text: 'new MongoClient(uri)',
        data: { what: '`client` from `new MongoClient(…)`', risk: 'client.connect(…)', line: '4' },
        suggest: [
          [
            'useAwaitUsing',
            [
              code,
              `import { MongoClient } from 'mongodb';
export async function f(uri: string) {
  await using client = new MongoClient(uri);
  await client.connect();
  const doc = await client.db('x').collection('y').findOne({});
  
  return doc;
}`,
            ],
          ],
          wrapped(
            ['await client.connect();', "const doc = await client.db('x').collection('y').findOne({});", 'await client.close();', 'return doc;'],
            'await client.close()',
            { dropped: ['await client.close();'] },
          ),
        ],
      },
    ]);
  })(),
  // an explicit throw, with `await using` offered (it drops the release statement)
  (() => {
    const code = `import { open } from 'node:fs/promises';
export async function f(path: string, strict: boolean) {
  const handle = await open(path);
  if (strict) throw new Error('strict');
  console.log(await handle.stat());
  await handle.close();
}`;
    return invalid(code, [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'open(path)',
        data: { what: '`handle` from `open(…)` (Node.js 24 and later crash when a file handle is garbage-collected open)', exit: 'when it throws at line 4' },
        suggest: [
          [
            'useAwaitUsing',
            [
              code,
              `import { open } from 'node:fs/promises';
export async function f(path: string, strict: boolean) {
  await using handle = await open(path);
  if (strict) throw new Error('strict');
  console.log(await handle.stat());
  
}`,
            ],
          ],
          wrapped(["if (strict) throw new Error('strict');", 'console.log(await handle.stat());', 'await handle.close();'], 'await handle.close()', {
            dropped: ['await handle.close();'],
          }),
        ],
      },
    ]);
  })(),
  // not in an async function: neither `await using` nor an awaited release
  invalid(
    `import { MongoClient } from 'mongodb';
export function f(uri: string) {
  const client = new MongoClient(uri);
  console.log(client.options);
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new MongoClient(uri)',
        data: { what: '`client` from `new MongoClient(…)`', release: 'client.close()' },
        suggest: [wrapped(['console.log(client.options);'], 'client.close()')],
      },
    ],
  ),
  // a pool client from a receiver known only by its declared type
  invalid(
    `import type { Pool } from 'pg';
export async function f(db: Pool) {
  const c = await db.connect();
  await c.query('select 1');
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'db.connect()',
        data: { what: '`c` from `db.connect(…)`', release: 'c.release()' },
        suggest: [wrapped(["await c.query('select 1');"], 'c.release()')],
      },
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// Untyped only: CommonJS requires, and what the syntactic model cannot know.
// ---------------------------------------------------------------------------------------------

const validUntyped: Valid[] = [
  // an unknown receiver is not guessed at without a name that says "pool"
  `export async function f(db) {
  const c = await db.connect();
  await c.query('select 1');
}`,
  `const { Pool } = require('pg');
const pool = new Pool();
async function f() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    client.release();
  }
}
module.exports = { f };`,
];

const invalidUntyped: Invalid[] = [
  ...disposableCases.map(({ code, expect }) => invalid(code, [expect])),
  invalid(
    `import { MongoClient } from 'mongodb';
export async function f(uri: string) {
  const client = new MongoClient(uri);
  await client.connect();
  const doc = await client.db('x').collection('y').findOne({});
  await client.close();
  return doc;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'new MongoClient(uri)',
        data: { what: '`client` from `new MongoClient(…)`', risk: 'client.connect(…)', line: '4' },
        suggest: [
          wrapped(
            ['await client.connect();', "const doc = await client.db('x').collection('y').findOne({});", 'await client.close();', 'return doc;'],
            'await client.close()',
            { dropped: ['await client.close();'] },
          ),
        ],
      },
    ],
  ),
  invalid(
    `import { open } from 'node:fs/promises';
export async function f(path: string, strict: boolean) {
  const handle = await open(path);
  if (strict) throw new Error('strict');
  console.log(await handle.stat());
  await handle.close();
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'open(path)',
        data: { what: '`handle` from `open(…)` (Node.js 24 and later crash when a file handle is garbage-collected open)', exit: 'when it throws at line 4' },
        suggest: [
          wrapped(["if (strict) throw new Error('strict');", 'console.log(await handle.stat());', 'await handle.close();'], 'await handle.close()', {
            dropped: ['await handle.close();'],
          }),
        ],
      },
    ],
  ),
  // CommonJS requires
  invalid(
    `const { Pool } = require('pg');
const pool = new Pool();
async function f() {
  const client = await pool.connect();
  await client.query('select 1');
  client.release();
}
module.exports = { f };`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', risk: 'client.query(…)', line: '5' },
        suggest: [wrapped(["await client.query('select 1');", 'client.release();'], 'client.release()', { dropped: ['client.release();'] })],
      },
    ],
  ),
  invalid(
    `const mysql = require('mysql2/promise');
async function f() {
  const conn = await mysql.createConnection({});
  await conn.query('x');
}
module.exports = f;`,
    [
      {
        messageId: 'neverReleased',
        text: 'mysql.createConnection({})',
        data: { what: '`conn` from `mysql.createConnection(…)`', release: 'conn.end()' },
        suggest: [wrapped(["await conn.query('x');"], 'await conn.end()')],
      },
    ],
  ),
  invalid(
    `const puppeteer = require('puppeteer-core');
async function f() {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  await page.goto('x');
  await browser.close();
}
module.exports = f;`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'puppeteer.launch()',
        data: { what: '`browser` from `puppeteer.launch(…)`', risk: 'browser.newPage(…)', line: '4' },
        suggest: [
          wrapped(['const page = await browser.newPage();', "await page.goto('x');", 'await browser.close();'], 'await browser.close()', {
            dropped: ['await browser.close();'],
          }),
        ],
      },
    ],
  ),
];

typedRuleTester.run('no-unclosed-session (typed)', rule, {
  valid: [...validBoth, ...validTyped],
  invalid: [...invalidBoth, ...invalidTyped],
});

untypedRuleTester.run('no-unclosed-session (untyped)', rule, {
  valid: [...validBoth, ...validUntyped],
  invalid: [...invalidBoth, ...invalidUntyped],
});

// ---------------------------------------------------------------------------------------------
// Options the schema refuses. @typescript-eslint/rule-tester cannot expect a case to throw (it
// validates the options inside its own `it`), so these go through ESLint's Linter directly:
// ESLint validates rule options against `meta.schema` before running the rule.
// ---------------------------------------------------------------------------------------------

describe('no-unclosed-session options schema', () => {
  const lint = (options: unknown) =>
    new Linter({ configType: 'flat' }).verify('export {};', [
      {
        plugins: { asyncguard: { rules: { 'no-unclosed-session': rule } } },
        rules: { 'asyncguard/no-unclosed-session': ['error', options] },
      },
    ]);

  it('accepts the documented options', () => {
    assert.deepEqual(
      lint({
        resources: [{ label: 'channel', module: 'amqplib-lite', create: [{ call: ['open'] }, { method: 'lease', on: ['x'] }], release: ['close'], async: true }],
        checkExceptionPaths: false,
        checkSessionsPerRequest: true,
        ownershipTransfer: 'listed',
        ownershipFunctions: ['track'],
      }),
      [],
    );
  });

  for (const [why, options] of [
    ['an unknown option', { checkEverything: true }],
    ['an ownershipTransfer outside its enum', { ownershipTransfer: 'sometimes' }],
    ['a resource without `release`', { resources: [{ label: 'x', module: 'm', create: [{ call: ['open'] }] }] }],
    ['a resource with an empty `release`', { resources: [{ label: 'x', module: 'm', create: [{ call: ['open'] }], release: [] }] }],
    ['a resource with no way to create it', { resources: [{ label: 'x', module: 'm', create: [], release: ['close'] }] }],
    ['a creation with an unknown key', { resources: [{ label: 'x', module: 'm', create: [{ factory: ['open'] }], release: ['close'] }] }],
  ] as const) {
    it(`rejects ${why}`, () => {
      assert.throws(() => lint(options), /Key "asyncguard\/no-unclosed-session":/);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Regressions: each case below was a rule bug found while writing these tests (the comment says
// what the rule used to do); each now states, and checks, the correct behaviour.
// ---------------------------------------------------------------------------------------------

const regressionValidBoth: Valid[] = [
  // was: false positive. A guard on the binding in the `finally` (`if (client)`) is taken
  // as a path that skips the release; the rule reports "not released when an error is thrown".
  // `client?.release()` in the same place is accepted (see validBoth).
  `${PG}export async function f() {
  let client;
  try {
    client = await pool.connect();
    await client.query('select 1');
  } finally {
    if (client) client.release();
  }
}`,
  // was: false positive, same cause, with a braced guard.
  `${PG}export async function f() {
  let client;
  try {
    client = await pool.connect();
    await client.query('select 1');
  } finally {
    if (client) {
      client.release();
    }
  }
}`,
  // was: false positive, same cause, with `client && client.release()`.
  `${PG}export async function f() {
  let client;
  try {
    client = await pool.connect();
    await client.query('select 1');
  } finally {
    client && client.release();
  }
}`,
  // was: false positive. When `res.body` is null there is no body to consume or cancel;
  // the rule reports the `return null` as leaking the body.
  `export async function load(url: string) {
  const res = await fetch(url);
  if (!res.body) return null;
  return res.text();
}`,
];

// ---------------------------------------------------------------------------------------------
// False positives found by the precision audit (bench/AUDIT.md), in our own words: each was
// reported on a real package's source; the comment names the shape and where it was seen.
// ---------------------------------------------------------------------------------------------

const auditValidBoth: Valid[] = [
  // was: "not released when \`connecting\` throws". The checkout's promise is awaited into a field
  // released by another method: a rejected await has no connection to release (sequelize transaction).
  `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: 'db' });
export class Transaction {
  async prepare(parent) {
    let connecting;
    if (parent) connecting = Promise.resolve(parent.connection);
    else connecting = pool.getConnection();
    const connection = await connecting;
    this.connection = connection;
    await this.connection.query('BEGIN');
  }
  cleanup() {
    this.connection.release();
  }
}`,
  // was: "not released by the end of the function". A connect promisified by hand: the socket
  // is handed to `resolve` in the creating call's own connect callback (@grpc/grpc-js transport).
  `import * as net from 'node:net';
export function dial(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const link = net.connect(port, 'db.internal', () => {
      link.off('error', reject);
      resolve(link);
    });
    link.once('error', reject);
  });
}`,
  // was: same report, for a TLS upgrade whose callback resolves an object that carries the socket
  // (@grpc/grpc-js channel credentials).
  `import * as tls from 'node:tls';
import type { Socket } from 'node:net';
export function upgrade(raw: Socket): Promise<{ stream: tls.TLSSocket }> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({ socket: raw }, () => {
      if (!secured.authorized) {
        secured.destroy();
        reject(secured.authorizationError);
        return;
      }
      resolve({ stream: secured });
    });
    secured.on('error', reject);
  });
}`,
  // was: same report. A callback-style connect whose named ready handler, declared first and
  // passed to the creating call, wraps the socket in a session and hands that to the caller (amqplib).
  `import * as net from 'node:net';
import * as tls from 'node:tls';
class Session {
  constructor(readonly stream: net.Socket) {}
}
export function open(options: tls.ConnectionOptions, secure: boolean, done: (err: Error | null, s?: Session) => void) {
  let stream: net.Socket;
  function ready() {
    done(null, new Session(stream));
  }
  if (secure) {
    stream = tls.connect(options, ready);
  } else {
    stream = net.connect(options as net.NetConnectOpts, ready);
  }
  stream.once('error', (err) => done(err));
}`,
  // was: "not released when it throws" at the catch's rethrow. The creation is the only thing
  // in the \`try\`, so the \`catch\` runs only when it threw and there is no client (mongoose).
  `import { MongoClient } from 'mongodb';
export class Connection {
  client: MongoClient | undefined;
  state = 'idle';
  async open(uri: string) {
    let client: MongoClient;
    try {
      client = new MongoClient(uri);
    } catch (error) {
      this.state = 'failed';
      throw error;
    }
    this.client = client;
    await client.connect();
    return this;
  }
}`,
];

const auditInvalidBoth: Invalid[] = [
  // The control for the cases above: a connect callback that only uses the socket hands nothing on.
  invalid(
    `import * as net from 'node:net';
export function greet(port: number) {
  const link = net.connect(port, 'db.internal', () => {
    link.write('hello');
  });
  return port;
}`,
    [
      {
        messageId: 'neverReleased',
        text: "net.connect(port, 'db.internal', () => {\n    link.write('hello');\n  })",
        data: { what: '`link` from `net.connect(…)`', release: 'link.end()' },
        suggest: [wrapped(['return port;'], 'link.end()')],
      },
    ],
  ),
];

describe('no-unclosed-session audit false positives', () => {
  typedRuleTester.run('no-unclosed-session audit (typed)', rule, { valid: auditValidBoth, invalid: auditInvalidBoth });
  untypedRuleTester.run('no-unclosed-session audit (untyped)', rule, { valid: auditValidBoth, invalid: auditInvalidBoth });
});

const regressionInvalidBoth: Invalid[] = [
  // was: crash. TypeScript's CommonJS import `import fs = require('node:fs')` declares `fs` as an
  // import binding with no ImportDeclaration around it, and looking up the module `fs` came from
  // read that declaration's missing `source`. It is the module, as after `const fs = require(…)`.
  invalid(
    `import fs = require('node:fs');
export function firstByte(path: string) {
  const fd = fs.openSync(path, 'r');
  const buffer = Buffer.alloc(1);
  fs.readSync(fd, buffer);
  fs.closeSync(fd);
  return buffer[0];
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "fs.openSync(path, 'r')",
        data: { what: '`fd` from `fs.openSync(…)`', risk: 'fs.readSync(…)', line: '5' },
        suggest: [wrapped(['const buffer = Buffer.alloc(1);', 'fs.readSync(fd, buffer);', 'fs.closeSync(fd);', 'return buffer[0];'], 'fs.closeSync(fd)', { dropped: ['fs.closeSync(fd);'] })],
      },
    ],
  ),
  // was: false negative. redis's own idiom `await createClient().connect()` (connect()
  // resolves to the same client) creates a client per request here, and nothing is reported: the
  // creation is the receiver of `.connect()`, which the model does not look through.
  invalid(
    `import { createClient } from 'redis';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
app.get('/k', async (req, res) => {
  const client = await createClient().connect();
  res.send(await client.get('k'));
});`,
    [{ messageId: 'sessionPerRequest', text: 'createClient()', data: { what: '`createClient(…)`', label: 'redis client', where: 'on every request' } }],
  ),
  // was: wrong location. A binding reassigned after its first resource is released is
  // reported on the FIRST `pool.connect()` (released at line 5) instead of the second (never
  // released): the tracked binding keeps the first creation as its report node. (`neverReleased`
  // for the second creation would be fine too.)
  invalid(
    `${PG}export async function f() {
  let client = await pool.connect();
  client.release();
  client = await pool.connect();
  console.log(client);
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'pool.connect()',
        occurrence: 1,
        data: { what: '`client` from `pool.connect(…)`', exit: 'by the end of the function' },
      },
    ],
  ),
  // was: useless suggestion. The report is right (the first client is dropped by the
  // reassignment), but `wrapInTryFinally` only puts the reassignment into a `try` whose
  // `finally` releases the second client; the first one still leaks. No wrap should be offered
  // when the leak is the reassignment.
  invalid(
    `${PG}export async function f() {
  let client = await pool.connect();
  client = await pool.connect();
  client.release();
}`,
    [
      {
        messageId: 'notReleasedOnEarlyExit',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', exit: 'when `client` is reassigned at line 5' },
      },
    ],
  ),
  // was: broken suggestion. The hoisted `const pool = new Pool({ connectionString })` is
  // inserted after the imports, above `const connectionString = …`: a ReferenceError (TDZ) when
  // the module loads. It belongs after the declarations it uses.
  (() => {
    const code = `import { Pool } from 'pg';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
const connectionString = process.env.DATABASE_URL;
app.get('/x', async (req, res) => {
  const pool = new Pool({ connectionString });
  res.json((await pool.query('select 1')).rows);
});`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: 'new Pool({ connectionString })',
        data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `import { Pool } from 'pg';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
const connectionString = process.env.DATABASE_URL;
const pool = new Pool({ connectionString });
app.get('/x', async (req, res) => {
  
  res.json((await pool.query('select 1')).rows);
});`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // was: broken suggestion. The handler ends the pool it creates; hoisting it leaves
  // `await pool.end()` in the handler, so the second request uses an ended pool ("Cannot use a
  // pool after calling end on the pool"). No hoist should be offered while the function releases
  // the session (or the hoist must drop the release too).
  invalid(
    `import { Pool } from 'pg';
declare const app: { get(path: string, h: (req: any, res: any) => void): void };
app.get('/x', async (req, res) => {
  const pool = new Pool();
  try {
    res.json((await pool.query('select 1')).rows);
  } finally {
    await pool.end();
  }
});`,
    [{ messageId: 'sessionPerRequest', text: 'new Pool()', data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' } }],
  ),
  // was: broken suggestion. `wrapInTryFinally` moves `return client` into the `try` and
  // releases in the `finally`: the caller gets a client that is already back in the pool. The
  // report is right (the client leaks when `client.query` throws); a resource that escapes must
  // not be released in a `finally` (a catch that releases and rethrows would be correct).
  invalid(
    `${PG}export async function f() {
  const client = await pool.connect();
  await client.query('set search_path to app');
  return client;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', risk: 'client.query(…)', line: '5' },
      },
    ],
  ),
  // was: broken suggestion. `cancelBody` inserts `await res.body?.cancel()` before a
  // `return` that consumes the body on its other branch, so `res.json()` then fails on the
  // success path ("Body is unusable"). The report is right; no cancel can go before this return.
  invalid(
    `export async function load(url: string) {
  const res = await fetch(url);
  return res.ok ? res.json() : null;
}`,
    [{ messageId: 'bodyNotConsumed', text: 'fetch(url)', data: { what: '`res` from `fetch(…)`', exit: 'when the function returns at line 3' } }],
  ),
  // was: missing suggestion. A `continue` leaves the body unconsumed just as a `return`
  // does, and cancelling before it is as correct, but `cancelBody` is offered only on a return
  // or a throw.
  invalid(
    `export async function f(urls: string[]) {
  for (const url of urls) {
    const res = await fetch(url);
    if (!res.ok) continue;
    console.log(await res.text());
  }
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: 'fetch(url)',
        data: { what: '`res` from `fetch(…)`', exit: 'when the loop continues at line 4' },
        suggest: [['cancelBody', ['if (!res.ok) continue;', 'if (!res.ok) {\n      await res.body?.cancel();\n      continue;\n    }']]],
      },
    ],
  ),
  // was: message wording. An unnamed response reads "The body of The fetch response from
  // `fetch(…)` …" (capital T mid-sentence): `what` is capitalised for the start of a sentence.
  invalid(
    `export async function ping(url: string) {
  await fetch(url, { method: 'POST' });
}`,
    [
      {
        messageId: 'bodyNotConsumed',
        text: "fetch(url, { method: 'POST' })",
        data: { what: 'the fetch response from `fetch(…)`', exit: 'anywhere' },
      },
    ],
  ),
  // was: suggestion disagrees with the message. The message says `clearInterval(timer)`;
  // `wrapInTryFinally` writes `timer.close()` (it only looks at releaseMethods, where `close` is
  // listed to recognise the legacy Node method, not to recommend it; it does not exist outside
  // Node). The wrap should use the release the message names.
  invalid(
    `export async function f(work: () => Promise<void>) {
  const timer = setInterval(() => console.log('still working'), 1000);
  await work();
  clearInterval(timer);
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "setInterval(() => console.log('still working'), 1000)",
        data: { what: '`timer` from `setInterval(…)`', risk: 'work(…)', line: '3' },
        suggest: [wrapped(['await work();', 'clearInterval(timer);'], 'clearInterval(timer)', { dropped: ['clearInterval(timer);'] })],
      },
    ],
  ),
  // was: missing suggestion. A file descriptor is released by a function
  // (`fs.closeSync(fd)`), and `wrapInTryFinally` is only built from release methods, so none is
  // offered, though the message already names the right call.
  invalid(
    `import * as fs from 'node:fs';
export function f(path: string) {
  const fd = fs.openSync(path, 'r');
  const size = fs.fstatSync(fd).size;
  fs.closeSync(fd);
  return size;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "fs.openSync(path, 'r')",
        data: { what: '`fd` from `fs.openSync(…)`', risk: 'fs.fstatSync(…)', line: '4' },
        suggest: [wrapped(['const size = fs.fstatSync(fd).size;', 'fs.closeSync(fd);', 'return size;'], 'fs.closeSync(fd)', { dropped: ['fs.closeSync(fd);'] })],
      },
    ],
  ),
  // was: broken suggestion. A socket's release is named `socket.destroy()` (the first of
  // the catalogue's release methods), and the wrap puts `socket.destroy()` in the `finally`: on
  // the success path it discards the write still buffered (the socket is not even connected
  // yet), so 'hello' is never sent. `socket.end()` flushes, then closes; it is the release for a
  // `finally` that also runs on the normal path. (If the fix names `end()` for every socket, the
  // socket case in `disposableCases` changes with it.)
  invalid(
    `import * as net from 'node:net';
export function f() {
  const socket = net.connect(80, 'example.com');
  socket.write('hello');
}`,
    [
      {
        messageId: 'neverReleased',
        text: "net.connect(80, 'example.com')",
        data: { what: '`socket` from `net.connect(…)`', release: 'socket.end()' },
        suggest: [wrapped(["socket.write('hello');"], 'socket.end()')],
      },
    ],
  ),
  // was: broken suggestion. `wrapInTryFinally` (and, typed, `useAwaitUsing`) drops the
  // release statement `socket.end('hello')` and releases with a bare call instead: the payload
  // is never written. A release call that does more than release (here it carries the last
  // write; `ws.close(1000, 'bye')` carries a close code and reason) must not be dropped. No
  // suggestion is the safe expectation; a catch that destroys and rethrows would be right too.
  invalid(
    `import * as net from 'node:net';
import { once } from 'node:events';
export async function f() {
  const socket = net.connect(80, 'example.com');
  await once(socket, 'connect');
  socket.end('hello');
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "net.connect(80, 'example.com')",
        data: { what: '`socket` from `net.connect(…)`', risk: 'once(…)', line: '5' },
      },
    ],
  ),
  // was: wrong message. A user entry's `releaseFunctions` is prefixed with the receiver
  // the resource was made from, as if it were a method of it: "call `shared.returnLease(lease)`".
  // That prefix is right for `fs.openSync` → `fs.closeSync` (a module object), not for a
  // resource made by a method; the call is `returnLease(lease)`. (Naming `lease.giveBack()`
  // would be right too.)
  invalid(
    `import { connect, returnLease } from 'mq';
const shared = connect();
export function f() {
  const lease = shared.lease();
  lease.use();
}
export { returnLease };`,
    [
      {
        messageId: 'neverReleased',
        text: 'shared.lease()',
        data: { what: '`lease` from `shared.lease(…)`', release: 'returnLease(lease)' },
        // The wrap writes the release the message names (see the setInterval case).
        suggest: [wrapped(['lease.use();'], 'returnLease(lease)')],
      },
    ],
    {
      resources: [
        { id: 'mq.Connection', label: 'mq connection', module: 'mq', create: [{ call: ['connect'] }], release: ['disconnect'], async: true, reusable: true },
        { label: 'mq lease', module: 'mq', create: [{ method: 'lease', on: ['mq.Connection'] }], release: ['giveBack'], releaseFunctions: ['returnLease'] },
      ],
    },
  ),
];

const regressionInvalidTyped: Invalid[] = [
  // was: a disposable known only by its type is told to call `lock.close()`, and the wrap
  // writes `await lock.close()`, which does not type-check: `Lock` has no `close`. The generic
  // release should be one the type has (`release`, from the same generic list).
  (() => {
    const code = `class Lock implements AsyncDisposable {
  async [Symbol.asyncDispose]() {}
  async release() {}
}
declare function acquireLock(): Promise<Lock>;
export async function f() {
  const lock = await acquireLock();
  console.log(lock);
}`;
    return invalid(code, [
      {
        messageId: 'neverReleased',
        text: 'acquireLock()',
        occurrence: 1,
        data: { what: '`lock` from `acquireLock(…)`', release: 'lock.release()' },
        suggest: [awaitUsing('const lock = await acquireLock();'), wrapped(['console.log(lock);'], 'await lock.release()')],
      },
    ]);
  })(),
];

const regressionInvalidUntyped: Invalid[] = [
  // was: missing suggestion, as for `fs.openSync` above, here through `require`.
  invalid(
    `const fs = require('node:fs');
function f(path) {
  const fd = fs.openSync(path, 'r');
  fs.writeSync(fd, 'x');
}
module.exports = { f };`,
    [
      {
        messageId: 'neverReleased',
        text: "fs.openSync(path, 'r')",
        data: { what: '`fd` from `fs.openSync(…)`', release: 'fs.closeSync(fd)' },
        suggest: [wrapped(["fs.writeSync(fd, 'x');"], 'fs.closeSync(fd)')],
      },
    ],
  ),
  // was: broken suggestion. With no imports, the hoisted pool is inserted before the first
  // statement, above `const { Pool } = require('pg')`: a ReferenceError (TDZ) when the module
  // loads. It belongs after the require it uses.
  (() => {
    const code = `const { Pool } = require('pg');
module.exports = function handler(req, res) {
  const pool = new Pool();
  pool.query('select 1').then(() => res.end());
};`;
    return invalid(code, [
      {
        messageId: 'sessionPerRequest',
        text: 'new Pool()',
        data: { what: '`new Pool(…)`', label: 'pg pool', where: 'on every request' },
        suggest: [
          [
            'hoistToModule',
            [
              code,
              `const { Pool } = require('pg');
const pool = new Pool();
module.exports = function handler(req, res) {
  
  pool.query('select 1').then(() => res.end());
};`,
            ],
          ],
        ],
      },
    ]);
  })(),
];

describe('no-unclosed-session regressions', () => {
  typedRuleTester.run('no-unclosed-session regressions (typed)', rule, {
    valid: regressionValidBoth,
    invalid: [...regressionInvalidBoth, ...regressionInvalidTyped],
  });
  untypedRuleTester.run('no-unclosed-session regressions (untyped)', rule, {
    valid: regressionValidBoth,
    invalid: [...regressionInvalidBoth, ...regressionInvalidUntyped],
  });
});
