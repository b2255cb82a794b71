import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageId, type Options } from '../../src/rules/no-unclosed-session';
import { typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, tryFinallyEdit, type Expect } from '../cases';

/**
 * Ownership through the shared analysis: function summaries (what a helper does to the resource
 * passed to it), owned fields (a class must release what it stores), options objects (used, not
 * handed over) and the exception model (synchronous calls that throw). Each case names the report
 * whose shape it follows; the look-alikes are what a sloppy rule would get wrong.
 */

type Invalid = InvalidTestCase<MessageId, Options>;
type Valid = ValidTestCase<Options> | string;

const invalid = (code: string, expects: Expect<MessageId>[], options?: Options[0]): Invalid => invalidCase<MessageId, Options>(code, expects, options);
const wrapped = (lines: string[], release: string, options?: { indent?: string; dropped?: string[] }) => tryFinallyEdit<MessageId>('wrapInTryFinally', lines, release, options);

// ---------------------------------------------------------------------------------------------
// Function summaries: a helper that releases counts; one that only looks does not.
// ---------------------------------------------------------------------------------------------

const summariesValid: Valid[] = [
  // a helper that releases, called in `finally`
  `import { Pool } from 'pg';
const pool = new Pool();
function giveBack(client) {
  client.release();
}
export async function load(id) {
  const client = await pool.connect();
  try {
    return await client.query('select $1', [id]);
  } finally {
    giveBack(client);
  }
}`,
  // released two calls deep, through a helper with another name
  `import { Pool } from 'pg';
const pool = new Pool();
function done(c) {
  finish(c, 'ok');
}
function finish(connection, status) {
  console.log(status);
  connection.release();
}
export async function load() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    done(client);
  }
}`,
  // a class method that releases, called through this
  `import { Pool } from 'pg';
const pool = new Pool();
export class Repo {
  async find(id) {
    const client = await pool.connect();
    try {
      return await client.query('select $1', [id]);
    } finally {
      this.giveBack(client);
    }
  }
  giveBack(client) {
    if (client) client.release();
  }
}`,
  // a helper that keeps it (a registry that outlives the call) takes ownership
  `import { createConnection } from 'node:net';
const open = new Set();
function track(socket) {
  open.add(socket);
}
export function dial(port) {
  const socket = createConnection(port);
  track(socket);
}`,
  // a helper that returns it hands it to its caller
  `import { open } from 'node:fs/promises';
function keep(handle) {
  return handle;
}
export async function f(path) {
  const handle = await open(path);
  return keep(handle);
}`,
  // a helper we cannot see (a parameter) keeps today's answer: handed over
  `import { Pool } from 'pg';
const pool = new Pool();
export async function withClient(work) {
  const client = await pool.connect();
  await work(client);
}`,
  // a helper that passes it on to code out of sight: handed over
  `import { Pool } from 'pg';
import { register } from './registry';
const pool = new Pool();
function adopt(client) {
  register(client);
}
export async function f() {
  const client = await pool.connect();
  adopt(client);
}`,
  // a recursive helper that releases at the end of its recursion
  `import { Pool } from 'pg';
const pool = new Pool();
function drain(client, n) {
  if (n > 0) return drain(client, n - 1);
  client.release();
}
export async function f() {
  const client = await pool.connect();
  drain(client, 3);
}`,
  // a fetch response handed to a helper that reads its body
  `function parse(res) {
  return res.json();
}
export async function get(url) {
  const res = await fetch(url);
  return parse(res);
}`,
  // interval cleared by a helper
  `function stop(timer) {
  clearInterval(timer);
}
export function poll(tick) {
  const timer = setInterval(tick, 1000);
  return () => stop(timer);
}`,
  // a helper that reads its arguments by position could do anything with it
  `import { Pool } from 'pg';
const pool = new Pool();
function anything() {
  return arguments[0];
}
export async function f() {
  const client = await pool.connect();
  anything(client);
}`,
];

