import * as path from 'node:path';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { CALL, CONSTRUCT, traceReferences, type TraceMaps } from '../../src/analysis/apiReferences';
import sessionRule, { type MessageId as SessionId, type Options as SessionOptions } from '../../src/rules/no-unclosed-session';
import promiseRule, { CATCH_HANDLER, type MessageId as PromiseId, type Options as PromiseOptions } from '../../src/rules/no-unawaited-promise';
import limiterRule, { type MessageId as LimiterId, type Options as LimiterOptions } from '../../src/rules/no-semaphore-misuse';
import { typedFile, typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, tryFinallyEdit, type Expect } from '../cases';

/**
 * Module resolution in `analysis/apiReferences.ts`, the one place every catalogue (promises,
 * resources, limiters, I/O, reads) finds its calls and constructions: each way real code imports
 * or requires a module, linted through a real rule, typed and untyped, as TypeScript and as
 * JavaScript; and the look-alikes that are not the module (a file's own `require`, a
 * `createRequire` of its own, a relative module named like a library).
 */

const jsFile = path.join(path.dirname(typedFile), 'file.js');

/** A shape written once for both languages: `t(': string')` is the annotation in TypeScript and nothing in JavaScript. */
type Shape = (t: (annotation: string) => string) => string;

const asTs = (shape: Shape) => shape((annotation) => annotation);
const asJs = (shape: Shape) => shape(() => '');

interface Cases<T> {
  ts: T[];
  js: T[];
}

/** Cases in TypeScript (linted typed and untyped) and in JavaScript (`file.js`, linted untyped: plain JS is the untyped mode's home). */
interface InvalidCases<M extends string, O extends readonly unknown[]> extends Cases<InvalidTestCase<M, O>> {
  /** The TypeScript cases as the typed run expects them (what a rule suggests can depend on the types). */
  typed: InvalidTestCase<M, O>[];
}

function inBothLanguages<M extends string, O extends readonly unknown[]>(
  shapes: Shape[],
  expects: (code: string, typed: boolean) => Expect<M>[],
  options?: O[0],
): InvalidCases<M, O> {
  return {
    typed: shapes.map((shape) => invalidCase<M, O>(asTs(shape), expects(asTs(shape), true), options)),
    ts: shapes.map((shape) => invalidCase<M, O>(asTs(shape), expects(asTs(shape), false), options)),
    js: shapes.map((shape) => ({ ...invalidCase<M, O>(asJs(shape), expects(asJs(shape), false), options), filename: jsFile })),
  };
}

function validInBothLanguages<O extends readonly unknown[]>(shapes: Shape[], options?: O[0]): Cases<ValidTestCase<O>> {
  const withOptions = options ? { options: [options] as unknown as O } : {};
  return {
    ts: shapes.map((shape) => ({ code: asTs(shape), ...withOptions })),
    js: shapes.map((shape) => ({ code: asJs(shape), filename: jsFile, ...withOptions })),
  };
}

function concat<T>(...all: Cases<T>[]): Cases<T> {
  return { ts: all.flatMap((cases) => cases.ts), js: all.flatMap((cases) => cases.js) };
}

function concatInvalid<M extends string, O extends readonly unknown[]>(...all: InvalidCases<M, O>[]): InvalidCases<M, O> {
  return { ...concat(...all), typed: all.flatMap((cases) => cases.typed) };
}

/** Typed: the TypeScript cases; untyped: both languages. */
function runBoth<M extends string, O extends readonly unknown[]>(
  rule: TSESLint.RuleModule<M, O>,
  valid: Cases<ValidTestCase<O>>,
  invalid: InvalidCases<M, O>,
): void {
  typedRuleTester.run('typed', rule, { valid: valid.ts, invalid: invalid.typed });
  untypedRuleTester.run('untyped', rule, { valid: [...valid.ts, ...valid.js], invalid: [...invalid.ts, ...invalid.js] });
}

