import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { Linter } from '@typescript-eslint/utils/ts-eslint';
import { boundedReadHelper } from '../../src/fix/boundedRead';
import rule, { type MessageId, type Options } from '../../src/rules/no-unbounded-read';
import { typedFile, typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, type Expect as CaseExpect } from '../cases';

type Invalid = InvalidTestCase<MessageId, Options>;
type Valid = ValidTestCase<Options> | string;

type Expect = CaseExpect<MessageId>;

/** An invalid case stated as the text each report covers and the edits it suggests (`../cases`). */
const invalid = (code: string, expects: Expect[], options?: Options[0]): Invalid => invalidCase<MessageId, Options>(code, expects, options);

/** The same case in a plain JavaScript file of the fixture project (the helper the fix appends has no types there). */
const jsFile = path.join(path.dirname(typedFile), 'file.js');
const inJs = (test: Invalid): Invalid => ({ ...test, filename: jsFile });

/** The default cap the fixes write: 10 MiB. */
const MAX = 10485760;

/**
 * The `useBoundedRead` edit: `from` (the whole read) becomes `to` (the bounded read), and the helper
 * is appended once after the program's last character (the test code has no trailing newline) —
 * unless the file already has a `readBounded`. Stated as one [whole code, whole output] pair.
 */
function bounded(code: string, from: string, to: string, { typescript = true, helper = true } = {}): [MessageId, [string, string]] {
  if (!code.includes(from)) throw new Error(`bounded: ${JSON.stringify(from)} is not in the code`);
  const rewritten = code.replace(from, () => to);
  return ['useBoundedRead', [code, helper ? `${rewritten}\n\n${boundedReadHelper({ typescript })}\n` : rewritten]];
}

/** The `addByteCount` edit on a `for await (const <chunk> of <source>) {` loop at `indent`. */
function byteCount(code: string, loop: string, { indent = '  ', counter = 'received', chunk = 'chunk', source = 'req', max = MAX } = {}): [MessageId, [string, string]] {
  const inner = `${indent}  `;
  return [
    'addByteCount',
    [
      loop,
      `let ${counter} = 0;\n${indent}${loop}\n${inner}${counter} += ${chunk}.length;\n${inner}if (${counter} > ${max}) {\n${inner}  ${source}.destroy();\n${inner}  throw new Error('request body exceeds ${max} bytes');\n${inner}}`,
    ],
  ];
}

/** The `addMaxContentLength` edit: `from` (the call or its config) becomes `to`. */
const maxContentLength = (from: string, to: string): [MessageId, [string, string]] => ['addMaxContentLength', [from, to]];

const bodyRead = (read: string, source: string) => ({ read, source });
const FROM_RUNTIME = 'a URL built at run time';

const EXPRESS = `import express from 'express';
const app = express();
`;
const HTTP = `import { createServer } from 'node:http';
`;

// ---------------------------------------------------------------------------------------------
// Cases that hold with and without type information.
// ---------------------------------------------------------------------------------------------