const summariesInvalid: Invalid[] = [
  // payloadcms/payload#16893: the client is checked out, an error listener attached, and never released;
  // here the listener is attached by a helper, which used to count as handing the client over
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
function watchErrors(client) {
  client.on('error', (error) => console.error(error));
}
export async function connectWithReconnect() {
  const client = await pool.connect();
  watchErrors(client);
  return true;
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'pool.connect()',
        data: { what: '`client` from `pool.connect(…)`', release: 'client.release()' },
        suggest: [wrapped(['watchErrors(client);', 'return true;'], 'client.release()')],
      },
    ],
  ),
  // a helper named like a release that only logs: a name is never the evidence
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
function release(client) {
  console.log('releasing', client.processID);
}
export async function f() {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    release(client);
  }
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'pool.connect()',
        suggest: [
          [
            'wrapInTryFinally',
            [
              "try {\n    await client.query('select 1');\n  } finally {\n    release(client);\n  }",
              "try {\n    try {\n      await client.query('select 1');\n    } finally {\n      release(client);\n    }\n  } finally {\n    client.release();\n  }",
            ],
          ],
        ],
      },
    ],
  ),
  // a health check that pings, in a class method
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export class Health {
  async check() {
    const client = await pool.connect();
    await this.ping(client);
    return 'ok';
  }
  async ping(client) {
    await client.query('select 1');
  }
}`,
    [{ messageId: 'neverReleased', text: 'pool.connect()', suggest: [wrapped(['await this.ping(client);', "return 'ok';"], 'client.release()', { indent: '    ' })] }],
  ),
  // the classic `if (!res.ok) throw`, moved into a helper that does not read the body
  invalid(
    `function describe(res) {
  return res.status + ' ' + res.statusText;
}
export async function status(url) {
  const res = await fetch(url);
  return describe(res);
}`,
    [{ messageId: 'bodyNotConsumed', text: 'fetch(url)', suggest: [['cancelBody', ['  return describe(res);', '  await res.body?.cancel();\n  return describe(res);']]] }],
  ),
  // a timer given to a helper that unrefs it: it keeps firing
  invalid(
    `function background(timer) {
  timer.unref();
}
export function start(tick) {
  const timer = setInterval(tick, 1000);
  background(timer);
}`,
    [{ messageId: 'neverReleased', text: 'setInterval(tick, 1000)', suggest: [wrapped(['background(timer);'], 'clearInterval(timer)')] }],
  ),
];

// Factories of the file: a function that makes a resource and returns it makes one for its caller.
const factoriesValid: Valid[] = [
  `import { Client } from 'pg';
async function connect(url) {
  const client = new Client(url);
  try {
    await client.connect();
  } catch (error) {
    await client.end();
    throw error;
  }
  return client;
}
export async function count(url) {
  const db = await connect(url);
  try {
    return (await db.query('select count(*) from t')).rows[0];
  } finally {
    await db.end();
  }
}`,
  // a memoised module-level pool is not a new one per call
  `import { Pool } from 'pg';
let shared;
function pool() {
  if (!shared) shared = new Pool();
  return shared;
}
export function query(sql) {
  return pool().query(sql);
}`,
  // a function that sometimes returns nothing is not a factory
  `import { open } from 'node:fs/promises';
async function maybeOpen(path) {
  if (!path) return;
  return open(path);
}
export async function touch(path) {
  await maybeOpen(path);
}`,
];

const factoriesInvalid: Invalid[] = [
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
const checkout = () => pool.connect();
export async function names() {
  const client = await checkout();
  const { rows } = await client.query('select name from users');
  return rows;
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'checkout()',
        data: { what: '`client` from `checkout(…)`', release: 'client.release()' },
        suggest: [wrapped(["const { rows } = await client.query('select name from users');", 'return rows;'], 'client.release()')],
      },
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// Owned fields: what a class stores, some method of the class must release.
// ---------------------------------------------------------------------------------------------

const fieldsValid: Valid[] = [
  `import { Pool } from 'pg';
export class Store {
  constructor() {
    this.pool = new Pool();
  }
  async close() {
    await this.pool.end();
  }
}`,
  // released by a helper that `close` calls
  `export class Poller {
  start(tick) {
    this.timer = setInterval(tick, 1000);
  }
  stop() {
    stopTimer(this.timer);
  }
}
function stopTimer(timer) {
  clearInterval(timer);
}`,
  // a private field and a disposer
  `import { Pool } from 'pg';