// ---------------------------------------------------------------------------------------------
// Resources (no-unclosed-session): a pg client connected and never ended.
// ---------------------------------------------------------------------------------------------

/** The module header, then a function that connects a client made by `make` and never ends it. */
const leak = (header: string | Shape, make: string): Shape => (t) => `${typeof header === 'string' ? header : header(t)}
export async function f(sql${t(': string')}) {
  const client = ${make};
  await client.connect();
  await client.query(sql);
}`;

const resourceShapes: Shape[] = [
  // ---- createRequire: ES modules' way to require ----
  leak((t) => `import { createRequire } from 'node:module';
const require${t(': NodeRequire')} = createRequire(import.meta.url);
const { Client } = require('pg');`, 'new Client()'),
  // renamed: the require is whatever the binding is called
  leak(`import { createRequire } from 'module';
const req = createRequire(import.meta.url);
const pg = req('pg');`, 'new pg.Client()'),
  // createRequire itself renamed on import
  leak(`import { createRequire as makeRequire } from 'node:module';
const load = makeRequire(import.meta.url);
const { Client: PgClient } = load('pg');`, 'new PgClient()'),
  // `module.createRequire` through the default and the namespace import of `module`
  leak(`import module from 'node:module';
const req = module.createRequire(import.meta.url);
const { Client } = req('pg');`, 'new Client()'),
  leak(`import * as m from 'module';
const req = m.createRequire(import.meta.url);
const { Client } = req('pg');`, 'new Client()'),
  // called at once, and from CommonJS (`createRequire(__filename)`)
  leak(`import { createRequire } from 'node:module';
const { Client } = createRequire(import.meta.url)('pg');`, 'new Client()'),
  leak(`const { createRequire } = require('node:module');
const req = createRequire(__filename);
const { Client } = req('pg');`, 'new Client()'),
  // assigned later, and through a compiled-ESM interop helper
  leak(`import { createRequire } from 'node:module';
let req;
req = createRequire(import.meta.url);
const { Client } = req('pg');`, 'new Client()'),
  leak((t) => `import { createRequire } from 'node:module';
${t('declare function __importDefault(m: unknown): any;\n')}const req = createRequire(import.meta.url);
const pg_1 = __importDefault(req('pg'));`, 'new pg_1.default.Client()'),
  // ---- default and namespace imports, and the CommonJS interop of a default import ----
  leak(`import pg from 'pg';`, 'new pg.Client()'),
  leak(`import * as pg from 'pg';`, 'new pg.Client()'),
  leak(`import pkg from 'pg';
const { Client } = pkg;`, 'new Client()'),
  // ---- destructured requires ----
  leak(`const { Client: PgClient } = require('pg');`, 'new PgClient()'),
  leak(`const { Client = null } = require('pg');`, 'new Client()'),
  (t) => `export async function f(sql${t(': string')}) {
  const { Client } = require('pg');
  const client = new Client();
  await client.connect();
  await client.query(sql);
}`,
  // ---- dynamic import: the namespace, with CommonJS exports also under `default` ----
  (t) => `export async function f(sql${t(': string')}) {
  const { Client } = await import('pg');
  const client = new Client();
  await client.connect();
  await client.query(sql);
}`,
  (t) => `export async function f(sql${t(': string')}) {
  const pg = await import('pg');
  const client = new pg.default.Client();
  await client.connect();
  await client.query(sql);
}`,
];

const resourceExpects = (code: string): Expect<SessionId>[] => {
  const make = /const client = (.*);/.exec(code)![1];
  return [
    {
      messageId: 'neverReleased',
      text: make,
      suggest: [tryFinallyEdit<SessionId>('wrapInTryFinally', ['await client.connect();', 'await client.query(sql);'], 'await client.end()')],
    },
  ];
};

const resourceInvalid = inBothLanguages<SessionId, SessionOptions>(resourceShapes, resourceExpects);

