/**
 * Recursive, self-referencing and exploding generic types — the shapes of real stack-overflow
 * reports against type-aware promise rules (typescript-eslint#11947 and #12705, TypeScript#49646 and
 * #18277) — linted typed by every rule, with no-unawaited-promise's verdicts asserted; and the guard
 * that keeps a stack overflow inside the checker from failing the lint.
 */
import * as assert from 'node:assert/strict';
import { Linter } from 'eslint';
import * as parser from '@typescript-eslint/parser';
import { typedFile, typedRuleTester } from '../ruleTester';
import plugin from '../../src/index';
import rule from '../../src/rules/no-unawaited-promise';
import { createRule } from '../../src/util/createRule';

const recursive = {
  // typescript-eslint#12705: each call's return type instantiates a deeper intersection.
  accumulating: `type Recursive<T> = <U>() => Recursive<T & U>;
declare const subject: Recursive<unknown>;
declare function later(cb: () => void): void;
subject();
later(subject);
[subject].forEach(subject);
`,
  // TypeScript#49646: a union that contains a promise of itself.
  selfPromise: `type SimpleType = string | Promise<SimpleType>;
declare const simple: SimpleType;
declare function using<T>(handler: () => T): T;
type EnvFunction = <T>() => T;
const env: EnvFunction = () => using(() => simple);
env();
if (simple) {}
`,
  // TypeScript#18277: mutually recursive generic call signatures.
  mutual: `interface Foo<T> { (bar: Bar<T>): void }
interface Bar<T> { (foo: Foo<T>): Foo<T> }
function createBar<T>(): Bar<T> { return (f) => f; }
function foo<T>(bar: Bar<T>): void {}
createBar()(foo);
[foo].forEach(createBar());
`,
  // A thenable whose then hands back a deeper instantiation of itself.
  deepThenable: `interface Chain<T> { then<U>(ok: (value: T) => Chain<Chain<U>>, fail: (error: unknown) => void): Chain<U> }
declare const chain: Chain<number>;
chain;
`,
  // A recursive mapped type that is also a promise, and an interface extending a promise of itself.
  mappedPromise: `type Deep<T> = { [K in keyof T]: Deep<T[K]> } & Promise<Deep<T>>;
declare const deep: Deep<{ a: { b: 1 } }>;
interface Tree<T> extends Promise<Tree<T[]>> { children: Tree<Tree<T>>[] }
declare const tree: Tree<string>;
`,
};

typedRuleTester.run('no-unawaited-promise on recursive types', rule, {
  // `env()` is `unknown` (T is inferred from nothing); a thenable is not a promise by default.
  valid: [recursive.accumulating, recursive.mutual, recursive.deepThenable, `${recursive.selfPromise.replace('if (simple) {}', '')}`],
  invalid: [
    {
      code: `${recursive.selfPromise}simple;\n`,
      errors: [
        {
          messageId: 'floating',
          line: 8,
          suggestions: [{ messageId: 'addVoid', output: `${recursive.selfPromise}void simple;\n` }],
        },
      ],
    },
    {
      code: `${recursive.mappedPromise}deep;\ntree.children[0];\n`,
      errors: [
        {
          messageId: 'floating',
          line: 5,
          suggestions: [
            { messageId: 'addVoid', output: `${recursive.mappedPromise}void deep;\ntree.children[0];\n` },
            { messageId: 'addCatch', output: `${recursive.mappedPromise}deep.catch((error) => { console.error(error); });\ntree.children[0];\n` },
          ],
        },
        {
          messageId: 'floating',
          line: 6,
          suggestions: [
            { messageId: 'addVoid', output: `${recursive.mappedPromise}deep;\nvoid tree.children[0];\n` },
            { messageId: 'addCatch', output: `${recursive.mappedPromise}deep;\ntree.children[0].catch((error) => { console.error(error); });\n` },
          ],
        },
      ],
    },
  ],
});

describe('every rule on recursive types', () => {
  for (const [name, code] of Object.entries(recursive)) {
    it(`${name}: lints without a failure`, () => {
      const messages = new Linter({ configType: 'flat' }).verify(code, [
        {
          files: ['**/*.ts'],
          languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: `${__dirname}/../fixtures` } },
          plugins: { asyncguard: plugin as never },
          rules: Object.fromEntries(Object.keys(plugin.rules).map((ruleName) => [`asyncguard/${ruleName}`, 'error'])),
        },
      ], { filename: typedFile });
      assert.deepEqual(messages.filter((message) => message.fatal || message.ruleId === null), []);
    });
  }
});

describe('the stack-overflow guard of createRule', () => {
  function probe(error: Error) {
    return createRule({
      name: 'probe',
      meta: { type: 'problem', docs: { description: 'probe' }, schema: [], messages: { seen: 'seen' } },
      defaultOptions: [],
      create(context) {
        return {
          Identifier(node) {
            if (node.name === 'deep') throw error;
            context.report({ node, messageId: 'seen' });
          },
        };
      },
    });
  }
  const lint = (error: Error) =>
    new Linter({ configType: 'flat' }).verify('deep; shallow;', [{ plugins: { t: { rules: { probe: probe(error) } } as never }, rules: { 't/probe': 'error' } }]);

  it('a stack overflow on one node costs that node its verdict, not the lint', () => {
    const messages = lint(new RangeError('Maximum call stack size exceeded'));
    assert.deepEqual(messages.map((message) => [message.ruleId, message.column]), [['t/probe', 7]]);
  });

  it('any other error still surfaces', () => {
    assert.throws(() => lint(new TypeError('a bug of the rule')), /a bug of the rule/);
    assert.throws(() => lint(new RangeError('Invalid array length')), /Invalid array length/);
  });
});