export class Store {
  #pool = new Pool();
  async [Symbol.asyncDispose]() {
    await this.#pool.end();
  }
}`,
  // made into a local, stored, and released in another method
  `import { createConnection } from 'node:net';
export class Link {
  open(port) {
    const socket = createConnection(port);
    this.socket = socket;
  }
  close() {
    this.socket?.destroy();
  }
}`,
  // the field is handed out: its owner is whoever takes it
  `import { Pool } from 'pg';
export class Factory {
  constructor() {
    this.pool = new Pool();
  }
  get() {
    return this.pool;
  }
}`,
  // a base class we cannot see may release it
  `import { Pool } from 'pg';
import { Service } from './service';
export class Store extends Service {
  constructor() {
    super();
    this.pool = new Pool();
  }
}`,
  // a local base class that releases it
  `import { Pool } from 'pg';
class Base {
  async close() {
    await this.pool.end();
  }
}
export class Store extends Base {
  constructor() {
    super();
    this.pool = new Pool();
  }
}`,
  // released from outside the class, through the instance
  `import { Pool } from 'pg';
class Store {
  constructor() {
    this.pool = new Pool();
  }
}
export const store = new Store();
export async function shutdown() {
  await store.pool.end();
}`,
  // a field of a plain object is not a class's
  `export function makePoller(tick) {
  const state = {};
  state.timer = setInterval(tick, 1000);
  return state;
}`,
  // a page made from a browser context closes with it (the e2e harness's Session)
  `import { chromium } from 'playwright-core';
export class Session {
  async open(profile) {
    this.context = await chromium.launchPersistentContext(profile);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
  }
  async close() {
    await this.context?.close();
  }
}`,
  // a static field is a singleton, like a module-level one
  `import { Pool } from 'pg';
export class Db {
  static pool = new Pool();
}`,
  // the class takes `this` apart: we cannot say
  `import { Pool } from 'pg';
export class Store {
  constructor() {
    this.pool = new Pool();
  }
  async close() {
    const { pool } = this;
    await pool.end();
  }
}`,
];

const fieldsInvalid: Invalid[] = [
  // dkrutsko/express-bouncer#5: an interval started in the constructor, with no way to clean it up
  invalid(
    `export class Bouncer {
  constructor() {
    this.attempts = new Map();
    this.sweeper = setInterval(() => this.attempts.clear(), 60000);
  }
  block(ip) {
    this.attempts.set(ip, Date.now());
  }
}`,
    [
      {
        messageId: 'fieldNeverReleased',
        text: 'setInterval(() => this.attempts.clear(), 60000)',
        data: {
          what: 'The interval timer from `setInterval(…)`',
          field: 'sweeper',
          owner: '`Bouncer`',
          release: 'clearInterval(this.sweeper)',
        },
      },
    ],
  ),
  // alibaba/butterfly#970: the interval in a field, `unref` is not a release
  invalid(
    `export class Canvas {
  watch() {
    this._updateInterval = setInterval(() => this.redraw(), 5000);
    this._updateInterval.unref();
  }
  redraw() {}
}`,
    [{ messageId: 'fieldNeverReleased', text: 'setInterval(() => this.redraw(), 5000)' }],
  ),
  // a pool in a class field with no close at all
  invalid(
    `import { Pool } from 'pg';
export class UserRepository {
  pool = new Pool({ max: 5 });
  async byId(id) {
    const { rows } = await this.pool.query('select * from users where id = $1', [id]);
    return rows[0];
  }
}`,
    [{ messageId: 'fieldNeverReleased', text: 'new Pool({ max: 5 })', data: { what: 'The pg pool from `new Pool(…)`', field: 'pool', owner: '`UserRepository`', release: 'this.pool.end()' } }],
  ),
  // made into a local and stored: the report is at the creation
  invalid(
    `import { createConnection } from 'node:net';
