import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';
import { enclosingFunction, findDescendant, findVariable, isFunctionNode, isGlobalReference, singleValueOf, skipTypeWrappers } from '../analysis/bindings';
import { getIoModel, type IoEvidence } from '../analysis/ioModel';
import { getLimiterModel } from '../analysis/limiterModel';
import { getPromiseModel, isMapCall } from '../analysis/promiseModel';
import { readPromiseExports } from '../io/moduleExports';
import { describeExpression } from '../fix/describe';
import { createRule } from '../util/createRule';

export type Options = [
  {
    concurrency?: number;
    pLimit?: 'auto' | 'always' | 'never';
    ioFunctions?: string[];
  },
];

export type MessageId = 'unboundedFanOut' | 'limitWithPLimit' | 'useWorkerPool';

const DEFAULT_OPTIONS: Required<Options[0]> = {
  concurrency: 8,
  pLimit: 'auto',
  ioFunctions: [],
};

/** The `Promise` combinators that wait on a whole list of started promises. */
const FAN_OUT_METHODS = new Set(['all', 'allSettled', 'any', 'race']);
/** Array methods whose result is no longer than their receiver. */
const NOT_LONGER = new Set(['filter', 'map', 'fill', 'reverse', 'sort', 'toSorted', 'toReversed', 'with', 'slice']);
/** Array methods that make their receiver longer. */
const GROWING = new Set(['push', 'unshift', 'splice']);
/** A list iterated by `for (const batch of chunk(items, 10))` has a bounded length. */
const BATCHING_NAME = /chunk|batch/i;
/** The name the worker-pool suggestion gives its helper (with a `2` when taken). */
export const POOL_HELPER = 'mapWithConcurrency';

/** The helper the worker-pool suggestion adds to a file: at most `concurrency` calls of `work` at once, results in input order. */
export function workerPoolHelper(name: string, typescript: boolean): string {
  const t = (annotation: string) => (typescript ? annotation : '');
  return [
    '/** Runs `work` on every item, at most `concurrency` at a time; resolves to the results in input order. */',
    `async function ${name}${t('<T, R>')}(`,
    `  items${t(': Iterable<T> | ArrayLike<T>')},`,
    `  concurrency${t(': number')},`,
    `  work${t(': (item: T, index: number) => Promise<R> | R')},`,
    `)${t(': Promise<R[]>')} {`,
    '  const list = Array.from(items);',
    `  const results${t(': R[]')} = new Array(list.length);`,
    '  let next = 0;',
    '  let failed = false;',
    `  const worker = async ()${t(': Promise<void>')} => {`,
    '    while (!failed && next < list.length) {',
    '      const index = next++;',
    '      try {',
    '        results[index] = await work(list[index], index);',
    '      } catch (error) {',
    '        failed = true;',
    '        throw error;',
    '      }',
    '    }',
    '  };',
    '  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));',
    '  return results;',
    '}',
  ].join('\n');
}

/** `items.map(mapper)` or `Array.from(items, mapper)` handed to the combinator. */
interface MapShape {
  call: TSESTree.CallExpression;
  list: TSESTree.Expression;
  mapper: TSESTree.Expression;
  method: 'map' | 'flatMap' | 'from';
}

interface FanOut {
  /** How the message names the work started per element: `` `fetch(…)` ``. */
  work: string;
  /** What one piece of work is started for: "element of `urls`". */
  per: string;
  /** The map call when it is written inline in the combinator's argument (the suggestions rewrite only that shape). */
  inline: MapShape | null;
}