/** A user's catalogue entry names a Node.js built-in one way and the file imports it the other. */
const udp = (module: string): Shape => (t) => `import { createSocket } from '${module}';
export function f(message${t(': Buffer')}) {
  const socket = createSocket('udp4');
  socket.send(message, 41234, 'localhost');
}`;
const udpEntry = (module: string): SessionOptions[0] => ({
  resources: [{ module, label: 'UDP socket', create: [{ call: ['createSocket'] }], release: ['close'] }],
});
const udpExpects = (): Expect<SessionId>[] => [
  {
    messageId: 'neverReleased',
    text: "createSocket('udp4')",
    suggest: [tryFinallyEdit<SessionId>('wrapInTryFinally', ["socket.send(message, 41234, 'localhost');"], 'socket.close()')],
  },
];
const userEntryInvalid = concatInvalid(
  inBothLanguages<SessionId, SessionOptions>([udp('node:dgram')], udpExpects, udpEntry('dgram')),
  inBothLanguages<SessionId, SessionOptions>([udp('dgram')], udpExpects, udpEntry('node:dgram')),
);

const resourceValid = concat(
  validInBothLanguages<SessionOptions>([
    // the file's own function named `require`, not the module loader
    leak((t) => `function require(name${t(': string')}) {
  return { Client: class { async connect() {} async query(sql${t(': string')}) { return [name, sql]; } } };
}
const { Client } = require('pg');`, 'new Client()'),
    // a parameter named `require`
    (t) => `export async function f(require${t(': (name: string) => any')}, sql${t(': string')}) {
  const { Client } = require('pg');
  const client = new Client();
  await client.connect();
  await client.query(sql);
}`,
    // `createRequire` from a module of the project's own, and one the file declares
    leak(`import { createRequire } from './loader';
const require = createRequire(import.meta.url);
const { Client } = require('pg');`, 'new Client()'),
    leak((t) => `function createRequire(url${t(': string')}) {
  return (name${t(': string')}) => ({ Client: class { async connect() {} async query(sql${t(': string')}) { return [name, url, sql]; } } });
}
const req = createRequire(import.meta.url);
const { Client } = req('pg');`, 'new Client()'),
    // a module of the project named like the library
    leak(`import { Client } from './pg';`, 'new Client()'),
    leak(`import pg from './pg.js';`, 'new pg.Client()'),
    leak(`const { Client } = require('./pg');`, 'new Client()'),
    leak(`import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const { Client } = req('./pg.cjs');`, 'new Client()'),
    (t) => `export async function f(sql${t(': string')}) {
  const { Client } = await import('./pg.js');
  const client = new Client();
  await client.connect();
  await client.query(sql);
}`,
    // `node:` only names Node.js's own modules: `node:pg` is not pg
    leak(`import { Client } from 'node:pg';`, 'new Client()'),
    // the require made by createRequire, used for something else than loading
    (t) => `import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
export function where(name${t(': string')}) {
  return req.resolve(name);
}`,
  ]),
  // the user's entry for a library is not found under `node:` (only built-ins are)
  validInBothLanguages<SessionOptions>(
    [udp('node:dgram-like')],
    { resources: [{ module: 'dgram-like', label: 'UDP socket', create: [{ call: ['createSocket'] }], release: ['close'] }] },
  ),
);

/**
 * `bindings.importSource` knows the same loads: handing `fd` to `fs.readSync` is using it, not
 * handing it over, only when `fs` is known to be Node's (and the suggested release is `fs.closeSync`).
 */