export const Link = class {
  open(port) {
    const socket = createConnection(port);
    socket.setKeepAlive(true);
    this.socket = socket;
  }
  send(data) {
    this.socket.write(data);
  }
};`,
    [{ messageId: 'fieldNeverReleased', text: 'createConnection(port)', data: { what: 'The socket from `createConnection(…)`', field: 'socket', owner: '`Link`', release: 'this.socket.end()' } }],
  ),
  // checked out into a field of a repository that has no way to give it back
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export class Repo {
  client: unknown;
  async open() {
    const client = await pool.connect();
    this.client = client;
  }
}`,
    [{ messageId: 'fieldNeverReleased', text: 'pool.connect()', data: { what: 'The pg pool client from `pool.connect(…)`', field: 'client', owner: '`Repo`', release: 'this.client.release()' } }],
  ),
  // a close() that closes something else
  invalid(
    `import { MongoClient } from 'mongodb';
import { Pool } from 'pg';
export class Stores {
  #mongo = new MongoClient('mongodb://db');
  #pg = new Pool();
  async close() {
    await this.#mongo.close();
  }
}`,
    [{ messageId: 'fieldNeverReleased', text: 'new Pool()', data: { what: 'The pg pool from `new Pool(…)`', field: '#pg', owner: '`Stores`', release: 'this.#pg.end()' } }],
  ),
  // a helper that only logs the field does not release it
  invalid(
    `import { Pool } from 'pg';
function report(pool) {
  console.log(pool.totalCount);
}
export class Store {
  constructor() {
    this.pool = new Pool();
  }
  close() {
    report(this.pool);
  }
}`,
    [{ messageId: 'fieldNeverReleased', text: 'new Pool()' }],
  ),
];

// ---------------------------------------------------------------------------------------------
// Options objects: a resource in the options of a call is used by it, not handed over.
// ---------------------------------------------------------------------------------------------

const optionsValid: Valid[] = [
  // the agent is used by the request and destroyed after
  `import https from 'node:https';
export function get(url) {
  const agent = new https.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    https.get(url, { agent }, resolve).on('error', reject).on('close', () => agent.destroy());
  });
}`,
  // a constructor keeps what its options hold
  `import { Pool } from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
export function database() {
  const pool = new Pool();
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}`,
  // a promise resolved with it hands it to whoever awaits
  `import { createConnection } from 'node:net';
export function connect(port) {
  return new Promise((resolve) => {
    const socket = createConnection(port);
    socket.once('connect', () => resolve({ socket }));
  });
}`,
  // returned inside an object: the caller owns it
  `import { Pool } from 'pg';
export function make() {
  const pool = new Pool();
  return { pool, close: () => pool.end() };
}`,
  // a local helper that keeps its options object keeps what it holds
  `import { Pool } from 'pg';
const services = [];
function register(options) {
  services.push(options);
}
export function boot() {
  const pool = new Pool();
  register({ name: 'db', pool });
}`,
];