export default createRule<Options, MessageId>({
  name: 'no-unbounded-concurrency',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow starting I/O for every element of a list of unknown length all at once',
      recommended: false,
      strict: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    defaultOptions: [DEFAULT_OPTIONS],
    messages: {
      unboundedFanOut: '`{{method}}` starts one {{work}} per {{per}}, all at once: bound the concurrency.',
      limitWithPLimit: 'Run at most {{concurrency}} at a time through p-limit (`{{limit}}`).',
      useWorkerPool: 'Run at most {{concurrency}} at a time with a pool of workers (`{{helper}}`).',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          concurrency: {
            type: 'integer',
            minimum: 1,
            description: 'How many pieces of work the suggested rewrites run at once.',
          },
          pLimit: {
            type: 'string',
            enum: ['auto', 'always', 'never'],
            description:
              'Which rewrite to suggest: `auto` uses p-limit when the file already imports or requires it and a pool of workers otherwise; `always` uses p-limit (adding its import to an ES module); `never` always writes the pool.',
          },
          ioFunctions: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description:
              'More calls that do I/O, by callee name (`loadUser`) or dotted path (`db.query`): for clients and helpers the rule cannot see into.',
          },
        },
      },
    ],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const promises = getPromiseModel(context, { checkThenables: false, promiseExportsOf: readPromiseExports });
    const io = getIoModel(context, { promises, ioFunctions: options.ioFunctions ?? [] });
    const limiters = getLimiterModel(context);
    const types = promises.types;
    const concurrency = options.concurrency ?? DEFAULT_OPTIONS.concurrency;

    const describe = (node: TSESTree.Expression) => describeExpression(sourceCode, node);

    // ---- the combinator ----

    /** `Promise.all(…)` on the global `Promise`: the method's name, else null. */
    function fanOutMethod(call: TSESTree.CallExpression): string | null {
      const callee = call.callee;
      if (
        call.optional ||
        callee.type !== AST_NODE_TYPES.MemberExpression ||
        callee.computed ||
        callee.optional ||
        callee.property.type !== AST_NODE_TYPES.Identifier ||
        !FAN_OUT_METHODS.has(callee.property.name) ||
        callee.object.type !== AST_NODE_TYPES.Identifier ||
        callee.object.name !== 'Promise' ||
        !isGlobalReference(sourceCode, callee.object)
      ) {
        return null;
      }
      return callee.property.name;
    }

    function fanOutOf(argument: TSESTree.Expression, combinator: TSESTree.CallExpression): FanOut | null {
      let node = skipTypeWrappers(argument);
      // `[...items.map(…)]` is the same list.
      if (node.type === AST_NODE_TYPES.ArrayExpression && node.elements.length === 1 && node.elements[0]?.type === AST_NODE_TYPES.SpreadElement) {
        node = skipTypeWrappers(node.elements[0].argument);
      }
      if (node.type === AST_NODE_TYPES.CallExpression) {
        const shape = mapShape(node);
        const fanOut = shape && mapFanOut(shape);
        return fanOut && { ...fanOut, inline: node === argument ? shape : null };
      }
      if (node.type !== AST_NODE_TYPES.Identifier) return null;
      const variable = findVariable(sourceCode, node);
      const value = variable && singleValueOf(variable);
      if (!variable || !value) return null;
      if (value.type === AST_NODE_TYPES.CallExpression) {
        // `const tasks = urls.map(…); await Promise.all(tasks)`
        const shape = mapShape(value);
        const fanOut = shape && mapFanOut(shape);
        return fanOut && { ...fanOut, inline: null };
      }
      if (value.type === AST_NODE_TYPES.ArrayExpression && value.elements.length === 0) return loopFanOut(variable, combinator);
      return null;
    }

    // ---- `items.map(work)` ----

    function mapShape(call: TSESTree.CallExpression): MapShape | null {
      const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
      const mapper = isMapCall(callee, call);
      if (!mapper || callee.type !== AST_NODE_TYPES.MemberExpression || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
      const method = callee.property.name as MapShape['method'];
      if (method === 'from') {
        const [list] = call.arguments;
        if (callee.object.type !== AST_NODE_TYPES.Identifier || !isGlobalReference(sourceCode, callee.object)) return null;
        return list && list.type !== AST_NODE_TYPES.SpreadElement ? { call, list, mapper, method } : null;
      }
      return { call, list: callee.object, mapper, method };
    }

    function mapFanOut(shape: MapShape): Omit<FanOut, 'inline'> | null {
      if (isBoundedLength(shape.list) || usesLimiter(shape.mapper)) return null;
      const evidence = io.ioOfFunction(shape.mapper, { unlimited: true });
      if (!evidence || !mapperReturnsPromise(shape, evidence)) return null;
      const mapper = skipTypeWrappers(shape.mapper);
      const first = isFunctionNode(mapper) ? [] : [callOf(mapper)];
      return { work: workPhrase([...first, ...chain(evidence)]), per: `element of ${describe(shape.list)}` };
    }

    /**
     * Work that goes through a limiter, rightly or not, was meant to be bounded: when the limit
     * guards nothing (`limit(() => started)`, a permit released before the work runs), that is
     * `no-semaphore-misuse`'s report, and one bug gets one report.
     */
    function usesLimiter(root: TSESTree.Node): boolean {
      return findDescendant(sourceCode, root, (node) => node.type === AST_NODE_TYPES.CallExpression && limiters.useOf(node) !== null, () => true) !== null;
    }

    /**
     * The mapper hands back a promise per element (a synchronous mapper runs its work one at a
     * time): the promise model says so, or the arrow returns the I/O call itself (`(id) =>
     * pool.query(…)`, which the I/O model counts only as a promise), or, typed, its return type is
     * unknown to the checker (`any` from an unresolved import) and the syntax must decide.
     */
    function mapperReturnsPromise(shape: MapShape, evidence: IoEvidence): boolean {
      if (promises.isPromiseArray(shape.call) || promises.returnsPromise(shape.mapper)) return true;
      const mapper = skipTypeWrappers(shape.mapper);
      if (mapper.type === AST_NODE_TYPES.ArrowFunctionExpression && evidence.node !== null && skipTypeWrappers(mapper.body as TSESTree.Expression) === evidence.node) {
        return !types || returnsAny(mapper);
      }
      return false;
    }

    function returnsAny(fn: TSESTree.Expression): boolean {
      return types!
        .typeOf(fn)
        .getCallSignatures()
        .some((signature) => tsutils.isTypeFlagSet(signature.getReturnType(), ts.TypeFlags.Any));
    }

    /** How a message names a call of a function given by reference: `` `loadUser(…)` ``. */
    function callOf(reference: TSESTree.Expression): string {
      const name = describeExpression(sourceCode, reference, { bare: true });
      return /^[\w$.]+$/.test(name) ? `\`${name}(…)\`` : 'a call of this function';
    }

    // ---- `for (…) tasks.push(work(x))` ----

    /**
     * An array declared empty, filled only by `push` in a loop (or an iteration callback) of the
     * same function, and then handed whole to the combinator. Any other use — a splice, a length
     * check inside the loop (batches), a hand-over — and the shape is not ours to judge.
     */
    function loopFanOut(variable: TSESLint.Scope.Variable, combinator: TSESTree.CallExpression): FanOut | null {
      const declarator = variable.defs[0]?.node;
      if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator) return null;
      const owner = enclosingFunction(combinator);
      if (enclosingFunction(declarator) !== owner) return null;
      const loops: TSESTree.Node[] = [];
      const lengthReads: TSESTree.Node[] = [];
      let found: Omit<FanOut, 'inline'> | null = null;
      for (const reference of variable.references) {
        if (reference.init) continue;
        const identifier = reference.identifier as TSESTree.Identifier;
        if (within(identifier, combinator)) continue;
        const member = identifier.parent;
        if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== identifier || member.computed || member.property.type !== AST_NODE_TYPES.Identifier) {
          return null;
        }
        if (member.property.name === 'length' && !isWritten(member)) {
          lengthReads.push(member);
          continue;
        }
        const push = member.parent;
        if (member.property.name !== 'push' || push?.type !== AST_NODE_TYPES.CallExpression || push.callee !== member) return null;
        const loop = iterationAround(push, declarator);
        if (!loop) continue; // one push, not one per element
        if (within(combinator, loop.node)) return null; // awaited inside the loop: batches
        if (usesLimiter(loop.node)) return null;
        loops.push(loop.node);
        if (loop.bounded || found) continue;
        for (const argument of push.arguments) {
          if (argument.type === AST_NODE_TYPES.SpreadElement) continue;
          const evidence = io.ioOfExpression(argument, { unlimited: true });
          if (evidence) {
            found = { work: workPhrase(chain(evidence)), per: loop.per };
            break;
          }
        }
      }
      if (lengthReads.some((read) => loops.some((loop) => within(read, loop)))) return null;
      return found && { ...found, inline: null };
    }

    /** The loop (or `forEach`/`map` callback) between a push and the array's declaration. */
    function iterationAround(
      push: TSESTree.Node,
      declarator: TSESTree.Node,
    ): { node: TSESTree.Node; per: string; bounded: boolean } | null {
      for (let node = push.parent; node; node = node.parent) {
        if (within(declarator, node)) return null;
        switch (node.type) {
          case AST_NODE_TYPES.ForOfStatement:
            return { node, per: `element of ${describe(node.right)}`, bounded: isBoundedLength(node.right) };
          case AST_NODE_TYPES.ForInStatement:
            return { node, per: `key of ${describe(node.right)}`, bounded: false };
          case AST_NODE_TYPES.ForStatement:
            return { node, per: 'iteration of the `for` loop', bounded: hasConstantBound(node) };
          case AST_NODE_TYPES.WhileStatement:
            return { node, per: 'iteration of the `while` loop', bounded: false };
          case AST_NODE_TYPES.DoWhileStatement:
            return { node, per: 'iteration of the `do…while` loop', bounded: false };
          case AST_NODE_TYPES.ArrowFunctionExpression:
          case AST_NODE_TYPES.FunctionExpression: {
            const call = node.parent;
            if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== node) return null;
            const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
            if (
              callee.type !== AST_NODE_TYPES.MemberExpression ||
              callee.computed ||
              callee.property.type !== AST_NODE_TYPES.Identifier ||
              !['forEach', 'map'].includes(callee.property.name)
            ) {
              return null;
            }
            return { node: call, per: `element of ${describe(callee.object)}`, bounded: isBoundedLength(callee.object) };
          }
          case AST_NODE_TYPES.FunctionDeclaration:
            return null;
          default:
        }
      }
      return null;
    }

    /** `for (let i = 0; i < 3; i++)`: a literal start and a literal bound. */
    function hasConstantBound(loop: TSESTree.ForStatement): boolean {
      const test = loop.test;
      return (
        test?.type === AST_NODE_TYPES.BinaryExpression &&
        ['<', '<=', '>', '>=', '!=='].includes(test.operator) &&
        isNumberLiteral(test.right) &&
        loop.init?.type === AST_NODE_TYPES.VariableDeclaration &&
        loop.init.declarations.length === 1 &&
        isNumberLiteral(loop.init.declarations[0].init)
      );
    }

    // ---- lengths known at compile time ----

    /**
     * Whether the list's length is fixed in the source (an array literal, a tuple type,
     * `Array.from({ length: 3 })`), or bounded by a constant (`slice(i, i + 10)`, the batches of
     * `chunk(items, 10)`), so that its fan-out is not unbounded.
     */
    function isBoundedLength(expression: TSESTree.Expression, seen = new Set<TSESTree.Node>()): boolean {
      const node = skipTypeWrappers(expression);
      if (seen.has(node)) return false;
      seen.add(node);
      if (types && isFixedTuple(types.typeOf(node))) return true;
      switch (node.type) {
        case AST_NODE_TYPES.ObjectExpression:
          return hasLiteralLength(node); // `Array.from({ length: 3 }, …)`
        case AST_NODE_TYPES.ArrayExpression:
          return node.elements.every((element) => element?.type !== AST_NODE_TYPES.SpreadElement || isBoundedLength(element.argument, seen));
        case AST_NODE_TYPES.Identifier: {
          const variable = findVariable(sourceCode, node);
          if (!variable) return false;
          if (isBatchOfLoop(variable)) return true;
          const value = singleValueOf(variable);
          if (!value || isFunctionNode(value) || value.type === AST_NODE_TYPES.ClassDeclaration || isGrown(variable)) return false;
          return isBoundedLength(value as TSESTree.Expression, seen);
        }
        case AST_NODE_TYPES.NewExpression:
          return isArrayConstructor(node.callee) && node.arguments.length === 1 && isNumberLiteral(node.arguments[0]);
        case AST_NODE_TYPES.CallExpression: {
          const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
          if (isArrayConstructor(callee)) return node.arguments.length === 1 && isNumberLiteral(node.arguments[0]);
          if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return false;
          const method = callee.property.name;
          const [first, second] = node.arguments;
          if (['keys', 'values', 'entries'].includes(method) && isGlobalName(callee.object, 'Object')) {
            return first !== undefined && first.type !== AST_NODE_TYPES.SpreadElement && isFixedObject(first);
          }
          if (method === 'from' && isArrayConstructor(callee.object)) {
            if (first?.type === AST_NODE_TYPES.ObjectExpression) return hasLiteralLength(first);
            return first !== undefined && first.type !== AST_NODE_TYPES.SpreadElement && isBoundedLength(first, seen);
          }
          if (method === 'slice' && hasConstantWidth(first, second)) return true;
          if (method === 'splice') return second !== undefined && isNumberLiteral(second);
          if (method === 'concat') {
            return isBoundedLength(callee.object, seen) && node.arguments.every((arg) => arg.type !== AST_NODE_TYPES.SpreadElement && isBoundedLength(arg, seen));
          }
          return NOT_LONGER.has(method) && isBoundedLength(callee.object, seen);
        }
        default:
          return false;
      }
    }

    function isFixedTuple(type: ts.Type): boolean {
      const checker = types!.checker;
      const parts = tsutils.unionConstituents(type);
      return (
        parts.length > 0 &&
        parts.every(
          (part) => checker.isTupleType(part) && ((part as ts.TupleTypeReference).target.combinedFlags & ts.ElementFlags.Variable) === 0,
        )
      );
    }

    function isArrayConstructor(node: TSESTree.Node): boolean {
      return isGlobalName(node, 'Array');
    }

    function isGlobalName(node: TSESTree.Node, name: string): boolean {
      return node.type === AST_NODE_TYPES.Identifier && node.name === name && isGlobalReference(sourceCode, node);
    }

    /** `Object.entries(services)` of `const services = { a: …, b: … }`, never added to: its keys are written in the source. */
    function isFixedObject(expression: TSESTree.Expression): boolean {
      const node = skipTypeWrappers(expression);
      if (node.type === AST_NODE_TYPES.ObjectExpression) return node.properties.every((p) => p.type === AST_NODE_TYPES.Property && !p.computed);
      if (node.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = findVariable(sourceCode, node);
      const value = variable && singleValueOf(variable);
      if (value?.type !== AST_NODE_TYPES.ObjectExpression || !isFixedObject(value)) return false;
      // Read only: `services.a`, `Object.keys(services)`; a property written or the object handed on may add keys.
      return variable!.references.every((reference) => {
        if (reference.init) return true;
        const parent = reference.identifier.parent;
        if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier) return !isWritten(parent);
        return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee.type === AST_NODE_TYPES.MemberExpression && isGlobalName(parent.callee.object, 'Object') &&
          parent.callee.property.type === AST_NODE_TYPES.Identifier && ['keys', 'values', 'entries'].includes(parent.callee.property.name);
      });
    }

    /** `xs.push(…)`, `xs.length = n`, `xs = …`: the binding's array grows after it is made. */
    function isGrown(variable: TSESLint.Scope.Variable): boolean {
      return variable.references.some((reference) => {
        if (reference.init) return false;
        if (reference.isWrite()) return true;
        const member = reference.identifier.parent;
        if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier || member.computed) return false;
        const name = member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : '';
        return GROWING.has(name) || (name === 'length' && isWritten(member));
      });
    }

    /** `for (const batch of chunk(items, 10))`: each batch is bounded by the chunk size. */
    function isBatchOfLoop(variable: TSESLint.Scope.Variable): boolean {
      const def = variable.defs[0];
      const loop = def?.type === 'Variable' ? def.parent?.parent : undefined;
      if (loop?.type !== AST_NODE_TYPES.ForOfStatement || loop.left !== def?.parent) return false;
      const right = skipTypeWrappers(loop.right);
      if (right.type !== AST_NODE_TYPES.CallExpression) return false;
      const callee = skipTypeWrappers(right.callee as TSESTree.Expression);
      const name =
        callee.type === AST_NODE_TYPES.Identifier
          ? callee.name
          : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier
            ? callee.property.name
            : '';
      return BATCHING_NAME.test(name) && right.arguments.some((arg) => arg.type !== AST_NODE_TYPES.SpreadElement && isNumberLiteral(arg));
    }

    /** `slice(i, i + 10)`, `slice(0, 10)`. */
    function hasConstantWidth(start: TSESTree.Node | undefined, end: TSESTree.Node | undefined): boolean {
      if (!start || !end || start.type === AST_NODE_TYPES.SpreadElement) return false;
      if (isNumberLiteral(start) && isNumberLiteral(end)) return true;
      if (end.type !== AST_NODE_TYPES.BinaryExpression || end.operator !== '+') return false;
      const text = (node: TSESTree.Node) => sourceCode.getText(node).replace(/\s+/g, '');
      return (
        (text(end.left) === text(start) && isNumberLiteral(end.right)) || (text(end.right) === text(start) && isNumberLiteral(end.left))
      );
    }

    // ---- suggestions ----

    function suggestionsFor(
      combinator: TSESTree.CallExpression,
      method: string,
      shape: MapShape,
    ): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const arrow = shape.mapper;
      if (
        arrow.type !== AST_NODE_TYPES.ArrowFunctionExpression ||
        arrow.typeParameters ||
        combinator.typeArguments ||
        combinator.arguments.length !== 1 ||
        shape.call.optional ||
        shape.call.typeArguments ||
        !isAwaitedOrReturned(combinator)
      ) {
        return [];
      }
      const limiter = pLimitBinding(combinator);
      if (limiter) {
        const suggestion = pLimitSuggestion(combinator, arrow, limiter);
        if (suggestion) return [suggestion];
      }
      const pool = method === 'all' ? poolSuggestion(combinator, shape, arrow) : null;
      return pool ? [pool] : [];
    }

    /** `items.map((x) => limit(async () => body))`, with `const limit = pLimit(N)` just before the statement. */
    function pLimitSuggestion(
      combinator: TSESTree.CallExpression,
      arrow: TSESTree.ArrowFunctionExpression,
      limiter: { name: string; importAfter: TSESTree.Node | null },
    ): TSESLint.SuggestionReportDescriptor<MessageId> | null {
      const statement = enclosingStatement(combinator);
      const limit = statement && freeName(['limit', 'limit2', 'limit3'], statement);
      if (!statement || !limit) return null;
      const arrowToken = sourceCode.getTokenBefore(arrow.body, ASTUtils.isArrowToken)!;
      const headStart = arrow.async ? sourceCode.getTokenAfter(sourceCode.getFirstToken(arrow)!)!.range[0] : arrow.range[0];
      const head = sourceCode.text.slice(headStart, arrow.returnType ? arrow.returnType.range[0] : arrowToken.range[0]).trimEnd();
      const returnType = arrow.returnType ? sourceCode.getText(arrow.returnType) : '';
      const body = sourceCode.text.slice(arrowToken.range[1], arrow.range[1]).trim();
      const rewritten = `${head} => ${limit}(${arrow.async ? 'async ' : ''}()${returnType} => ${body})`;
      const line = sourceCode.lines[statement.loc.start.line - 1].slice(0, statement.loc.start.column);
      const declaration = `const ${limit} = ${limiter.name}(${concurrency});${/^\s*$/.test(line) ? `\n${line}` : ' '}`;
      return {
        messageId: 'limitWithPLimit',
        data: { concurrency: String(concurrency), limit: `${limit} = ${limiter.name}(${concurrency})` },
        fix: (fixer) => [
          ...(limiter.importAfter ? [fixer.insertTextAfter(limiter.importAfter, `\nimport ${limiter.name} from 'p-limit';`)] : []),
          fixer.insertTextBefore(statement, declaration),
          fixer.replaceText(arrow, rewritten),
        ],
      };
    }

    /** `mapWithConcurrency(items, N, (x) => body)`, with the helper added at the end of the file once. */
    function poolSuggestion(
      combinator: TSESTree.CallExpression,
      shape: MapShape,
      arrow: TSESTree.ArrowFunctionExpression,
    ): TSESLint.SuggestionReportDescriptor<MessageId> | null {
      if (shape.method === 'flatMap' || arrow.params.length > 2) return null;
      // Typed, the helper takes an iterable: `.map` on anything else would not type-check.
      if (types && shape.method === 'map' && !isArrayTyped(shape.list)) return null;
      const helper = poolHelper(combinator);
      if (!helper) return null;
      const list = sourceCode.getText(shape.list);
      const listText = shape.list.type === AST_NODE_TYPES.SequenceExpression ? `(${list})` : list;
      const text = sourceCode.text;
      const typescript = /\.[cm]?tsx?$/.test(context.filename);
      return {
        messageId: 'useWorkerPool',
        data: { concurrency: String(concurrency), helper: helper.name },
        fix: (fixer) => [
          fixer.replaceText(combinator, `${helper.name}(${listText}, ${concurrency}, ${sourceCode.getText(arrow)})`),
          ...(helper.add
            ? [fixer.insertTextAfterRange([text.length, text.length], `${text.endsWith('\n') ? '' : '\n'}\n${workerPoolHelper(helper.name, typescript)}\n`)]
            : []),
        ],
      };
    }

    function isArrayTyped(node: TSESTree.Expression): boolean {
      const checker = types!.checker;
      const parts = tsutils.unionConstituents(checker.getApparentType(types!.typeOf(node)));
      return parts.length > 0 && parts.every((part) => checker.isArrayType(part) || checker.isTupleType(part));
    }

    /** The helper to call: one the file already has (a previous suggestion applied), or a free name for a new one. */
    function poolHelper(at: TSESTree.Node): { name: string; add: boolean } | null {
      const scope = sourceCode.getScope(at);
      for (const name of [POOL_HELPER, `${POOL_HELPER}2`]) {
        const variable = ASTUtils.findVariable(scope, name);
        if (variable) {
          const def = variable.defs[0];
          if (
            variable.defs.length === 1 &&
            def.type === 'FunctionName' &&
            def.node.type === AST_NODE_TYPES.FunctionDeclaration &&
            def.node.async &&
            def.node.params.length === 3 &&
            (def.node.parent.type === AST_NODE_TYPES.Program || def.node.parent.parent?.type === AST_NODE_TYPES.Program)
          ) {
            return { name, add: false };
          }
          continue;
        }
        if (!new RegExp(`\\b${name}\\b`).test(sourceCode.text)) return { name, add: true };
      }
      return null;
    }

    /** The file's p-limit, or (option `always`, in an ES module) the name under which to import it. */
    function pLimitBinding(at: TSESTree.Node): { name: string; importAfter: TSESTree.Node | null } | null {
      if (options.pLimit === 'never') return null;
      let lastImport: TSESTree.ImportDeclaration | null = null;
      for (const statement of sourceCode.ast.body) {
        if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
          lastImport = statement;
          if (statement.source.value !== 'p-limit' || statement.importKind === 'type') continue;
          for (const specifier of statement.specifiers) {
            const isDefault =
              specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier ||
              (specifier.type === AST_NODE_TYPES.ImportSpecifier &&
                specifier.importKind !== 'type' &&
                (specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value) === 'default');
            if (isDefault && resolvesToModuleBinding(at, specifier.local.name)) return { name: specifier.local.name, importAfter: null };
          }
        } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of statement.declarations) {
            if (declarator.id.type === AST_NODE_TYPES.Identifier && isRequireOf(declarator.init, 'p-limit') && resolvesToModuleBinding(at, declarator.id.name)) {
              return { name: declarator.id.name, importAfter: null };
            }
          }
        }
      }
      if (options.pLimit !== 'always' || !lastImport) return null;
      const name = 'pLimit';
      if (ASTUtils.findVariable(sourceCode.getScope(at), name) || new RegExp(`\\b${name}\\b`).test(sourceCode.text)) return null;
      return { name, importAfter: lastImport };
    }

    function resolvesToModuleBinding(at: TSESTree.Node, name: string): boolean {
      const variable = ASTUtils.findVariable(sourceCode.getScope(at), name);
      return variable !== null && (variable.scope.type === 'module' || variable.scope.type === 'global');
    }

    /** The statement to put `const limit = …` before: in a block, with no function between it and the node. */
    function enclosingStatement(node: TSESTree.Node): TSESTree.Node | null {
      for (let current: TSESTree.Node = node; current.parent; current = current.parent) {
        const parent: TSESTree.Node = current.parent;
        if (isFunctionNode(parent) || parent.type === AST_NODE_TYPES.ClassBody || parent.type === AST_NODE_TYPES.PropertyDefinition) return null;
        if (
          parent.type === AST_NODE_TYPES.Program ||
          parent.type === AST_NODE_TYPES.BlockStatement ||
          parent.type === AST_NODE_TYPES.StaticBlock ||
          (parent.type === AST_NODE_TYPES.SwitchCase && parent.consequent.includes(current as TSESTree.Statement))
        ) {
          return current;
        }
      }
      return null;
    }

    /** The first name neither visible at the statement nor written anywhere in its block. */
    function freeName(candidates: string[], statement: TSESTree.Node): string | null {
      const block = statement.parent!;
      const scope = sourceCode.getScope(block);
      const text = sourceCode.getText(block);
      return candidates.find((name) => !ASTUtils.findVariable(scope, name) && !new RegExp(`\\b${name}\\b`).test(text)) ?? null;
    }

    // ---- listener ----

    return {
      CallExpression(node) {
        const method = fanOutMethod(node);
        const [argument] = node.arguments;
        if (!method || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return;
        const fanOut = fanOutOf(argument, node);
        if (!fanOut) return;
        context.report({
          node: node.callee,
          messageId: 'unboundedFanOut',
          data: { method: `Promise.${method}`, work: fanOut.work, per: fanOut.per },
          suggest: fanOut.inline ? suggestionsFor(node, method, fanOut.inline) : [],
        });
      },
    };
  },
});