const firstByte = (header: string): Shape => (t) => `${header}
export function firstByte(path${t(': string')}) {
  const fd = fs.openSync(path, 'r');
  const buffer = Buffer.alloc(1);
  fs.readSync(fd, buffer);
  fs.closeSync(fd);
  return buffer[0];
}`;
const builtinUseInvalid = inBothLanguages<SessionId, SessionOptions>(
  [
    firstByte(`import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const fs = require('node:fs');`),
    firstByte(`import module from 'module';
const load = module.createRequire(import.meta.url);
const fs = load('fs');`),
    firstByte(`const fs = await import('node:fs');`),
    firstByte(`const fs = require('fs');`),
  ],
  () => [
    {
      messageId: 'notReleasedOnException',
      text: "fs.openSync(path, 'r')",
      suggest: [
        tryFinallyEdit<SessionId>('wrapInTryFinally', ['const buffer = Buffer.alloc(1);', 'fs.readSync(fd, buffer);', 'fs.closeSync(fd);', 'return buffer[0];'], 'fs.closeSync(fd)', {
          dropped: ['fs.closeSync(fd);'],
        }),
      ],
    },
  ],
);

/** Bindings that load themselves (valid syntax, a TDZ error at run time): resolved without looping forever. */
const selfLoading = validInBothLanguages<SessionOptions>([
  (t) => `import { openSync } from 'node:fs';
const r = r('node:fs');
export function f(path${t(': string')}) {
  const fd = openSync(path, 'r');
  r.readSync(fd, Buffer.alloc(1));
}`,
  (t) => `import { openSync } from 'node:fs';
let a = b('node:fs');
let b = a('node:fs');
export function f(path${t(': string')}) {
  const fd = openSync(path, 'r');
  b.readSync(fd, Buffer.alloc(1));
}`,
  (t) => `import { createRequire } from 'node:module';
import { openSync } from 'node:fs';
const req = createRequire(req);
const fs = req('./fs.cjs');
export function f(path${t(': string')}) {
  const fd = openSync(path, 'r');
  fs.readSync(fd, Buffer.alloc(1));
}`,
]);

describe('apiReferences: module resolution, resources (no-unclosed-session)', () => {
  runBoth(sessionRule, concat(resourceValid, selfLoading), concatInvalid(resourceInvalid, userEntryInvalid, builtinUseInvalid));
});

// ---------------------------------------------------------------------------------------------
// Promises (no-unawaited-promise): a catalogue promise dropped.
// ---------------------------------------------------------------------------------------------

const drop = (header: string | Shape, statement: string): Shape => (t) => `${typeof header === 'string' ? header : header(t)}
export async function f(file${t(': string')}) {
  ${statement}
}`;

const promiseShapes: Shape[] = [
  ...['fs/promises', 'node:fs/promises'].map((module) =>
    drop(`import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const fsp = require('${module}');`, 'fsp.readFile(file);'),
  ),
  drop(`import { createRequire } from 'module';
const req = createRequire(import.meta.url);
const { promises: fsp } = req('node:fs');`, 'fsp.readFile(file);'),
  drop(`const { promises: fsp } = require('fs');`, 'fsp.readFile(file);'),
  drop(`const { promises: { readFile } } = require('node:fs');`, 'readFile(file);'),
  drop(`const { readFile: read } = require('fs/promises');`, 'read(file);'),
  drop(`import fs from 'node:fs';`, 'fs.promises.readFile(file);'),
  drop(`import * as fsp from 'fs/promises';`, 'fsp.readFile(file);'),
  drop(`import timers from 'node:timers/promises';`, 'timers.setTimeout(10);'),
  (t) => `export async function f(file${t(': string')}) {
  const { readFile } = await import('node:fs/promises');
  readFile(file);
}`,
];

const promiseExpects = (code: string, typed: boolean): Expect<PromiseId>[] => {
  const statement = /\n {2}([^\n]*;)\n}$/.exec(code)![1];
  const expression = statement.replace(/;$/, '');
  // Typed, what a `require` returns is `any`: the catalogue says it is a promise, but nothing says
  // it has a `.catch` to call, so the rule does not offer one.
  const anyTyped = typed && /\b(require|req)\('/.test(code);
  return [
    {
      messageId: 'floating',
      text: expression,
      suggest: [
        ['addAwait', [statement, `await ${statement}`]],
        ['addVoid', [statement, `void ${statement}`]],
        ...(anyTyped ? [] : [['addCatch', [statement, `${expression}${CATCH_HANDLER};`]] as [PromiseId, [string, string]]]),
      ],
    },
  ];
};

