/**
 * no-unawaited-promise, typed: a promise-returning function where the type it meets expects a
 * function returning `void` — every position of typescript-eslint's `checksVoidReturn` (arguments,
 * variables, properties, returns, JSX attributes, inherited methods), with the option variants —
 * and the `checksConditionals` / `checksSpreads` shapes. The cases are ours, written for each
 * position and for the look-alikes that accept a promise.
 */
import type { ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageId, type Options } from '../../src/rules/no-unawaited-promise';
import { typedRuleTester, untypedRuleTester } from '../ruleTester';
import { invalidCase, type Expect } from '../cases';
import * as path from 'node:path';

type Valid = ValidTestCase<Options> | string;
const invalid = (code: string, expects: Expect<MessageId>[], options?: Options[0]) => invalidCase<MessageId, Options>(code, expects, options);
const tsx = path.join(__dirname, '..', 'fixtures', 'react.tsx');

// ---- call arguments ----

const argumentsValid: Valid[] = [
  // the parameter accepts a promise-returning function
  `declare function run(task: () => Promise<void>): void; run(async () => {});`,
  `declare function run(task: () => void | Promise<void>): void; run(async () => {});`,
  `declare function run(task: () => unknown): void; run(async () => {});`,
  // an overload that takes a promise-returning function makes the position an async one
  `declare function on(cb: () => void): void; declare function on(cb: () => Promise<void>): void; on(async () => {});`,
  // not a function returning a promise
  `declare function run(task: () => void): void; run(() => {});`,
  `declare function run(task: () => void): void; declare function sync(): number; run(sync);`,
  // a callback that catches everything loses no rejection (a deliberate difference, see the docs)
  `declare function run(task: () => void): void; declare function save(): Promise<void>;
run(async () => { try { await save(); } catch (error) { console.error(error); } });`,
  { code: `declare function run(task: () => void): void; run(async () => {});`, options: [{ checksVoidReturn: false }] },
  { code: `declare function run(task: () => void): void; run(async () => {});`, options: [{ checksVoidReturn: { arguments: false } }] },
];

const argumentsInvalid = [
  invalid(`declare function run(task: () => void): void; run(async () => {});`, [
    { messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'run', detail: '' } },
  ]),
  // a promise-returning function that is not a literal
  invalid(`declare function run(task: () => void): void; declare function save(): Promise<void>; run(save);`, [
    { messageId: 'misusedAsyncCallback', text: 'save', occurrence: 1, data: { callee: 'run', detail: '' } },
  ]),
  // a generic parameter constrained to a void function
  invalid(`declare function run<T extends () => void>(task: T): void; run(async () => {});`, [
    { messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'run', detail: '' } },
  ]),
  // rest parameters, as an array and as a tuple; a constructor
  invalid(`declare function all(...tasks: (() => void)[]): void; all(() => {}, async () => {});`, [
    { messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'all', detail: '' } },
  ]),
  invalid(`declare function later(ms: number, ...rest: [() => void]): void; later(1, async () => {});`, [
    { messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'later', detail: '' } },
  ]),
  invalid(`declare class Job { constructor(run: () => void) } new Job(async () => {});`, [
    { messageId: 'misusedAsyncCallback', text: 'async () =>', data: { callee: 'Job', detail: '' } },
  ]),
  // the other positions stay checked when only arguments are turned off
  invalid(`const f: () => void = async () => {};`, [{ messageId: 'voidVariable', text: 'async () =>', data: { name: 'f' } }], {
    checksVoidReturn: { arguments: false },
  }),
];

// ---- variables and assignments ----

const variablesValid: Valid[] = [
  `const f: () => Promise<void> = async () => {};`,
  `const f = async () => {};`,
  `let f: () => void; f = () => {};`,
  `let f: (() => void) | (() => Promise<void>); f = async () => {};`,
  { code: `const f: () => void = async () => {};`, options: [{ checksVoidReturn: { variables: false } }] },
];

const variablesInvalid = [
  invalid(`const f: () => void = async () => {};`, [{ messageId: 'voidVariable', text: 'async () =>', data: { name: 'f' } }]),
  invalid(`async function save() {} const f: () => void = save;`, [{ messageId: 'voidVariable', text: 'save', occurrence: 1, data: { name: 'f' } }]),
  invalid(`let f: (() => void) | undefined; f = async function () {};`, [
    { messageId: 'voidVariable', text: 'async function', data: { name: 'f' } },
  ]),
  // a field typed to return void, assigned later
  invalid(`class Button { onClick: () => void = () => {}; wire(save: () => Promise<void>) { this.onClick = save; } }`, [
    { messageId: 'voidVariable', text: 'save', occurrence: 1, data: { name: 'onClick' } },
  ]),
];