const optionsInvalid: Invalid[] = [
  // an undici agent per call, passed as the dispatcher and never closed
  invalid(
    `import { Agent } from 'undici';
export async function get(url) {
  const dispatcher = new Agent({ connections: 4 });
  const res = await fetch(url, { dispatcher });
  return res.json();
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'new Agent({ connections: 4 })',
        suggest: [wrapped(['const res = await fetch(url, { dispatcher });', 'return res.json();'], 'await dispatcher.close()')],
      },
    ],
  ),
  // a keep-alive agent made per request for https.get
  invalid(
    `import https from 'node:https';
export function get(url, callback) {
  const agent = new https.Agent({ keepAlive: true });
  https.get(url, { agent }, callback);
}`,
    [{ messageId: 'neverReleased', text: 'new https.Agent({ keepAlive: true })', suggest: [wrapped(['https.get(url, { agent }, callback);'], 'agent.destroy()')] }],
  ),
  // a local helper that only reads its options does not take the pool
  invalid(
    `import { Pool } from 'pg';
function describe(options) {
  return options.name;
}
export function boot() {
  const pool = new Pool();
  return describe({ name: 'db', pool });
}`,
    [{ messageId: 'neverReleased', text: 'new Pool()', suggest: [wrapped(["return describe({ name: 'db', pool });"], 'pool.end()')] }],
  ),
];

// ---------------------------------------------------------------------------------------------
// The exception model: any call between acquisition and release that can throw.
// ---------------------------------------------------------------------------------------------

const exceptionsValid: Valid[] = [
  // calls that cannot throw do not count
  `import fs from 'node:fs';
function label(path) {
  return 'file ' + path;
}
export function size(path) {
  const fd = fs.openSync(path, 'r');
  const name = label(path);
  const text = JSON.stringify({ name });
  fs.closeSync(fd);
  return text;
}`,
  // a throwing call inside try/finally is covered
  `import fs from 'node:fs';
export function read(path, raw) {
  const fd = fs.openSync(path, 'r');
  try {
    return JSON.parse(raw);
  } finally {
    fs.closeSync(fd);
  }
}`,
  // a local \`parse\` that cannot throw is judged by its summary, not by its name
  `import fs from 'node:fs';
const parser = { parse: (text) => text.trim() };
export function read(path, raw) {
  const fd = fs.openSync(path, 'r');
  const value = parser.parse(raw);
  fs.closeSync(fd);
  return value;
}`,
  // a helper that catches its own errors cannot throw
  `import fs from 'node:fs';
function tryParse(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
export function read(path, raw) {
  const fd = fs.openSync(path, 'r');
  const value = tryParse(raw);
  fs.closeSync(fd);
  return value;
}`,
];

const exceptionsInvalid: Invalid[] = [
  // JSON.parse between open and close
  invalid(
    `import fs from 'node:fs';
export function load(path, raw) {
  const fd = fs.openSync(path, 'r');
  const config = JSON.parse(raw);
  fs.closeSync(fd);
  return config;
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "fs.openSync(path, 'r')",
        data: { what: '`fd` from `fs.openSync(…)`', risk: 'JSON.parse(…)', line: '4' },
        suggest: [wrapped(['const config = JSON.parse(raw);', 'fs.closeSync(fd);', 'return config;'], 'fs.closeSync(fd)', { dropped: ['fs.closeSync(fd);'] })],
      },
    ],
  ),
  // new URL on user input, after a socket is open
  invalid(
    `import { createConnection } from 'node:net';
export function probe(port, input) {
  const socket = createConnection(port);
  const target = new URL(input);
  socket.write(target.pathname);
  socket.end();
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: 'createConnection(port)',
        data: { what: '`socket` from `createConnection(…)`', risk: 'new URL(…)', line: '4' },
        suggest: [wrapped(['const target = new URL(input);', 'socket.write(target.pathname);', 'socket.end();'], 'socket.end()', { dropped: ['socket.end();'] })],
      },
    ],
  ),
  // a validation helper whose summary throws
  invalid(
    `import fs from 'node:fs';
function validate(name) {
  if (!/^[a-z]+$/.test(name)) throw new Error('bad name');
}
export function write(path, name) {
  const fd = fs.openSync(path, 'w');
  validate(name);
  fs.writeSync(fd, name);
  fs.closeSync(fd);
}`,
    [
      {
        messageId: 'notReleasedOnException',
        text: "fs.openSync(path, 'w')",
        data: { what: '`fd` from `fs.openSync(…)`', risk: 'validate(…)', line: '7' },
        suggest: [wrapped(['validate(name);', 'fs.writeSync(fd, name);', 'fs.closeSync(fd);'], 'fs.closeSync(fd)', { dropped: ['fs.closeSync(fd);'] })],
      },
    ],
  ),
];

/** A file handle handed to a helper that only reads it (Node 24 crashes when it is collected); typed, `await using` applies too. */
const FILE_HANDLE_READ_BY_HELPER = `import { open } from 'node:fs/promises';
async function firstLine(handle) {
  const { buffer } = await handle.read(Buffer.alloc(80), 0, 80, 0);
  return buffer.toString().split('\\n')[0];
}
export async function title(path) {
  const handle = await open(path);
  return firstLine(handle);
}`;
const fileHandleTryFinally = wrapped(['return firstLine(handle);'], 'await handle.close()');
const fileHandleAwaitUsing: [MessageId, [string, string]] = ['useAwaitUsing', ['const handle = await open(path);', 'await using handle = await open(path);']];

// ---------------------------------------------------------------------------------------------
// Resources delivered to callbacks: the callback that receives it must release it.
// ---------------------------------------------------------------------------------------------

const deliveredValid: Valid[] = [
  // brianc/node-pg-pool#76, as it should be: released on both branches of the query
  `import { Pool } from 'pg';
const pool = new Pool();
export function list(sql, send) {
  return pool.connect().then((client) => {
    return client
      .query(sql)
      .then((result) => {
        client.release();
        send(result.rows);
      })
      .catch((error) => {
        client.release();
        send(error);
      });
  });
}`,
  // an async callback that releases in finally
  `import { Pool } from 'pg';
const pool = new Pool();
export function count() {
  return pool.connect().then(async (client) => {
    try {
      return (await client.query('select count(*) from t')).rows[0];
    } finally {
      client.release();
    }
  });
}`,
  // callback style: done() releases, and the error branch has no client (brianc/node-pg-pool#50)
  `import { Pool } from 'pg';
const pool = new Pool();
export function run(sql, cb) {
  pool.connect((err, client, done) => {
    if (err) return cb(err);
    client.query(sql, (error, result) => {
      done();
      cb(error, result);
    });
  });
}`,
  // mysql2 callback style, released inside the query callback
  `import mysql from 'mysql2';
const pool = mysql.createPool({ host: 'db' });
export function run(sql, cb) {
  pool.getConnection((err, connection) => {
    if (err) {
      cb(err);
      return;
    }
    connection.query(sql, (error, rows) => {
      connection.release();
      cb(error, rows);
    });
  });
}`,
  // the callback hands it on: its caller owns it
  `import { Pool } from 'pg';
const pool = new Pool();
export function checkout() {
  return pool.connect().then((client) => ({ client, at: Date.now() }));
}`,
  // an error tested in another way: we cannot tell when there is a client, so no report
  `import { Pool } from 'pg';
const pool = new Pool();
export function run(sql, cb) {
  pool.connect((err, client, done) => {
    cb(err, client && 'connected');
  });
}`,
  // a body read in the callback
  `export function load(url) {
  return fetch(url).then((res) => res.json());
}`,
];

const deliveredInvalid: Invalid[] = [
  // brianc/node-pg-pool#76's handler without the catch path, as an async callback: the query throws past the release
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export function list(sql) {
  return pool.connect().then(async (client) => {
    const result = await client.query(sql);
    client.release();
    return result.rows;
  });
}`,
    [{ messageId: 'notReleasedOnException', text: 'pool.connect()', data: { what: '`client` from `pool.connect(…)`', risk: 'client.query(…)', line: '5' } }],
  ),
  // the callback never releases it
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export function ping() {
  return pool.connect().then((client) => client.query('select 1'));
}`,
    [{ messageId: 'neverReleased', text: 'pool.connect()', data: { what: '`client` from `pool.connect(…)`', release: 'client.release()' } }],
  ),
  // callback style: the query gets the caller's callback and done() is never called
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export function first(sql, cb) {
  pool.connect(function (err, client, done) {
    if (err) return cb(err);
    client.query(sql, cb);
  });
}`,
    [
      {
        messageId: 'neverReleased',
        text: 'pool.connect(function (err, client, done) {\n    if (err) return cb(err);\n    client.query(sql, cb);\n  })',
        data: { what: '`client` from `pool.connect(…)`', release: 'client.release()' },
      },
    ],
  ),
  // a body checked for its status in the callback, never read or cancelled on the error path
  invalid(
    `export function load(url) {
  return fetch(url).then((res) => {
    if (!res.ok) throw new Error('HTTP ' + res.status);
    return res.json();
  });
}`,
    [{ messageId: 'bodyNotConsumed', text: 'fetch(url)', data: { what: '`res` from `fetch(…)`', exit: 'when it throws at line 3' } }],
  ),
];

