/**
 * Parity with typescript-eslint's `no-floating-promises` documentation
 * (https://typescript-eslint.io/rules/no-floating-promises/, source
 * packages/eslint-plugin/docs/rules/no-floating-promises.mdx).
 *
 * One case per code block of that page: the main ❌/✅ examples and every option section's examples
 * (allowForKnownSafeCalls, allowForKnownSafePromises, checkThenables, ignoreVoid, ignoreIIFE). Each
 * block's code is kept as on the page, starting at line 1, so the lines asserted here are the lines
 * of the doc block. The reference behaviour was checked by running typescript-eslint's own rule on
 * every block.
 *
 * Where our rule deliberately differs, the case is in the "Deliberate differences" section at the
 * bottom and asserts OUR behaviour. Differences in the shape of a report (not whether there is one):
 * - location: we report the statement's expression, ending before the `;`; typescript-eslint reports
 *   the whole ExpressionStatement, so its endColumn is one more than ours on every report;
 * - `.catch()` with no argument is `floatingUselessRejectionHandler` here (typescript-eslint: plain
 *   `floatingVoid`);
 * - suggestions: ours are `addAwait`, `addVoid`, `addCatch` (no `addCatch` on a thenable that has no
 *   `.catch` method, nor on a useless rejection handler); for an array of promises, `awaitAll` wraps
 *   it in `await Promise.all(…)` as the doc's ✅ example does. typescript-eslint offers void/await
 *   only, and nothing for arrays. `await` is offered at the top level only of a file that is an ES
 *   module (it has an import, an export or a top-level await): in any other file TypeScript rejects
 *   a top-level `await` (TS1375 / TS1309), so most doc blocks here get no `addAwait`/`awaitAll`.
 */
import { typedRuleTester } from '../ruleTester';
import rule from '../../src/rules/no-unawaited-promise';

/** What the `addCatch` suggestion appends (the rule's `CATCH_HANDLER`); every `addCatch` output below is built from it. */
const CATCH_SUFFIX = '.catch((error) => { console.error(error); })';

