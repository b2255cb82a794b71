import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageId, type Options } from '../../src/rules/no-unbounded-read';
import { typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, type Expect } from '../cases';

/**
 * Reads through helpers (function summaries): an incoming request or an untrusted response handed
 * to a helper of the file that reads that parameter whole. The helpers take the stream under a
 * name that is not a request's (`stream`, `message`), so only the summary can tell.
 */

type Invalid = InvalidTestCase<MessageId, Options>;
type Valid = ValidTestCase<Options> | string;

const invalid = (code: string, expects: Expect<MessageId>[], options?: Options[0]): Invalid => invalidCase<MessageId, Options>(code, expects, options);

const valid: Valid[] = [
  // the helper counts bytes and stops past a cap
  `import http from 'node:http';
async function collect(stream) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > 1048576) {
      stream.destroy();
      throw new Error('too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
http.createServer(async (req, res) => {
  res.end(await collect(req));
});`,
  // the helper only reads headers
  `import http from 'node:http';
function kind(message) {
  return message.headers['content-type'];
}
http.createServer((req, res) => {
  res.end(kind(req));
});`,
  // a helper that reads a whole stream, given a file stream the program chose
  `import fs from 'node:fs';
async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
export function config() {
  return collect(fs.createReadStream('/etc/app.json'));
}`,
  // a response from a constant URL may be read whole
  `async function parse(response) {
  return response.json();
}
export async function settings() {
  const res = await fetch('https://config.internal/settings.json');
  return parse(res);
}`,
  // the helper's own parameter is a request: reported inside the helper, not again at the call
  `import http from 'node:http';
function readBody(req) {
  return new Promise((resolve) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 65536) return req.destroy();
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
http.createServer(async (req, res) => {
  res.end(await readBody(req));
});`,
];

const invalidCases: Invalid[] = [
  // ndycode/codex-multi-auth#438: for await … chunks.push, with no count; here the helper calls it a stream
  invalid(
    `import http from 'node:http';
async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
http.createServer(async (req, res) => {
  const body = await collect(req);
  res.end(body);
});`,
    [{ messageId: 'helperReadsWhole', text: 'collect(req)', data: { call: 'collect(…)', helper: 'collect', what: 'request', line: '4' } }],
  ),
  // vfarcic/dot-ai#96: a class method collecting 'data' events into a string
  invalid(
    `import http from 'node:http';
class Server {
  start() {
    http.createServer(async (request, res) => {
      const payload = await this.parseBody(request);
      res.end(JSON.stringify(payload));
    });
  }
  parseBody(message) {
    return new Promise((resolve, reject) => {
      let body = '';
      message.on('data', (chunk) => (body += chunk.toString()));
      message.on('end', () => resolve(body ? JSON.parse(body) : undefined));
      message.on('error', reject);
    });
  }
}
export { Server };`,
    [{ messageId: 'helperReadsWhole', text: 'this.parseBody(request)', data: { call: 'this.parseBody(…)', helper: 'this.parseBody', what: 'request', line: '12' } }],
  ),
  // two helpers deep, through node:stream/consumers
  invalid(
    `import http from 'node:http';
import { json } from 'node:stream/consumers';
function decode(input) {
  return json(input);
}
function readPayload(incoming) {
  return decode(incoming);
}
http.createServer(async (req, res) => {
  res.end(String(await readPayload(req)));
});`,
    [{ messageId: 'helperReadsWhole', text: 'readPayload(req)', data: { call: 'readPayload(…)', helper: 'readPayload', what: 'request', line: '4' } }],
  ),
  // a response from a URL the caller chose, parsed whole by a helper
  invalid(
    `async function parse(response) {
  return response.json();
}
export async function proxy(url) {
  const res = await fetch(url);
  return parse(res);
}`,
    [{ messageId: 'helperReadsWhole', text: 'parse(res)', data: { call: 'parse(…)', helper: 'parse', what: 'response', line: '2' } }],
  ),
];