const validBoth: Valid[] = [
  // ---- response bodies from URLs the program chooses ----
  `export async function f() {
  const res = await fetch('https://api.example.com/users');
  return await res.json();
}`,
  `const USERS = 'https://api.example.com/users';
export async function f() {
  const res = await fetch(USERS);
  return [await res.text(), await res.arrayBuffer(), await res.bytes(), await res.blob(), await res.formData()];
}`,
  `import { request } from 'undici';
export async function f() {
  const { body } = await request('https://api.example.com/users');
  return await body.json();
}`,
  `import { fetch } from 'undici';
export async function f() {
  const res = await fetch(\`https://api.example.com/users\`);
  return await res.text();
}`,
  // a constant origin that is listed as trusted (as an origin, and as a host)
  {
    code: `export async function f(id: string) {
  const res = await fetch(\`https://api.example.com/users/\${id}\`);
  return await res.json();
}`,
    options: [{ allowedOrigins: ['https://api.example.com'] }],
  },
  {
    code: `import { request } from 'undici';
export async function f(id: string) {
  const { body } = await request('https://api.example.com/users/' + id);
  return await body.text();
}`,
    options: [{ allowedOrigins: ['api.example.com'] }],
  },
  // ---- a Content-Length check that also refuses a missing length ----
  `export async function f(url: string) {
  const res = await fetch(url);
  const length = res.headers.get('content-length');
  if (length === null || Number(length) > 1_000_000) throw new Error('too big');
  return await res.json();
}`,
  `export async function f(url: string) {
  const res = await fetch(url);
  const length = Number(res.headers.get('content-length'));
  if (!length || length > 1_000_000) return null;
  return await res.text();
}`,
  `import { request } from 'undici';
export async function f(url: string) {
  const { headers, body } = await request(url);
  if (!headers['content-length'] || Number(headers['content-length']) > 1_000_000) throw new Error('too big');
  return await body.json();
}`,
  // ---- bounded readers ----
  // the rule's own helper, as its fix leaves the file
  `export async function f(url: string) {
  const res = await fetch(url);
  return await readBounded(res, ${MAX}, 'json');
}

${boundedReadHelper({ typescript: true })}
`,
  // a same-file reader that counts the bytes and destroys the request past a cap
  `import type { IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
export async function readBody(req: IncomingMessage, max: number) {
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) req.destroy(new Error('body too large'));
  });
  return await text(req);
}`,
  // a same-file reader that streams a response, counts and cancels: no whole read at all
  `async function readCapped(res: Response, max: number): Promise<string> {
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error('too big');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
export async function f(url: string) {
  return readCapped(await fetch(url), 1_000_000);
}`,
  // a project reader named in `boundedReaders`: what it reads is its own business
  {
    code: `export async function fetchCapped(url: string) {
  const res = await fetch(url);
  return await res.text();
}`,
    options: [{ boundedReaders: ['fetchCapped'] }],
  },
  {
    code: `export const fetchCapped = async (url: string) => {
  const res = await fetch(url);
  return await res.json();
};`,
    options: [{ boundedReaders: ['fetchCapped'] }],
  },
  // ---- streams that are not incoming requests ----
  `import { createReadStream } from 'node:fs';
import { text } from 'node:stream/consumers';
export async function f() {
  return await text(createReadStream('./config.json'));
}`,
  `import { json } from 'node:stream/consumers';
export async function f() {
  return await json(process.stdin);
}`,
  // ---- chunks with a running count that stops the read ----
  `${HTTP}createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk: Buffer) => {
    raw += chunk;
    if (raw.length > 1_000_000) req.destroy();
  });
  req.on('end', () => res.end(raw));
});`,
  `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) {
      req.destroy();
      throw new Error('too big');
    }
    chunks.push(chunk);
  }
  res.end(Buffer.concat(chunks));
});`,
  // chunks handed on, not collected
  `import { createHash } from 'node:crypto';
${HTTP}createServer((req, res) => {
  const hash = createHash('sha256');
  req.on('data', (chunk: Buffer) => hash.update(chunk));
  req.on('end', () => res.end(hash.digest('hex')));
});`,
  `${HTTP}createServer(async (req, res) => {
  for await (const chunk of req) console.log(chunk);
  res.end();
});`,
  // ---- files at paths the program chooses ----
  `${EXPRESS}import fs from 'node:fs';
app.get('/', async (req, res) => {
  res.send(await fs.promises.readFile('/srv/static/index.html', 'utf8'));
});`,
  `import { readFileSync } from 'node:fs';
import * as path from 'node:path';
${HTTP}createServer((req, res) => {
  res.end(readFileSync(path.join(__dirname, 'index.html')));
});`,
  // a CLI that reads the file its user names is not reading from a request
  `import { readFile } from 'node:fs/promises';
export async function load(file: string) {
  return readFile(file, 'utf8');
}`,
  // ---- axios: a cap, a stream, a constant URL, a config built elsewhere ----
  `import axios from 'axios';
export async function f(url: string) {
  return [
    await axios.get(url, { maxContentLength: 1_000_000 }),
    await axios({ url, maxContentLength: 1_000_000 }),
    await axios.post(url, { x: 1 }, { maxContentLength: 1_000_000 }),
    await axios.request({ url, method: 'get', maxContentLength: 1_000_000 }),
  ];
}`,
  `import axios from 'axios';
export async function f(url: string) {
  const res = await axios.get(url, { responseType: 'stream' });
  return res.data;
}`,
  `import axios from 'axios';
export async function f() {
  return axios.get('https://api.example.com/users');
}`,
  `import axios from 'axios';
export async function f(url: string, config: object) {
  return axios.get(url, config);
}`,
  `import axios from 'axios';
const defaults = { maxContentLength: 1_000_000 };
export async function f(url: string) {
  return axios.get(url, { ...defaults, timeout: 1000 });
}`,
  // ---- upload parsers with limits ----
  `import multer from 'multer';
export const upload = multer({ dest: 'uploads/', limits: { fileSize: 1_000_000, files: 1 } });`,
  `import busboy from 'busboy';
${HTTP}createServer((req, res) => {
  const bb = busboy({ headers: req.headers, limits: { fileSize: 1_000_000 } });
  req.pipe(bb);
  bb.on('close', () => res.end());
});`,
  // ---- body parsers with a limit (their default is 100 kB) ----
  `${EXPRESS}app.use(express.json({ limit: '1mb' }));
app.use(express.json());
app.use(express.raw({ limit: 1_000_000 }));`,
  `import bodyParser from 'body-parser';
import { urlencoded } from 'express';
export const parsers = [bodyParser.json({ limit: '5mb' }), bodyParser.text(), urlencoded({ extended: true, limit: '10kb' })];`,
];