/** `code` with its line `n` (1-based) replaced by `text`. */
function withLine(code: string, n: number, text: string): string {
  const lines = code.split('\n');
  if (n < 1 || n > lines.length) throw new Error(`no line ${n}`);
  lines[n - 1] = text;
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Doc code blocks
// ---------------------------------------------------------------------------------------------

// § Examples — ❌ Incorrect
const mainIncorrect = `const promise = new Promise((resolve, reject) => resolve('value'));
promise;

async function returnsPromise() {
  return 'value';
}
returnsPromise().then(() => {});

Promise.reject('value').catch();

Promise.reject('value').finally();

[1, 2, 3].map(async x => x + 1);
`;

// § Examples — ✅ Correct
const mainCorrect = `const promise = new Promise((resolve, reject) => resolve('value'));
await promise;

async function returnsPromise() {
  return 'value';
}

void returnsPromise();

returnsPromise().then(
  () => {},
  () => {},
);

Promise.reject('value').catch(() => {});

await Promise.reject('value').finally(() => {});

await Promise.all([1, 2, 3].map(async x => x + 1));
`;

// § Options › allowForKnownSafeCalls — the doc's option, with `path` pointing at our test file
// (the doc's `input.ts` is the playground's file name; RuleTester's typed file is `file.ts`).
const safeCallsOptions = {
  allowForKnownSafeCalls: [{ from: 'file' as const, name: 'safe', path: 'file.ts' }],
};
// § allowForKnownSafeCalls — ❌ Incorrect
const safeCallsIncorrect = `declare function unsafe(...args: unknown[]): Promise<void>;

unsafe('...', () => {});
`;
// § allowForKnownSafeCalls — ✅ Correct
const safeCallsCorrect = `declare function safe(...args: unknown[]): Promise<void>;

safe('...', () => {});
`;

// § Options › allowForKnownSafePromises — the doc's option, verbatim.
const safePromisesOptions = {
  allowForKnownSafePromises: [
    { from: 'file' as const, name: 'SafePromise' },
    { from: 'lib' as const, name: 'PromiseLike' },
    { from: 'package' as const, name: 'Bar', package: 'bar-lib' },
  ],
};
// § allowForKnownSafePromises — ❌ Incorrect
const safePromisesIncorrect = `let promise: Promise<number> = Promise.resolve(2);
promise;

function returnsPromise(): Promise<number> {
  return Promise.resolve(42);
}

returnsPromise();
`;
// § allowForKnownSafePromises — ✅ Correct
const safePromisesCorrect = `// promises can be marked as safe by using branded types
type SafePromise = Promise<number> & { __linterBrands?: string };

let promise: SafePromise = Promise.resolve(2);
promise;

function returnsSafePromise(): SafePromise {
  return Promise.resolve(42);
}

returnsSafePromise();
`;
// § allowForKnownSafePromises — ❌ Incorrect, earlier revision of the page (same option; also
// covers `.finally()` on a branded promise)
const safePromisesIncorrectEarlier = `type UnsafePromise = Promise<number> & { __linterBrands?: string };
let promise: UnsafePromise = Promise.resolve(2);
promise;
promise.finally();
`;
// § allowForKnownSafePromises — ✅ Correct, earlier revision of the page
const safePromisesCorrectEarlier = `type SafePromise = Promise<number> & { __linterBrands?: string }; // promises can be marked as safe by using branded types
let promise: SafePromise = Promise.resolve(2);
promise;
promise.finally();
`;

// § Options › checkThenables — ❌ Incorrect (with `{ checkThenables: true }`)
const thenablesIncorrect = `declare function createPromiseLike(): PromiseLike<string>;

createPromiseLike();

interface MyThenable {
  then(onFulfilled: () => void, onRejected: () => void): MyThenable;
}

declare function createMyThenable(): MyThenable;

createMyThenable();
`;
// § checkThenables — ✅ Correct (with `{ checkThenables: true }`)
const thenablesCorrect = `declare function createPromiseLike(): PromiseLike<string>;

await createPromiseLike();

interface MyThenable {
  then(onFulfilled: () => void, onRejected: () => void): MyThenable;
}

declare function createMyThenable(): MyThenable;

await createMyThenable();
`;

// § Options › ignoreVoid — ✅ Correct with `{ ignoreVoid: true }` (typescript-eslint's default)
const ignoreVoidCorrect = `async function returnsPromise() {
  return 'value';
}
void returnsPromise();

void Promise.reject('value');
`;

// § Options › ignoreIIFE — ✅ Correct with `{ ignoreIIFE: true }` (`res` is undeclared on the page too)
const ignoreIIFECorrect = `await (async function () {
  await res(1);
})();

(async function () {
  await res(1);
})();
`;

// ---------------------------------------------------------------------------------------------
// Expected suggestions for a one-line statement `expr;` on line `n` of `code`. Every doc block but
// the ignoreIIFE one is a script (no import, export or top-level await): no `addAwait` there.
// ---------------------------------------------------------------------------------------------

/** A promise with a `.catch` method: `addVoid`, `addCatch`. */
function promiseSuggestions(code: string, n: number, expr: string) {
  return [
    { messageId: 'addVoid' as const, output: withLine(code, n, `void ${expr};`) },
    { messageId: 'addCatch' as const, output: withLine(code, n, `${expr}${CATCH_SUFFIX};`) },
  ];
}

/**
 * A thenable without `.catch` (PromiseLike, a custom thenable): only `addVoid`, since
 * `createPromiseLike().catch(…)` does not type-check (TS2339: no `catch` on `PromiseLike<string>`).
 */
function thenableSuggestions(code: string, n: number, expr: string) {
  return [{ messageId: 'addVoid' as const, output: withLine(code, n, `void ${expr};`) }];
}

/** A chain whose rejection handler is useless (`.catch()`): `addVoid` only; appending a second `.catch` is not offered. */
function uselessHandlerSuggestions(code: string, n: number, expr: string) {
  return [{ messageId: 'addVoid' as const, output: withLine(code, n, `void ${expr};`) }];
}

typedRuleTester.run('no-unawaited-promise (parity with no-floating-promises docs)', rule, {
  valid: [
    // § Examples — ✅ Correct
    { code: mainCorrect },
    // § allowForKnownSafeCalls — ✅ Correct
    { code: safeCallsCorrect, options: [safeCallsOptions] },
    // § allowForKnownSafePromises — ✅ Correct
    { code: safePromisesCorrect, options: [safePromisesOptions] },
    // § allowForKnownSafePromises — ✅ Correct (earlier revision of the page)
    { code: safePromisesCorrectEarlier, options: [safePromisesOptions] },
    // § checkThenables — ✅ Correct
    { code: thenablesCorrect, options: [{ checkThenables: true }] },
    // § checkThenables — the ❌ block is fine with the option's default (false), as in typescript-eslint
    { code: thenablesIncorrect },
    // § ignoreVoid — ✅ Correct with `{ ignoreVoid: true }`: `void` is always accepted here
    { code: ignoreVoidCorrect },
  ],
  invalid: [
    // § Examples — ❌ Incorrect
    {
      code: mainIncorrect,
      errors: [
        // promise;
        {
          messageId: 'floating',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 8,
          suggestions: promiseSuggestions(mainIncorrect, 2, 'promise'),
        },
        // returnsPromise().then(() => {});
        {
          messageId: 'floating',
          line: 7,
          column: 1,
          endLine: 7,
          endColumn: 32,
          suggestions: promiseSuggestions(mainIncorrect, 7, 'returnsPromise().then(() => {})'),
        },
        // Promise.reject('value').catch();
        {
          messageId: 'floatingUselessRejectionHandler',
          line: 9,
          column: 1,
          endLine: 9,
          endColumn: 32,
          suggestions: uselessHandlerSuggestions(mainIncorrect, 9, "Promise.reject('value').catch()"),
        },
        // Promise.reject('value').finally();
        {
          messageId: 'floating',
          line: 11,
          column: 1,
          endLine: 11,
          endColumn: 34,
          suggestions: promiseSuggestions(mainIncorrect, 11, "Promise.reject('value').finally()"),
        },
        // [1, 2, 3].map(async x => x + 1);
        // (`awaitAll` → `await Promise.all(…)` needs an async context or an ES module; this block is neither.)
        {
          messageId: 'floatingArray',
          line: 13,
          column: 1,
          endLine: 13,
          endColumn: 32,
          suggestions: [],
        },
      ],
    },
    // § allowForKnownSafeCalls — ❌ Incorrect
    {
      code: safeCallsIncorrect,
      options: [safeCallsOptions],
      errors: [
        {
          messageId: 'floating',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 24,
          suggestions: promiseSuggestions(safeCallsIncorrect, 3, "unsafe('...', () => {})"),
        },
      ],
    },
    // § allowForKnownSafePromises — ❌ Incorrect
    {
      code: safePromisesIncorrect,
      options: [safePromisesOptions],
      errors: [
        {
          messageId: 'floating',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 8,
          suggestions: promiseSuggestions(safePromisesIncorrect, 2, 'promise'),
        },
        {
          messageId: 'floating',
          line: 8,
          column: 1,
          endLine: 8,
          endColumn: 17,
          suggestions: promiseSuggestions(safePromisesIncorrect, 8, 'returnsPromise()'),
        },
      ],
    },
    // § allowForKnownSafePromises — ❌ Incorrect (earlier revision of the page)
    {
      code: safePromisesIncorrectEarlier,
      options: [safePromisesOptions],
      errors: [
        {
          messageId: 'floating',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 8,
          suggestions: promiseSuggestions(safePromisesIncorrectEarlier, 3, 'promise'),
        },
        {
          messageId: 'floating',
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: 18,
          suggestions: promiseSuggestions(safePromisesIncorrectEarlier, 4, 'promise.finally()'),
        },
      ],
    },
    // § checkThenables — ❌ Incorrect with `{ checkThenables: true }`
    {
      code: thenablesIncorrect,
      options: [{ checkThenables: true }],
      errors: [
        {
          messageId: 'floating',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 20,
          suggestions: thenableSuggestions(thenablesIncorrect, 3, 'createPromiseLike()'),
        },
        {
          messageId: 'floating',
          line: 11,
          column: 1,
          endLine: 11,
          endColumn: 19,
          suggestions: thenableSuggestions(thenablesIncorrect, 11, 'createMyThenable()'),
        },
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Deliberate differences
// ---------------------------------------------------------------------------------------------
// Each case below is a doc example (or a doc example under a typescript-eslint option we do not
// have) where our rule decides otherwise on purpose; it asserts OUR behaviour.

typedRuleTester.run('no-unawaited-promise (deliberate differences from no-floating-promises docs)', rule, {
  valid: [
    // § ignoreVoid with `{ ignoreVoid: false }` (typescript-eslint reports both `void` statements).
    // Reason: `ignoreVoid` is not an option; `void p` is our explicit fire-and-forget marker, always accepted.
    { code: ignoreVoidCorrect },
  ],
  invalid: [
    // § ignoreIIFE — ✅ Correct with `{ ignoreIIFE: true }` (typescript-eslint accepts the bare IIFE).
    // Reason: `ignoreIIFE` is not an option; an async IIFE's rejection is as unhandled as any other promise's.
    {
      code: ignoreIIFECorrect,
      errors: [
        {
          messageId: 'floating',
          line: 5,
          column: 1,
          endLine: 7,
          endColumn: 5,
          suggestions: [
            { messageId: 'addAwait', output: withLine(ignoreIIFECorrect, 5, 'await (async function () {') },
            { messageId: 'addVoid', output: withLine(ignoreIIFECorrect, 5, 'void (async function () {') },
            { messageId: 'addCatch', output: withLine(ignoreIIFECorrect, 7, `})()${CATCH_SUFFIX};`) },
          ],
        },
      ],
    },
  ],
});