// ---------------------------------------------------------------------------------------------
// Disposal that is real: `await using` only on what has a disposer.
// ---------------------------------------------------------------------------------------------

const disposalValid: Valid[] = [
  `import { open } from 'node:fs/promises';
export async function head(path: string) {
  await using handle = await open(path);
  return handle.read(Buffer.alloc(16), 0, 16, 0);
}`,
  // mysql2/promise connections have [Symbol.asyncDispose]
  `import mysql from 'mysql2/promise';
export async function version() {
  await using connection = await mysql.createConnection({ host: 'db' });
  return connection.query('select version()');
}`,
  // null and undefined are allowed
  `export async function maybe(get: () => null | undefined) {
  await using nothing = get();
  return nothing;
}`,
  // a value of no known kind untyped, and of any type typed: nothing to say
  `export async function f(make: any) {
  await using thing = make();
  return thing;
}`,
  // an interval timer has [Symbol.dispose]
  `export function tickOnce(tick: () => void) {
  using timer = setInterval(tick, 10);
  tick();
}`,
];

const disposalInvalid: Invalid[] = [
  // pg's pool client has no disposer: \`await using\` throws a TypeError and the client stays checked out
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export async function load(id: string) {
  await using client = await pool.connect();
  return client.query('select $1', [id]);
}`,
    [
      {
        messageId: 'notDisposable',
        text: 'client = await pool.connect()',
        data: {
          keyword: 'await using',
          what: '`client` from `pool.connect(…)`',
          method: '[Symbol.asyncDispose]()',
          release: ': release it with `client.release()` in a `finally` instead',
        },
      },
    ],
  ),
  // ioredis clients neither
  invalid(
    `import Redis from 'ioredis';
export async function get(key: string) {
  await using redis = new Redis();
  return redis.get(key);
}`,
    [{ messageId: 'notDisposable', text: 'redis = new Redis()' }],
  ),
  // \`using\` (not await using) on a pg pool
  invalid(
    `import { Pool } from 'pg';
export async function count() {
  using pool = new Pool();
  return pool.query('select 1');
}`,
    [{ messageId: 'notDisposable', text: 'pool = new Pool()', data: { keyword: 'using', what: '`pool` from `new Pool(…)`', method: '[Symbol.dispose]()', release: ': release it with `pool.end()` in a `finally` instead' } }],
  ),
];

/** Typed only: the checker sees that a promise of a file handle is not itself disposable. */
const disposalInvalidTyped: Invalid[] = [
  invalid(
    `import { open } from 'node:fs/promises';
export async function head(path: string) {
  await using handle = open(path);
  return handle;
}`,
    [{ messageId: 'notDisposable', text: 'handle = open(path)', data: { keyword: 'await using', what: '`handle` from `open(…)`', method: '[Symbol.asyncDispose]()', release: ': release it with `handle.close()` in a `finally` instead' } }],
  ),
];

// ---------------------------------------------------------------------------------------------
// Event-driven lifetimes: a socket released from its handlers must be released on timeout too.
// ---------------------------------------------------------------------------------------------

const eventsValid: Valid[] = [
  // FurqanSoftware/node-whois#33, fixed: the timeout handler destroys the socket
  `import net from 'node:net';
export function whois(host, query, done) {
  let data = '';
  const socket = net.connect(43, host, () => socket.write(query + '\\r\\n'));
  socket.setTimeout(10000);
  socket.on('timeout', () => {
    socket.destroy();
    done(new Error('lookup: timeout'));
  });
  socket.on('data', (chunk) => (data += chunk));
  socket.on('close', () => done(null, data));
  socket.on('error', (error) => {
    socket.destroy();
    done(error);
  });
}`,
  // a helper called from the timeout handler destroys it
  `import net from 'node:net';
export function probe(port, cb) {
  const socket = net.createConnection(port);
  const fail = (error) => {
    socket.destroy();
    cb(error);
  };
  socket.setTimeout(2000, () => fail(new Error('timeout')));
  socket.on('error', fail);
  socket.on('connect', () => {
    socket.end();
    cb(null);
  });
}`,
  // released in finally: the timeout only rejects what is awaited
  `import net from 'node:net';
import { once } from 'node:events';
export async function ping(port) {
  const socket = net.connect(port);
  socket.setTimeout(1000, () => socket.emit('error', new Error('timeout')));
  try {
    await once(socket, 'connect');
  } finally {
    socket.destroy();
  }
}`,
];

const eventsInvalid: Invalid[] = [
  // FurqanSoftware/node-whois#33: on timeout the socket stays open ("the connection will not be severed")
  invalid(
    `import net from 'node:net';
export function whois(host, query, done) {
  let data = '';
  const socket = net.connect(43, host, () => socket.write(query + '\\r\\n'));
  socket.setTimeout(10000);
  socket.on('timeout', () => done(new Error('lookup: timeout')));
  socket.on('data', (chunk) => (data += chunk));
  socket.on('end', () => {
    socket.end();
    done(null, data);
  });
}`,
    [
      {
        messageId: 'notReleasedOnEvent',
        text: "net.connect(43, host, () => socket.write(query + '\\r\\n'))",
        data: { what: '`socket` from `net.connect(…)`', event: 'timeout', line: '6', release: 'socket.end()' },
      },
    ],
  ),
  // the timeout callback of setTimeout(ms, cb) only reports
  invalid(
    `import { createConnection } from 'node:net';
export function dial(port, cb) {
  const socket = createConnection(port);
  socket.setTimeout(5000, () => cb(new Error('idle')));
  socket.once('error', (error) => {
    socket.destroy();
    cb(error);
  });
}`,
    [{ messageId: 'notReleasedOnEvent', text: 'createConnection(port)', data: { what: '`socket` from `createConnection(…)`', event: 'timeout', line: '4', release: 'socket.end()' } }],
  ),
];

// ---------------------------------------------------------------------------------------------
// Correlated conditions: acquired and released under the same unchanged test is one path.
// ---------------------------------------------------------------------------------------------

const correlatedValid: Valid[] = [
  `import { Pool } from 'pg';
const pool = new Pool();
export async function run(sql, pooled) {
  let client;
  if (pooled) {
    client = await pool.connect();
  }
  try {
    return pooled ? await client.query(sql) : await pool.query(sql);
  } finally {
    if (pooled) client.release();
  }
}`,
  // the test is a property of an options object, and the creation sits in a conditional expression
  `import { open } from 'node:fs/promises';
export async function copy(options) {
  const log = options.logFile ? await open(options.logFile, 'a') : null;
  try {
    await options.run();
  } finally {
    if (options.logFile) await log.close();
  }
}`,
];

const correlatedInvalid: Invalid[] = [
  // different tests: the path that acquires and skips the release is real
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export async function run(sql, pooled, verbose) {
  let client;
  if (pooled) client = await pool.connect();
  await pool.query(sql);
  if (verbose) client.release();
}`,
    [{ messageId: 'notReleasedOnEarlyExit', text: 'pool.connect()', data: { what: '`client` from `pool.connect(…)`', exit: 'by the end of the function' } }],
  ),
  // the test changes between the two: not the same condition
  invalid(
    `import { Pool } from 'pg';
const pool = new Pool();
export async function run(sql, pooled) {
  let client;
  if (pooled) client = await pool.connect();
  pooled = await pool.query(sql);
  if (pooled) client.release();
}`,
    [{ messageId: 'notReleasedOnEarlyExit', text: 'pool.connect()', data: { what: '`client` from `pool.connect(…)`', exit: 'by the end of the function' } }],
  ),
];

const valid = [...factoriesValid, ...correlatedValid, ...eventsValid, ...summariesValid, ...fieldsValid, ...optionsValid, ...exceptionsValid, ...deliveredValid, ...disposalValid];
const invalidCases = [...factoriesInvalid, ...correlatedInvalid, ...eventsInvalid, ...summariesInvalid, ...fieldsInvalid, ...optionsInvalid, ...exceptionsInvalid, ...deliveredInvalid, ...disposalInvalid];

describe('no-unclosed-session ownership', () => {
  typedRuleTester.run('no-unclosed-session ownership (typed)', rule, {
    valid,
    invalid: [
      ...invalidCases,
      ...disposalInvalidTyped,
      invalid(FILE_HANDLE_READ_BY_HELPER, [{ messageId: 'neverReleased', text: 'open(path)', suggest: [fileHandleAwaitUsing, fileHandleTryFinally] }]),
    ],
  });
  untypedRuleTester.run('no-unclosed-session ownership (untyped)', rule, {
    valid,
    invalid: [...invalidCases, invalid(FILE_HANDLE_READ_BY_HELPER, [{ messageId: 'neverReleased', text: 'open(path)', suggest: [fileHandleTryFinally] }])],
  });
});