const invalidBoth: Invalid[] = [
  // ---- whole response bodies: fetch ----
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  return await res.json();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // a template URL: the source is named as built at run time
  (() => {
    const code = `export async function f(id: string) {
  const res = await fetch(\`https://api.example.com/users/\${id}\`);
  const user = await res.text();
  return user;
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.text()',
        data: bodyRead('res.text(…)', FROM_RUNTIME),
        suggest: [bounded(code, 'res.text()', `readBounded(res, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  // a constant origin, but not a trusted one: not listed, or another origin listed
  (() => {
    const code = `export async function f(host: string) {
  const res = await fetch(\`https://\${host}/users\`);
  return await res.arrayBuffer();
}`;
    return invalid(
      code,
      [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.arrayBuffer()',
          data: bodyRead('res.arrayBuffer(…)', FROM_RUNTIME),
          suggest: [bounded(code, 'res.arrayBuffer()', `readBounded(res, ${MAX}, 'arrayBuffer')`)],
        },
      ],
      { allowedOrigins: ['https://api.example.com'] },
    );
  })(),
  (() => {
    const code = `export async function f(id: string) {
  const res = await fetch(\`https://cdn.example.com/users/\${id}\`);
  return await res.bytes();
}`;
    return invalid(
      code,
      [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.bytes()',
          data: bodyRead('res.bytes(…)', FROM_RUNTIME),
          suggest: [bounded(code, 'res.bytes()', `readBounded(res, ${MAX}, 'bytes')`)],
        },
      ],
      { allowedOrigins: ['https://api.example.com'] },
    );
  })(),
  // `blob()` and `formData()` have no bounded equivalent: reported, no suggestion
  invalid(
    `export async function f(url: string) {
  const res = await fetch(url);
  return [await res.blob(), await res.formData()];
}`,
    [
      { messageId: 'unboundedBodyRead', text: 'res.blob()', data: bodyRead('res.blob(…)', '`url`') },
      { messageId: 'unboundedBodyRead', text: 'res.formData()', data: bodyRead('res.formData(…)', '`url`') },
    ],
  ),
  // returned, not awaited: the bounded read is returned the same way
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  return res.json();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // neither awaited nor returned: no place to await the bounded read, no suggestion
  invalid(
    `export async function f(url: string) {
  const res = await fetch(url);
  const pending = res.text();
  return pending;
}`,
    [{ messageId: 'unboundedBodyRead', text: 'res.text()', data: bodyRead('res.text(…)', '`url`') }],
  ),
  // the response awaited in place
  (() => {
    const code = `export async function f(url: string) {
  return await (await fetch(url)).json();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: '(await fetch(url)).json()',
        data: bodyRead('….json(…)', '`url`'),
        suggest: [bounded(code, '(await fetch(url)).json()', `readBounded(await fetch(url), ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // a member URL is named
  invalid(
    `export async function f(options: { url: string }) {
  const res = await fetch(options.url);
  return await res.blob();
}`,
    [{ messageId: 'unboundedBodyRead', text: 'res.blob()', data: bodyRead('res.blob(…)', '`options.url`') }],
  ),
  // two reads: each suggestion appends the helper once (the second run sees it and adds no other)
  (() => {
    const code = `export async function f(a: string, b: string) {
  const first = await fetch(a);
  const second = await fetch(b);
  return [await first.json(), await second.text()];
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'first.json()',
        data: bodyRead('first.json(…)', '`a`'),
        suggest: [bounded(code, 'first.json()', `readBounded(first, ${MAX}, 'json')`)],
      },
      {
        messageId: 'unboundedBodyRead',
        text: 'second.text()',
        data: bodyRead('second.text(…)', '`b`'),
        suggest: [bounded(code, 'second.text()', `readBounded(second, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  // the file already defines `readBounded`: the call is rewritten, no second helper
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  return await res.json();
}

${boundedReadHelper({ typescript: true })}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`, { helper: false })],
      },
    ]);
  })(),
  // ... or imports one
  (() => {
    const code = `import { readBounded } from './imports/read.js';
export async function f(url: string) {
  const res = await fetch(url);
  return await res.text();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.text()',
        data: bodyRead('res.text(…)', '`url`'),
        suggest: [bounded(code, 'res.text()', `readBounded(res, ${MAX}, 'text')`, { helper: false })],
      },
    ]);
  })(),
  // ... or declares one as a variable
  (() => {
    const code = `const readBounded = async (res: Response, max: number, as: 'json') => JSON.parse(String(max) + as + res.status);
export async function f(url: string) {
  const res = await fetch(url);
  return await res.json();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`, { helper: false })],
      },
    ]);
  })(),
  // the cap the options name
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  return await res.json();
}`;
    return invalid(
      code,
      [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.json()',
          data: bodyRead('res.json(…)', '`url`'),
          suggest: [bounded(code, 'res.json()', "readBounded(res, 1024, 'json')")],
        },
      ],
      { maxBytes: 1024 },
    );
  })(),
  // a function not named in `boundedReaders` is judged like any other
  (() => {
    const code = `export async function fetchCapped(url: string) {
  const res = await fetch(url);
  return await res.text();
}`;
    return invalid(
      code,
      [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.text()',
          data: bodyRead('res.text(…)', '`url`'),
          suggest: [bounded(code, 'res.text()', `readBounded(res, ${MAX}, 'text')`)],
        },
      ],
      { boundedReaders: ['somethingElse'] },
    );
  })(),

  // ---- whole response bodies: undici ----
  (() => {
    const code = `import { fetch } from 'undici';