const promiseInvalid = inBothLanguages<PromiseId, PromiseOptions>(promiseShapes, promiseExpects);

const promiseValid = validInBothLanguages<PromiseOptions>([
  // a synchronous `require` of the file's own, and a `createRequire` of a loader module
  drop((t) => `function require(name${t(': string')}) {
  return { readFile: (file${t(': string')}) => [name, file] };
}
const fsp = require('fs/promises');`, 'fsp.readFile(file);'),
  drop(`import { createRequire } from './loader';
const require = createRequire(import.meta.url);
const fsp = require('fs/promises');`, 'fsp.readFile(file);'),
  drop(`const fsp = require('./fs/promises');`, 'fsp.readFile(file);'),
]);

describe('apiReferences: module resolution, promises (no-unawaited-promise)', () => {
  // Typed, `require` made by createRequire returns `any`: the checker knows nothing, the catalogue does.
  runBoth(promiseRule, promiseValid, promiseInvalid);
});

// ---------------------------------------------------------------------------------------------
// Limiters (no-semaphore-misuse): a permit not given back when the work throws.
// ---------------------------------------------------------------------------------------------

const unguarded = (header: string, make: string): Shape => (t) => `${header}
const lock = ${make};
export async function f(work${t(': () => Promise<void>')}) {
  await lock.acquire();
  await work();
  lock.release();
}`;

const limiterShapes: Shape[] = [
  unguarded(`import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Mutex } = require('async-mutex');`, 'new Mutex()'),
  unguarded(`import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const { Sema: S } = req('async-sema');`, 'new S(1)'),
  unguarded(`import * as am from 'async-mutex';`, 'new am.Mutex()'),
  unguarded(`import am from 'async-mutex';`, 'new am.Mutex()'),
  unguarded(`import pkg from 'async-mutex';
const { Mutex } = pkg;`, 'new Mutex()'),
  unguarded(`const { Mutex: Lock } = require('async-mutex');`, 'new Lock()'),
  unguarded(`const { Mutex } = await import('async-mutex');`, 'new Mutex()'),
];

const limiterExpects = (): Expect<LimiterId>[] => [
  {
    messageId: 'releaseNotGuaranteed',
    text: 'lock.acquire()',
    suggest: [['moveReleaseToFinally', ['await work();\n  lock.release();', 'try {\n    await work();\n  } finally {\n    lock.release();\n  }']]],
  },
];

/** A p-limit limiter handed a promise: the module is callable, as its default export or as the CommonJS module itself. */
const limited = (header: string): Shape => (t) => `${header}
const limit = pLimit(2);
export function f(url${t(': string')}) {
  return limit(fetch(url));
}`;
const pLimitShapes: Shape[] = [
  limited(`import pLimit from 'p-limit';`),
  limited(`import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const pLimit = req('p-limit');`),
  limited(`const { default: pLimit } = await import('p-limit');`),
  limited(`const pLimit = require('p-limit');`),
];

const limiterInvalid = concatInvalid(
  inBothLanguages<LimiterId, LimiterOptions>(limiterShapes, limiterExpects),
  inBothLanguages<LimiterId, LimiterOptions>(pLimitShapes, () => [
    { messageId: 'promiseInsteadOfFunction', text: 'fetch(url)', suggest: [['wrapInArrow', ['limit(fetch(url))', 'limit(() => fetch(url))']]] },
  ]),
);

const limiterValid = validInBothLanguages<LimiterOptions>([
  unguarded(`import { createRequire } from './loader';
const require = createRequire(import.meta.url);
const { Mutex } = require('async-mutex');`, 'new Mutex()'),
  unguarded(`import { Mutex } from './async-mutex';`, 'new Mutex()'),
]);