// ---- object-literal properties ----

const propertiesValid: Valid[] = [
  `const o: { run(): Promise<void> } = { async run() {} };`,
  `const o: { run: () => void } = { run: () => {} };`,
  `const o = { async run() {} };`,
  `const o: Record<string, () => Promise<void>> = { a: async () => {} };`,
  { code: `const o: { run(): void } = { async run() {} };`, options: [{ checksVoidReturn: { properties: false } }] },
];

const propertiesInvalid = [
  invalid(`const o: { run(): void } = { run: async () => {} };`, [{ messageId: 'voidProperty', text: 'async () =>', data: { name: 'run' } }]),
  invalid(`const o: { run(): void } = { async run() {} };`, [{ messageId: 'voidProperty', text: 'run', occurrence: 1, data: { name: 'run' } }]),
  invalid(`async function run() {} const o: { run(): void } = { run };`, [{ messageId: 'voidProperty', text: 'run', occurrence: 2, data: { name: 'run' } }]),
  // a record, a union with undefined, an argument, a returned object
  invalid(`const o: Record<string, () => void> = { a: async () => {} };`, [{ messageId: 'voidProperty', text: 'async () =>', data: { name: 'a' } }]),
  invalid(`declare function take(o: { done?: () => void }): void; take({ done: async () => {} });`, [
    { messageId: 'voidProperty', text: 'async () =>', data: { name: 'done' } },
  ]),
  invalid(`function hooks(): { stop(): void } { return { async stop() {} }; }`, [{ messageId: 'voidProperty', text: 'stop', occurrence: 1, data: { name: 'stop' } }]),
];

// ---- returned functions ----

const returnsValid: Valid[] = [
  `function mk(): () => Promise<void> { return async () => {}; }`,
  `function mk() { return async () => {}; }`,
  { code: `function mk(): () => void { return async () => {}; }`, options: [{ checksVoidReturn: { returns: false } }] },
];

const returnsInvalid = [
  invalid(`function mk(): () => void { return async () => {}; }`, [{ messageId: 'voidReturnValue', text: 'async () =>' }]),
  // an arrow's expression body is its return value
  invalid(`const mk = (): (() => void) => async () => {};`, [{ messageId: 'voidReturnValue', text: 'async () =>', occurrence: 0 }]),
  invalid(`type Cleanup = () => void; declare function stop(): Promise<void>; function effect(): Cleanup { return stop; }`, [
    { messageId: 'voidReturnValue', text: 'stop', occurrence: 1 },
  ]),
];

// ---- inherited methods ----

const inheritedValid: Valid[] = [
  `class A { run(): void {} } class B extends A { run() {} }`,
  `class A { async run(): Promise<void> {} } class B extends A { async run() {} }`,
  // static members are not inherited through instances
  `class A { static run(): void {} } class B extends A { static async run() {} }`,
  { code: `class A { run(): void {} } class B extends A { async run() {} }`, options: [{ checksVoidReturn: { inheritedMethods: false } }] },
];

const inheritedInvalid = [
  invalid(`class A { run(): void {} } class B extends A { async run() {} }`, [
    { messageId: 'voidInheritedMethod', text: 'run', occurrence: 1, data: { name: 'run', base: 'A' } },
  ]),
  invalid(`interface Job { run(): void } class B implements Job { async run() {} }`, [
    { messageId: 'voidInheritedMethod', text: 'run', occurrence: 1, data: { name: 'run', base: 'Job' } },
  ]),
  // an interface extending another, a property holding an async arrow, a class expression, abstract members
  invalid(`interface Job { run(): void } interface AsyncJob extends Job { run(): Promise<void> }`, [
    { messageId: 'voidInheritedMethod', text: 'run', occurrence: 1, data: { name: 'run', base: 'Job' } },
  ]),
  invalid(`interface Job { run: () => void } class B implements Job { run = async () => {}; }`, [
    { messageId: 'voidInheritedMethod', text: 'run', occurrence: 1, data: { name: 'run', base: 'Job' } },
  ]),
  invalid(`abstract class A { abstract run(): void } export const B = class extends A { async run() {} };`, [
    { messageId: 'voidInheritedMethod', text: 'run', occurrence: 1, data: { name: 'run', base: 'A' } },
  ]),
  // through an intersection alias
  invalid(`interface Start { start(): void } interface Stop { stop(): void } type Both = Start & Stop; interface Svc extends Both {} class S implements Svc { start() {} async stop() {} }`, [
    { messageId: 'voidInheritedMethod', text: 'stop', occurrence: 1, data: { name: 'stop', base: 'Svc' } },
  ]),
];