// ---------------------------------------------------------------------------------------------
// axios instances: the defaults of axios.create() bound (or do not bound) every request they make.
// ---------------------------------------------------------------------------------------------

const MAX = 10485760;

const axiosValid: Valid[] = [
  `import axios from 'axios';
const api = axios.create({ timeout: 5000, maxContentLength: 1048576 });
export function get(url) {
  return api.get(url);
}`,
  // the limit set on the defaults afterwards
  `import axios from 'axios';
const api = axios.create();
api.defaults.maxContentLength = 1048576;
export function get(url) {
  return api.get(url);
}`,
  // a constant base the program trusts
  {
    code: `import axios from 'axios';
const github = axios.create({ baseURL: 'https://api.github.com/' });
export function repo(name) {
  return github.get('/repos/' + name);
}`,
    options: [{ allowedOrigins: ['https://api.github.com'] }],
  },
  // defaults built elsewhere may set the limit
  `import axios from 'axios';
import { defaults } from './http-defaults';
const api = axios.create(defaults);
export function get(url) {
  return api.get(url);
}`,
];

const axiosInvalid: Invalid[] = [
  invalid(
    `import axios from 'axios';
const api = axios.create({ baseURL: process.env.API_URL, timeout: 5000 });
export async function profile(id) {
  const { data } = await api.get('/users/' + id);
  return data;
}`,
    [
      {
        messageId: 'axiosWithoutLimit',
        text: "api.get('/users/' + id)",
        data: { read: 'api.get(…)' },
        suggest: [['addMaxContentLength', ['timeout: 5000 }', `timeout: 5000, maxContentLength: ${MAX} }`]]],
      },
    ],
  ),
  // the instance called directly, and required
  invalid(
    `const axios = require('axios');
const client = axios.create();
module.exports = (url) => client(url);`,
    [{ messageId: 'axiosWithoutLimit', text: 'client(url)', data: { read: 'client(…)' }, suggest: [['addMaxContentLength', ['axios.create()', `axios.create({ maxContentLength: ${MAX} })`]]] }],
  ),
];

// multer and busboy: `limits` must cap the size of each file, not only how many there are.
const uploadValid: Valid[] = [
  `import multer from 'multer';
export const upload = multer({ dest: '/tmp', limits: { fileSize: 5 * 1024 * 1024, files: 3 } });`,
  // limits built elsewhere may hold the cap
  `import busboy from 'busboy';
import { LIMITS } from './limits';
export const parse = (headers) => busboy({ headers, limits: LIMITS });`,
];

const uploadInvalid: Invalid[] = [
  invalid(
    `import multer from 'multer';
export const upload = multer({ dest: '/tmp', limits: { files: 3 } });`,
    [{ messageId: 'uploadWithoutFileSize', text: '{ files: 3 }', data: { read: 'multer(…)' } }],
  ),
  invalid(
    `const busboy = require('busboy');
module.exports = (req) => busboy({ headers: req.headers, limits: { fields: 10 } });`,
    [{ messageId: 'uploadWithoutFileSize', text: '{ fields: 10 }', data: { read: 'busboy(…)' } }],
  ),
];

describe('no-unbounded-read upload limits', () => {
  typedRuleTester.run('no-unbounded-read upload limits (typed)', rule, { valid: uploadValid, invalid: uploadInvalid });
  untypedRuleTester.run('no-unbounded-read upload limits (untyped)', rule, { valid: uploadValid, invalid: uploadInvalid });
});

describe('no-unbounded-read axios instances', () => {
  typedRuleTester.run('no-unbounded-read axios instances (typed)', rule, { valid: axiosValid, invalid: axiosInvalid });
  untypedRuleTester.run('no-unbounded-read axios instances (untyped)', rule, { valid: axiosValid, invalid: axiosInvalid });
});

describe('no-unbounded-read through helpers', () => {
  typedRuleTester.run('no-unbounded-read helpers (typed)', rule, { valid, invalid: invalidCases });
  untypedRuleTester.run('no-unbounded-read helpers (untyped)', rule, { valid, invalid: invalidCases });
});