describe('apiReferences: module resolution, limiters (no-semaphore-misuse)', () => {
  runBoth(limiterRule, limiterValid, limiterInvalid);
});

// ---------------------------------------------------------------------------------------------
// The tracker itself, through a rule that reports every reference a small trace map marks:
// `node:` and bare names of Node.js built-ins are one module; maps under both names merge.
// ---------------------------------------------------------------------------------------------

let maps: TraceMaps = { modules: {}, globals: {} };

const traceRule: TSESLint.RuleModule<'found'> = {
  defaultOptions: [],
  meta: { type: 'problem', messages: { found: '{{info}}' }, schema: [] },
  create(context) {
    return {
      'Program:exit'() {
        for (const [node, info] of traceReferences(context.sourceCode, maps)) context.report({ node, messageId: 'found', data: { info: String(info) } });
      },
    };
  },
};

const found = (code: string, ...reports: [text: string, info: string][]): InvalidTestCase<'found', []> =>
  invalidCase<'found', []>(
    code,
    reports.map(([text, info]) => ({ messageId: 'found', text, data: { info } })),
  );

describe('apiReferences: traceReferences', () => {
  describe('a built-in listed by its bare name is found under node: too', () => {
    before(() => {
      maps = { modules: { 'fs/promises': { open: { [CALL]: 'open' } }, pg: { Client: { [CONSTRUCT]: 'pg' } } }, globals: {} };
    });
    untypedRuleTester.run('bare', traceRule, {
      valid: [`import { Client } from 'node:pg';\nnew Client();`, `import { open } from './fs/promises';\nopen('f');`],
      invalid: [
        found(`import { open } from 'node:fs/promises';\nopen('f');`, ["open('f')", 'open']),
        found(`import { open } from 'fs/promises';\nopen('f');`, ["open('f')", 'open']),
        found(`require('node:fs/promises').open('f');`, ["require('node:fs/promises').open('f')", 'open']),
        found(`const { open: o } = await import('node:fs/promises');\no('f');`, ["o('f')", 'open']),
      ],
    });
  });
  describe('a built-in listed by its node: name is found bare too, and both listings merge', () => {
    before(() => {
      maps = {
        modules: { 'node:dgram': { createSocket: { [CALL]: 'socket' } }, fs: { openSync: { [CALL]: 'bare' } }, 'node:fs': { readSync: { [CALL]: 'prefixed' } } },
        globals: {},
      };
    });
    untypedRuleTester.run('prefixed', traceRule, {
      valid: [],
      invalid: [
        found(`import dgram from 'dgram';\ndgram.createSocket('udp4');`, ["dgram.createSocket('udp4')", 'socket']),
        found(`import * as fs from 'node:fs';\nfs.openSync('f');\nfs.readSync(3);`, ["fs.openSync('f')", 'bare'], ['fs.readSync(3)', 'prefixed']),
        found(`const fs = require('fs');\nfs.openSync('f');\nfs.readSync(3);`, ["fs.openSync('f')", 'bare'], ['fs.readSync(3)', 'prefixed']),
      ],
    });
  });
  describe("a catalogue's own entry for `module` keeps working beside createRequire", () => {
    before(() => {
      maps = { modules: { module: { findSourceMap: { [CALL]: 'sourceMap' } }, pg: { Client: { [CONSTRUCT]: 'pg' } } }, globals: {} };
    });
    untypedRuleTester.run('module', traceRule, {
      valid: [],
      invalid: [
        found(
          `import { createRequire, findSourceMap } from 'node:module';\nfindSourceMap('f');\nconst { Client } = createRequire(import.meta.url)('pg');\nnew Client();`,
          ["findSourceMap('f')", 'sourceMap'],
          ['new Client()', 'pg'],
        ),
      ],
    });
  });
});