// ---- JSX attributes ----

const attributesValid: Valid[] = [
  { code: `declare function Button(props: { onClick: () => Promise<void> }): null; export const x = <Button onClick={async () => {}} />;`, filename: tsx },
  { code: `declare function Button(props: { onClick: () => void }): null; export const x = <Button onClick={() => {}} />;`, filename: tsx },
  {
    code: `declare function Button(props: { onClick: () => void }): null; export const x = <Button onClick={async () => {}} />;`,
    filename: tsx,
    options: [{ checksVoidReturn: { attributes: false } }],
  },
];

const attributesInvalid = [
  {
    ...invalid(`declare function Button(props: { onClick: () => void }): null; export const x = <Button onClick={async () => {}} />;`, [
      { messageId: 'voidAttribute', text: 'async () =>', data: { name: 'onClick' } },
    ]),
    filename: tsx,
  },
];

// ---- conditions and spreads ----

const conditionsValid: Valid[] = [
  // outside a test, `??` is a fallback, not a truth value
  `declare const p: Promise<void> | undefined; export const q = p ?? Promise.resolve();`,
  `declare const p: Promise<number> | undefined; if (p) {}`,
  { code: `declare const p: Promise<void>; if (p) {}`, options: [{ checksConditionals: false }] },
  { code: `declare const load: () => Promise<{ a: 1 }>; export async function f() { return { ...(await load()) }; }` },
  { code: `declare const load: () => Promise<{ a: 1 }>; export const o = { ...load() };`, options: [{ checksSpreads: false }] },
];

const conditionsInvalid = [
  invalid(`declare const p: Promise<void>; declare const ready: boolean | undefined; if (ready ?? p) {}`, [{ messageId: 'conditional', text: 'p', occurrence: 1 }]),
  invalid(`declare const p: Promise<void>; declare const ready: boolean; while (ready && p) {}`, [{ messageId: 'conditional', text: 'p', occurrence: 1 }]),
  invalid(`declare const p: Promise<void>; export const closed = !p;`, [
    { messageId: 'conditional', text: 'p', occurrence: 2, suggest: [['addAwait', ['!p', '!await p']]] },
  ]),
  invalid(`declare const p: Promise<number> | undefined; if (p) {}`, [{ messageId: 'conditional', text: 'p', occurrence: 1 }], {
    checksConditionals: { flagUnions: 'all' },
  }),
  invalid(`declare const p: Promise<number> | number; if (p) {}`, [{ messageId: 'conditional', text: 'p', occurrence: 1 }], {
    checksConditionals: { flagUnions: 'strict' },
  }),
  invalid(`declare const load: () => Promise<{ a: 1 }>; export const o = { ...load() };`, [
    { messageId: 'spread', text: 'load()', suggest: [['addAwait', ['...load()', '...await load()']]] },
  ]),
  // in a script, top-level `await` is not valid: no suggestion
  invalid(`declare const load: () => Promise<{ a: 1 }>; const o = { ...load() };`, [{ messageId: 'spread', text: 'load()' }]),
];

typedRuleTester.run('no-unawaited-promise: void-return positions (typed)', rule, {
  valid: [...argumentsValid, ...variablesValid, ...propertiesValid, ...returnsValid, ...inheritedValid, ...attributesValid, ...conditionsValid],
  invalid: [...argumentsInvalid, ...variablesInvalid, ...propertiesInvalid, ...returnsInvalid, ...inheritedInvalid, ...attributesInvalid, ...conditionsInvalid],
});

// Untyped, the void positions made only by types are not guessed at (no false reports), while the
// promise spread is seen where the file shows the promise.
untypedRuleTester.run('no-unawaited-promise: void-return positions (untyped)', rule, {
  valid: [
    `const o = { run: async () => {} };`,
    `class A { run() {} } class B extends A { async run() {} }`,
    `function mk() { return async () => {}; }`,
  ],
  invalid: [
    invalid(`async function load() { return { a: 1 }; } export async function f() { return { ...load() }; }`, [
      { messageId: 'spread', text: 'load()', occurrence: 1, suggest: [['addAwait', ['...load()', '...await load()']]] },
    ]),
  ],
});