/** The labels of the calls from the work down to its I/O. */
function chain(evidence: IoEvidence): string[] {
  return [...evidence.via, evidence.io];
}

/** `` `fetch(…)` ``, or `` `loadUser(…)` (I/O through `pool.query(…)`) `` when the I/O is further down. */
function workPhrase(calls: string[]): string {
  return calls.length === 1 ? calls[0] : `${calls[0]} (I/O through ${calls[calls.length - 1]})`;
}

function within(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

function isWritten(member: TSESTree.MemberExpression): boolean {
  const parent = member.parent;
  return (
    (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === member) ||
    (parent?.type === AST_NODE_TYPES.UpdateExpression && parent.argument === member)
  );
}

function isNumberLiteral(node: TSESTree.Node | null | undefined): boolean {
  return node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'number';
}

function hasLiteralLength(object: TSESTree.ObjectExpression): boolean {
  return object.properties.some(
    (property) =>
      property.type === AST_NODE_TYPES.Property &&
      !property.computed &&
      property.key.type === AST_NODE_TYPES.Identifier &&
      property.key.name === 'length' &&
      isNumberLiteral(property.value),
  );
}

function isRequireOf(node: TSESTree.Expression | null, module: string): boolean {
  return (
    node?.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === 'require' &&
    node.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    node.arguments[0].value === module
  );
}

function isAwaitedOrReturned(call: TSESTree.CallExpression): boolean {
  const parent = call.parent;
  return (
    parent?.type === AST_NODE_TYPES.AwaitExpression ||
    parent?.type === AST_NODE_TYPES.ReturnStatement ||
    (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === call)
  );
}