export async function f(url: string) {
  const res = await fetch(url);
  return await res.bytes();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.bytes()',
        data: bodyRead('res.bytes(…)', '`url`'),
        suggest: [bounded(code, 'res.bytes()', `readBounded(res, ${MAX}, 'bytes')`)],
      },
    ]);
  })(),
  (() => {
    const code = `import { request } from 'undici';
export async function f(url: string) {
  const res = await request(url);
  return await res.body.json();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.body.json()',
        data: bodyRead('res.body.json(…)', '`url`'),
        suggest: [bounded(code, 'res.body.json()', `readBounded(res.body, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  (() => {
    const code = `import { request } from 'undici';
export async function f(url: string) {
  const { body } = await request(url);
  return await body.text();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'body.text()',
        data: bodyRead('body.text(…)', '`url`'),
        suggest: [bounded(code, 'body.text()', `readBounded(body, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  (() => {
    const code = `import { request } from 'undici';
export async function f(id: string) {
  const { statusCode, body } = await request(\`https://api.example.com/items/\${id}\`);
  if (statusCode !== 200) throw new Error('status ' + statusCode);
  return await body.arrayBuffer();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'body.arrayBuffer()',
        data: bodyRead('body.arrayBuffer(…)', FROM_RUNTIME),
        suggest: [bounded(code, 'body.arrayBuffer()', `readBounded(body, ${MAX}, 'arrayBuffer')`)],
      },
    ]);
  })(),
  invalid(
    `import { request } from 'undici';
export async function f(url: string) {
  const { body } = await request(url);
  return await body.blob();
}`,
    [{ messageId: 'unboundedBodyRead', text: 'body.blob()', data: bodyRead('body.blob(…)', '`url`') }],
  ),

  // ---- a Content-Length check that lets a missing length through ----
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  if (Number(res.headers.get('content-length')) > 1_000_000) throw new Error('too big');
  return await res.json();
}`;
    return invalid(code, [
      {
        messageId: 'contentLengthNotEnough',
        text: 'res.json()',
        data: { read: 'res.json(…)' },
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  const length = Number(res.headers.get('Content-Length'));
  if (length > 1_000_000) {
    throw new Error('too big');
  }
  return await res.text();
}`;
    return invalid(code, [
      {
        messageId: 'contentLengthNotEnough',
        text: 'res.text()',
        data: { read: 'res.text(…)' },
        suggest: [bounded(code, 'res.text()', `readBounded(res, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  (() => {
    const code = `import { request } from 'undici';
export async function f(url: string) {
  const { headers, body } = await request(url);
  if (Number(headers['content-length']) > 1_000_000) throw new Error('too big');
  return await body.json();
}`;
    return invalid(code, [
      {
        messageId: 'contentLengthNotEnough',
        text: 'body.json()',
        data: { read: 'body.json(…)' },
        suggest: [bounded(code, 'body.json()', `readBounded(body, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // a check that refuses a missing length, but on another response
  (() => {
    const code = `export async function f(a: string, b: string) {
  const first = await fetch(a);
  const length = first.headers.get('content-length');
  if (!length || Number(length) > 1_000_000) throw new Error('too big');
  const second = await fetch(b);
  return await second.json();
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'second.json()',
        data: bodyRead('second.json(…)', '`b`'),
        suggest: [bounded(code, 'second.json()', `readBounded(second, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // a check after the read does not bound it
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  const data = await res.json();
  if (!res.headers.get('content-length')) throw new Error('no length');
  return data;
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // a check that only logs does not stop the read
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  const length = res.headers.get('content-length');
  if (!length) console.warn('no length');
  return await res.text();
}`;
    return invalid(code, [
      {
        messageId: 'contentLengthNotEnough',
        text: 'res.text()',
        data: { read: 'res.text(…)' },
        suggest: [bounded(code, 'res.text()', `readBounded(res, ${MAX}, 'text')`)],
      },
    ]);
  })(),

  // ---- node:stream/consumers on an incoming request ----
  (() => {
    const code = `${EXPRESS}import { json } from 'node:stream/consumers';
app.post('/x', async (req, res) => {
  const body = await json(req);
  res.send(body);
});`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'json(req)',
        data: { read: 'json(…)', what: 'request' },
        suggest: [bounded(code, 'json(req)', `readBounded(req, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  (() => {
    const code = `import * as http from 'node:http';
import consumers from 'node:stream/consumers';
http.createServer(async (req, res) => {
  const body = await consumers.text(req);
  res.end(body);
});`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'consumers.text(req)',
        data: { read: 'consumers.text(…)', what: 'request' },
        suggest: [bounded(code, 'consumers.text(req)', `readBounded(req, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  // `buffer()` and `blob()` have no bounded equivalent
  (() => {
    const code = `${HTTP}import { buffer, arrayBuffer, blob } from 'stream/consumers';
createServer(async (req, res) => {
  const a = await buffer(req);
  const b = await arrayBuffer(req);
  const c = await blob(req);
  res.end(String(a.length + b.byteLength + c.size));
});`;
    return invalid(code, [
      { messageId: 'unboundedStreamRead', text: 'buffer(req)', data: { read: 'buffer(…)', what: 'request' } },
      {
        messageId: 'unboundedStreamRead',
        text: 'arrayBuffer(req)',
        data: { read: 'arrayBuffer(…)', what: 'request' },
        suggest: [bounded(code, 'arrayBuffer(req)', `readBounded(req, ${MAX}, 'arrayBuffer')`)],
      },
      { messageId: 'unboundedStreamRead', text: 'blob(req)', data: { read: 'blob(…)', what: 'request' } },
    ]);
  })(),
  // `req` as the first parameter of a helper is a request by convention
  (() => {
    const code = `import type { IncomingMessage } from 'node:http';
import { json } from 'node:stream/consumers';
export async function readJson(req: IncomingMessage) {
  return await json(req);
}`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'json(req)',
        data: { read: 'json(…)', what: 'request' },
        suggest: [bounded(code, 'json(req)', `readBounded(req, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // koa's `ctx.req`
  (() => {
    const code = `import Koa from 'koa';
import { text } from 'node:stream/consumers';
const app = new Koa();
app.use(async (ctx) => {
  ctx.body = await text(ctx.req);
});`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'text(ctx.req)',
        data: { read: 'text(…)', what: 'request' },
        suggest: [bounded(code, 'text(ctx.req)', `readBounded(ctx.req, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  // an untrusted response body (undici) given to a consumer
  (() => {
    const code = `import { text } from 'node:stream/consumers';
import { request } from 'undici';
export async function f(url: string) {
  const { body } = await request(url);
  return await text(body);
}`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'text(body)',
        data: { read: 'text(…)', what: 'response' },
        suggest: [bounded(code, 'text(body)', `readBounded(body, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  // `readFunctions`: a project's whole-read function (no bounded equivalent to offer)
  invalid(
    `declare function getRawBody(stream: unknown): Promise<Buffer>;
${HTTP}createServer(async (req, res) => {
  res.end(await getRawBody(req));
});`,
    [{ messageId: 'unboundedStreamRead', text: 'getRawBody(req)', data: { read: 'getRawBody(…)', what: 'request' } }],
    { readFunctions: ['getRawBody'] },
  ),

  // ---- Readable#toArray on an incoming request ----
  invalid(
    `${HTTP}createServer(async (req, res) => {
  const chunks = await req.toArray();
  res.end(String(chunks.length));
});`,
    [{ messageId: 'unboundedStreamRead', text: 'req.toArray()', data: { read: 'req.toArray(…)', what: 'request' } }],
  ),
  // fastify's `request.raw`
  invalid(
    `import Fastify from 'fastify';
const app = Fastify();
app.post('/x', async (request, reply) => {
  const parts = await request.raw.toArray();
  return reply.send(parts.length);
});`,
    [{ messageId: 'unboundedStreamRead', text: 'request.raw.toArray()', data: { read: 'request.raw.toArray(…)', what: 'request' } }],
  ),

  // ---- chunks collected with no running count ----
  (() => {
    const code = `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  res.end(Buffer.concat(chunks));
});`;
    return invalid(code, [
      {
        messageId: 'unboundedAccumulation',
        text: 'chunks.push(chunk)',
        data: { what: 'request' },
        suggest: [
          [
            'addByteCount',
            [
              code,
              `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    received += chunk.length;
    if (received > 10485760) {
      req.destroy();
      throw new Error('request body exceeds 10485760 bytes');
    }
    chunks.push(chunk);
  }
  res.end(Buffer.concat(chunks));
});`,
            ],
          ],
        ],
      },
    ]);
  })(),
  // in an Express handler, concatenating a string; a `received` in scope already: the count takes another name
  (() => {
    const code = `${EXPRESS}app.post('/x', async (req, res) => {
  const received = new Date();
  let body = '';
  for await (const part of req) {
    body += part;
  }
  res.send({ received, body });
});`;
    return invalid(code, [
      {
        messageId: 'unboundedAccumulation',
        text: 'body += part',
        data: { what: 'request' },
        suggest: [byteCount(code, 'for await (const part of req) {', { counter: 'received2', chunk: 'part' })],
      },
    ]);
  })(),
  // the cap the options name, in a nested block
  (() => {
    const code = `${HTTP}createServer(async (req, res) => {
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk);
    }
    res.end(Buffer.concat(chunks));
  }
});`;
    return invalid(
      code,
      [
        {
          messageId: 'unboundedAccumulation',
          text: 'chunks.push(chunk)',
          data: { what: 'request' },
          suggest: [byteCount(code, 'for await (const chunk of req) {', { indent: '    ', max: 4096 })],
        },
      ],
      { maxBytes: 4096 },
    );
  })(),
  // a loop without a block: reported, no suggestion
  invalid(
    `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  res.end(Buffer.concat(chunks));
});`,
    [{ messageId: 'unboundedAccumulation', text: 'chunks.push(chunk)', data: { what: 'request' } }],
  ),
  invalid(
    `${HTTP}createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', () => res.end(raw));
});`,
    [{ messageId: 'unboundedAccumulation', text: 'raw += c', data: { what: 'request' } }],
  ),
  invalid(
    `${EXPRESS}app.post('/upload', (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => res.send(Buffer.concat(chunks).length));
});`,
    [{ messageId: 'unboundedAccumulation', text: 'chunks.push(chunk)', data: { what: 'request' } }],
  ),
  invalid(
    `${HTTP}createServer((request, response) => {
  let body = Buffer.alloc(0);
  request.addListener('data', function (chunk: Buffer) {
    body = Buffer.concat([body, chunk]);
  });
  request.on('end', () => response.end(body));
});`,
    [
      {
        messageId: 'unboundedAccumulation',
        text: 'Buffer.concat([body, chunk])',
        data: { what: 'request' },
      },
    ],
  ),

  // ---- whole files at paths taken from the request ----
  invalid(
    `${EXPRESS}import fs from 'node:fs';
import * as path from 'node:path';
app.get('/f/:name', async (req, res) => {
  res.send(await fs.promises.readFile(req.params.name));
});
app.get('/g', (req, res) => {
  res.send(fs.readFileSync(path.join('/srv/files', req.query.f as string)));
});
app.get('/h/:file', (req, res) => {
  const file = path.join(__dirname, req.params.file);
  fs.readFile(file, 'utf8', (err, data) => res.send(data));
});`,
    [
      { messageId: 'requestPathRead', text: 'fs.promises.readFile(req.params.name)', data: { read: 'fs.promises.readFile(…)' } },
      { messageId: 'requestPathRead', text: "fs.readFileSync(path.join('/srv/files', req.query.f as string))", data: { read: 'fs.readFileSync(…)' } },
      { messageId: 'requestPathRead', text: "fs.readFile(file, 'utf8', (err, data) => res.send(data))", data: { read: 'fs.readFile(…)' } },
    ],
  ),
  invalid(
    `import { readFile } from 'node:fs/promises';
import { readFileSync } from 'fs';
${HTTP}createServer(async (req, res) => {
  const a = await readFile(req.url!);
  const b = readFileSync(\`./public\${req.url}\`);
  const c = await readFile('./config.json');
  res.end(Buffer.concat([a, b, c]));
});`,
    [
      { messageId: 'requestPathRead', text: 'readFile(req.url!)', data: { read: 'readFile(…)' } },
      { messageId: 'requestPathRead', text: 'readFileSync(`./public${req.url}`)', data: { read: 'readFileSync(…)' } },
    ],
  ),

  // ---- axios to a URL the program does not choose, with no maxContentLength ----
  (() => {
    const code = `import axios from 'axios';
export async function f(url: string) {
  const a = await axios.get(url);
  const b = await axios(url);
  const c = await axios({ url });
  const d = await axios.post(url, { x: 1 });
  return [a, b, c, d];
}`;
    return invalid(code, [
      {
        messageId: 'axiosWithoutLimit',
        text: 'axios.get(url)',
        data: { read: 'axios.get(…)' },
        suggest: [maxContentLength('axios.get(url)', `axios.get(url, { maxContentLength: ${MAX} })`)],
      },
      {
        messageId: 'axiosWithoutLimit',
        text: 'axios(url)',
        data: { read: 'axios(…)' },
        suggest: [maxContentLength('axios(url)', `axios(url, { maxContentLength: ${MAX} })`)],
      },
      {
        messageId: 'axiosWithoutLimit',
        text: 'axios({ url })',
        data: { read: 'axios(…)' },
        suggest: [maxContentLength('axios({ url })', `axios({ url, maxContentLength: ${MAX} })`)],
      },
      // no config to add the cap to (the data comes second): reported, no suggestion
      { messageId: 'axiosWithoutLimit', text: 'axios.post(url, { x: 1 })', data: { read: 'axios.post(…)' } },
    ]);
  })(),
  (() => {
    const code = `import axios from 'axios';
export async function f(url: string) {
  const a = await axios.get(url, { timeout: 1000 });
  const b = await axios.post(url, { x: 1 }, { timeout: 5 });
  const c = await axios.get(url, {});
  const d = await axios.request({ url, method: 'get' });
  return [a, b, c, d];
}`;
    return invalid(
      code,
      [
        {
          messageId: 'axiosWithoutLimit',
          text: 'axios.get(url, { timeout: 1000 })',
          data: { read: 'axios.get(…)' },
          suggest: [maxContentLength('{ timeout: 1000 }', '{ timeout: 1000, maxContentLength: 2048 }')],
        },
        {
          messageId: 'axiosWithoutLimit',
          text: 'axios.post(url, { x: 1 }, { timeout: 5 })',
          data: { read: 'axios.post(…)' },
          suggest: [maxContentLength('{ timeout: 5 }', '{ timeout: 5, maxContentLength: 2048 }')],
        },
        {
          messageId: 'axiosWithoutLimit',
          text: 'axios.get(url, {})',
          data: { read: 'axios.get(…)' },
          suggest: [maxContentLength('axios.get(url, {})', 'axios.get(url, { maxContentLength: 2048 })')],
        },
        {
          messageId: 'axiosWithoutLimit',
          text: "axios.request({ url, method: 'get' })",
          data: { read: 'axios.request(…)' },
          suggest: [maxContentLength("{ url, method: 'get' }", "{ url, method: 'get', maxContentLength: 2048 }")],
        },
      ],
      { maxBytes: 2048 },
    );
  })(),
  // a stream response type on another request does not cover this one; a constant origin alone is not trusted
  (() => {
    const code = `import axios from 'axios';
export async function f(id: string) {
  return axios.get(\`https://api.example.com/users/\${id}\`, { responseType: 'json' });
}`;
    return invalid(code, [
      {
        messageId: 'axiosWithoutLimit',
        text: "axios.get(`https://api.example.com/users/${id}`, { responseType: 'json' })",
        data: { read: 'axios.get(…)' },
        suggest: [maxContentLength("{ responseType: 'json' }", `{ responseType: 'json', maxContentLength: ${MAX} }`)],
      },
    ]);
  })(),

  // ---- upload parsers without limits ----
  invalid(
    `import multer from 'multer';
export const upload = multer({ dest: 'uploads/' });
export const memory = multer();`,
    [
      { messageId: 'uploadWithoutLimits', text: "multer({ dest: 'uploads/' })", data: { read: 'multer(…)' } },
      { messageId: 'uploadWithoutLimits', text: 'multer()', data: { read: 'multer(…)' } },
    ],
  ),
  invalid(
    `import busboy from 'busboy';
${HTTP}createServer((req, res) => {
  const bb = busboy({ headers: req.headers });
  req.pipe(bb);
  bb.on('close', () => res.end());
});`,
    [{ messageId: 'uploadWithoutLimits', text: 'busboy({ headers: req.headers })', data: { read: 'busboy(…)' } }],
  ),

  // ---- body parsers with no limit ----
  invalid(
    `${EXPRESS}import bodyParser from 'body-parser';
app.use(express.json({ limit: Infinity }));
app.use(bodyParser.json({ limit: 'Infinity' }));
app.use(bodyParser.text({ limit: Number.POSITIVE_INFINITY }));`,
    [
      { messageId: 'bodyParserWithoutLimit', text: 'Infinity', data: { read: 'express.json(…)' } },
      { messageId: 'bodyParserWithoutLimit', text: "'Infinity'", data: { read: 'bodyParser.json(…)' } },
      { messageId: 'bodyParserWithoutLimit', text: 'Number.POSITIVE_INFINITY', data: { read: 'bodyParser.text(…)' } },
    ],
  ),
  invalid(
    `import { json, urlencoded } from 'express';
const NO_LIMIT = Infinity;
export const a = json({ limit: NO_LIMIT });
export const b = urlencoded({ extended: true, limit: Infinity });`,
    [
      { messageId: 'bodyParserWithoutLimit', text: 'NO_LIMIT', occurrence: 1, data: { read: 'json(…)' } },
      { messageId: 'bodyParserWithoutLimit', text: 'Infinity', occurrence: 1, data: { read: 'urlencoded(…)' } },
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// TypeScript files (typed): annotated handlers and responses; the helper the fix appends is typed.
// ---------------------------------------------------------------------------------------------

const validTyped: Valid[] = [
  // the typed helper as the fix leaves it, for a request
  `import type { IncomingMessage, ServerResponse } from 'node:http';
export async function handle(req: IncomingMessage, res: ServerResponse) {
  const body = await readBounded(req, ${MAX}, 'text');
  res.end(body);
}

${boundedReadHelper({ typescript: true })}
`,
];

const invalidTyped: Invalid[] = [
  (() => {
    const code = `import type { IncomingMessage, ServerResponse } from 'node:http';
import { text } from 'node:stream/consumers';
export async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body: string = await text(req);
  res.end(body);
}`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'text(req)',
        data: { read: 'text(…)', what: 'request' },
        suggest: [bounded(code, 'text(req)', `readBounded(req, ${MAX}, 'text')`)],
      },
    ]);
  })(),
  (() => {
    const code = `interface Profile { name: string }
export async function profile(url: URL): Promise<Profile> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  return (await res.json()) as Profile;
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
];

// ---------------------------------------------------------------------------------------------
// Plain JavaScript (untyped): CommonJS requires, and the helper the fix appends has no types.
// ---------------------------------------------------------------------------------------------

const validUntyped: Valid[] = [
  {
    code: `async function f(url) {
  const res = await fetch(url);
  return await readBounded(res, ${MAX}, 'json');
}
module.exports = { f };

${boundedReadHelper({ typescript: false })}
`,
    filename: jsFile,
  },
];

const invalidUntyped: Invalid[] = [
  (() => {
    const code = `async function f(url) {
  const res = await fetch(url);
  return await res.json();
}
module.exports = { f };`;
    return inJs(
      invalid(code, [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.json()',
          data: bodyRead('res.json(…)', '`url`'),
          suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`, { typescript: false })],
        },
      ]),
    );
  })(),
  (() => {
    const code = `const { request } = require('undici');
const { json } = require('node:stream/consumers');
const http = require('node:http');
http.createServer(async (req, res) => {
  const { body } = await request(req.headers['x-upstream']);
  res.end(JSON.stringify([await body.text(), await json(req)]));
});`;
    return inJs(
      invalid(code, [
        {
          messageId: 'unboundedBodyRead',
          text: 'body.text()',
          data: bodyRead('body.text(…)', '`req.headers[…]`'),
          suggest: [bounded(code, 'body.text()', `readBounded(body, ${MAX}, 'text')`, { typescript: false })],
        },
        {
          messageId: 'unboundedStreamRead',
          text: 'json(req)',
          data: { read: 'json(…)', what: 'request' },
          suggest: [bounded(code, 'json(req)', `readBounded(req, ${MAX}, 'json')`, { typescript: false })],
        },
      ]),
    );
  })(),
  // the JavaScript file already has the helper: no second one
  (() => {
    const code = `async function f(url) {
  const res = await fetch(url);
  return await res.text();
}
module.exports = { f };

${boundedReadHelper({ typescript: false })}`;
    return inJs(
      invalid(code, [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.text()',
          data: bodyRead('res.text(…)', '`url`'),
          suggest: [bounded(code, 'res.text()', `readBounded(res, ${MAX}, 'text')`, { helper: false })],
        },
      ]),
    );
  })(),
  inJs(
    invalid(
      `const axios = require('axios');
const fs = require('node:fs');
const express = require('express');
const app = express();
app.get('/proxy', async (req, res) => {
  const upstream = await axios.get(req.query.url);
  res.send(upstream.data + fs.readFileSync(req.query.file));
});`,
      [
        {
          messageId: 'axiosWithoutLimit',
          text: 'axios.get(req.query.url)',
          data: { read: 'axios.get(…)' },
          suggest: [maxContentLength('axios.get(req.query.url)', `axios.get(req.query.url, { maxContentLength: ${MAX} })`)],
        },
        { messageId: 'requestPathRead', text: 'fs.readFileSync(req.query.file)', data: { read: 'fs.readFileSync(…)' } },
      ],
    ),
  ),
  inJs(
    invalid(
      `const multer = require('multer');
const express = require('express');
module.exports = [multer({ storage: multer.memoryStorage() }), express.raw({ limit: Infinity })];`,
      [
        { messageId: 'uploadWithoutLimits', text: 'multer({ storage: multer.memoryStorage() })', data: { read: 'multer(…)' } },
        { messageId: 'bodyParserWithoutLimit', text: 'Infinity', data: { read: 'express.raw(…)' } },
      ],
    ),
  ),
];

typedRuleTester.run('no-unbounded-read (typed)', rule, {
  valid: [...validBoth, ...validTyped],
  invalid: [...invalidBoth, ...invalidTyped],
});

untypedRuleTester.run('no-unbounded-read (untyped)', rule, {
  valid: [...validBoth, ...validUntyped],
  invalid: [...invalidBoth, ...invalidUntyped],
});

// ---------------------------------------------------------------------------------------------
// Options the schema refuses. @typescript-eslint/rule-tester cannot expect a case to throw (it
// validates the options inside its own `it`), so these go through ESLint's Linter directly:
// ESLint validates rule options against `meta.schema` before running the rule.
// ---------------------------------------------------------------------------------------------

describe('no-unbounded-read options schema', () => {
  const lint = (options: unknown) =>
    new Linter({ configType: 'flat' }).verify('export {};', [
      {
        plugins: { asyncguard: { rules: { 'no-unbounded-read': rule } } },
        rules: { 'asyncguard/no-unbounded-read': ['error', options] },
      },
    ]);

  it('accepts the documented options', () => {
    assert.deepEqual(
      lint({ maxBytes: 1_048_576, allowedOrigins: ['https://api.example.com', 'cdn.example.com'], readFunctions: ['getRawBody'], boundedReaders: ['readCapped'] }),
      [],
    );
  });

  for (const [why, options] of [
    ['an unknown option', { limit: 10 }],
    ['a cap of zero', { maxBytes: 0 }],
    ['a cap that is not an integer', { maxBytes: 1.5 }],
    ['a cap given as a string', { maxBytes: '1mb' }],
    ['origins that are not a list', { allowedOrigins: 'https://api.example.com' }],
    ['a read function that is not a name', { readFunctions: [{ name: 'getRawBody' }] }],
    ['bounded readers that are not a list', { boundedReaders: 'readCapped' }],
  ] as const) {
    it(`rejects ${why}`, () => {
      assert.throws(() => lint(options), /Key "asyncguard\/no-unbounded-read":/);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Regressions: each case below was a rule bug (the comment says what the rule used to do); each
// states, and checks, the correct behaviour (the second block holds the bugs its tests found when
// it was written, fixed since).
// ---------------------------------------------------------------------------------------------

const regressionValidBoth: Valid[] = [
  // was: false positive. Any function whose first parameter was named `stream` (or `socket`,
  // `ctx`) took it for an incoming request: a database LOB stream read whole was reported as
  // "the whole incoming request". Only `req`/`request` are requests by convention; other names
  // only in a registered handler.
  `import { text } from 'node:stream/consumers';
export async function readLob(stream: NodeJS.ReadableStream) {
  return await text(stream);
}`,
  `export async function collect(socket: AsyncIterable<Buffer>) {
  const chunks: Buffer[] = [];
  for await (const chunk of socket) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}`,
];

const regressionInvalidBoth: Invalid[] = [
  // the same names in a registered connection handler are still the peer's stream
  invalid(
    `import { createServer } from 'node:net';
createServer((socket) => {
  let buffered = '';
  socket.on('data', (data) => { buffered += data; });
});`,
    [{ messageId: 'unboundedAccumulation', text: 'buffered += data', data: { what: 'request' } }],
  ),
];

describe('no-unbounded-read regressions', () => {
  typedRuleTester.run('no-unbounded-read regressions (typed)', rule, {
    valid: regressionValidBoth,
    invalid: regressionInvalidBoth,
  });
  untypedRuleTester.run('no-unbounded-read regressions (untyped)', rule, {
    valid: regressionValidBoth,
    invalid: regressionInvalidBoth,
  });
});

// ---------------------------------------------------------------------------------------------
// Bugs found while writing these tests, fixed since: each case states the correct behaviour, its
// comment ("was:") what the rule used to do.
// ---------------------------------------------------------------------------------------------

const fixedValidBoth: Valid[] = [
  // was: false positive (wrong message). The read is inside the check's consequent, which
  // runs only with a length present and under the cap (`Number(null)` is 0); the rule takes any
  // check whose test has no `!`/`null`/`isNaN` for one that lets a missing length through, and
  // reports contentLengthNotEnough.
  `export async function f(url: string) {
  const res = await fetch(url);
  const length = Number(res.headers.get('content-length'));
  if (length > 0 && length <= 1_000_000) return await res.json();
  throw new Error('too big, or no length');
}`,
  // was: false positive. The loop stops past the cap with `return` (leaving a for await
  // destroys the request); `counts()` only accepts destroy/cancel/abort/pause/throw/reject, so the
  // common `res.statusCode = 413; return res.end()` is reported as unboundedAccumulation.
  `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) {
      res.statusCode = 413;
      return res.end();
    }
    chunks.push(chunk);
  }
  res.end(Buffer.concat(chunks));
});`,
  // was: false positive, same cause, with `break`.
  `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) break;
    chunks.push(chunk);
  }
  res.end(Buffer.concat(chunks));
});`,
  // was: false positive. Nothing is collected: the loop hashes each chunk and adds up a
  // number. `accumulates()` takes any `+=` for collecting chunks, and reports unboundedAccumulation.
  `import { createHash } from 'node:crypto';
${HTTP}createServer(async (req, res) => {
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of req) {
    hash.update(chunk);
    total += chunk.length;
  }
  res.end(\`\${total} \${hash.digest('hex')}\`);
});`,
  // was: false positive. A constant URL object: `getStaticValue` does not evaluate
  // `new URL(…)` and `constantOrigin` only reads templates, so it is "a URL built at run time".
  `export async function f() {
  const res = await fetch(new URL('https://api.example.com/users'));
  return await res.json();
}`,
  // was: false positive. The origin is a constant, through a binding, and it is trusted;
  // `constantOrigin` reads only the template's first literal part (empty here), and reports
  // unboundedBodyRead. (`BASE + '/users/' + id` is accepted.)
  {
    code: `const BASE = 'https://api.example.com';
export async function f(id: string) {
  const res = await fetch(\`\${BASE}/users/\${id}\`);
  return await res.json();
}`,
    options: [{ allowedOrigins: ['https://api.example.com'] }],
  },
  // was: false positive. The check refuses a missing length, through a binding of undici's
  // `headers`; `mentionsContentLength` wants the binding's initialiser to name the response
  // (`body`), which it does not, so the check is not seen and unboundedBodyRead is reported. (The
  // same check written inline is accepted, see validBoth.)
  `import { request } from 'undici';
export async function f(url: string) {
  const { headers, body } = await request(url);
  const length = headers['content-length'];
  if (!length || Number(length) > 1_000_000) throw new Error('too big');
  return await body.json();
}`,
];

const fixedInvalidBoth: Invalid[] = [
  // was: false negative. The most common fetch idiom: the response is the `.then`
  // callback's parameter, which the resource model does not follow, so nothing is reported. The
  // arrow returns the read, so the bounded read can take its place.
  (() => {
    const code = `export function f(url: string) {
  return fetch(url).then((res) => res.json());
}`;
    return invalid(code, [
      {
        messageId: 'unboundedBodyRead',
        text: 'res.json()',
        data: bodyRead('res.json(…)', '`url`'),
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // was: false negative (wrong message). `!res.ok` in the test is taken for a refusal of a
  // missing length (`refusesMissing` matches any `!x`), so the check counts as bounding the read and
  // nothing is reported; it lets a chunked body through.
  (() => {
    const code = `export async function f(url: string) {
  const res = await fetch(url);
  if (!res.ok || Number(res.headers.get('content-length')) > 1_000_000) throw new Error('bad response');
  return await res.json();
}`;
    return invalid(code, [
      {
        messageId: 'contentLengthNotEnough',
        text: 'res.json()',
        data: { read: 'res.json(…)' },
        suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
      },
    ]);
  })(),
  // was: false negative. `maxContentLength: -1` is axios's own "no limit" (and Infinity
  // is none either); the rule only checks that the property is there. The fix sets the cap in place
  // (adding a second `maxContentLength` would be a duplicate key).
  (() => {
    const code = `import axios from 'axios';
export async function f(url: string) {
  return axios.get(url, { maxContentLength: -1 });
}`;
    return invalid(code, [
      {
        messageId: 'axiosWithoutLimit',
        text: 'axios.get(url, { maxContentLength: -1 })',
        data: { read: 'axios.get(…)' },
        suggest: [maxContentLength('maxContentLength: -1', `maxContentLength: ${MAX}`)],
      },
    ]);
  })(),
  // was: false negative. With a trusted origin, a concatenation whose constant part ends at
  // the host (`'https://api.example.com' + rest`, rest = `.evil.com/x` or `@evil.com/x`) is
  // trusted, while the same template (`https://api.example.com${rest}`) rightly is not: in
  // `constantOrigin`, the "origin must be followed by more literal text" check applies only to
  // templates.
  (() => {
    const code = `export async function f(rest: string) {
  const res = await fetch('https://api.example.com' + rest);
  return await res.json();
}`;
    return invalid(
      code,
      [
        {
          messageId: 'unboundedBodyRead',
          text: 'res.json()',
          data: bodyRead('res.json(…)', FROM_RUNTIME),
          suggest: [bounded(code, 'res.json()', `readBounded(res, ${MAX}, 'json')`)],
        },
      ],
      { allowedOrigins: ['https://api.example.com'] },
    );
  })(),
  // was: broken suggestion. addByteCount picks the counter's name free at the loop, not in
  // the loop's body: with a `received` declared in the body, the inserted `received += chunk.length`
  // reads the body's `const received` before its declaration (TDZ; in TypeScript, assigning to a
  // const). It should take another name.
  (() => {
    const code = `${HTTP}createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const received = Date.now();
    chunks.push(chunk);
    console.log(received);
  }
  res.end(Buffer.concat(chunks));
});`;
    return invalid(code, [
      {
        messageId: 'unboundedAccumulation',
        text: 'chunks.push(chunk)',
        data: { what: 'request' },
        suggest: [byteCount(code, 'for await (const chunk of req) {', { counter: 'received2' })],
      },
    ]);
  })(),
  // was: broken suggestion. `text(res.body!)` on a fetch response becomes
  // `readBounded(res.body!, …)`: a web ReadableStream, which the typed helper does not accept
  // (TS2345: no `destroy`), and which the untyped helper iterates and then calls `destroy()` on (a
  // TypeError past the cap). The helper reads a Response: the fix should pass `res`.
  (() => {
    const code = `import { text } from 'node:stream/consumers';
export async function f(url: string) {
  const res = await fetch(url);
  return await text(res.body!);
}`;
    return invalid(code, [
      {
        messageId: 'unboundedStreamRead',
        text: 'text(res.body!)',
        data: { read: 'text(…)', what: 'response' },
        suggest: [bounded(code, 'text(res.body!)', `readBounded(res, ${MAX}, 'text')`)],
      },
    ]);
  })(),
];

describe('no-unbounded-read fixed bugs', () => {
  typedRuleTester.run('no-unbounded-read fixed bugs (typed)', rule, {
    valid: fixedValidBoth,
    invalid: fixedInvalidBoth,
  });
  untypedRuleTester.run('no-unbounded-read fixed bugs (untyped)', rule, {
    valid: fixedValidBoth,
    invalid: fixedInvalidBoth,
  });
});
