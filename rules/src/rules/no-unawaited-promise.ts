import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  typeMatchesSomeSpecifier,
  typeOrValueSpecifiersSchema,
  valueMatchesSomeSpecifier,
  type TypeOrValueSpecifier,
} from '@typescript-eslint/type-utils';
import {
  canAwaitAt,
  enclosingFunction,
  findDescendant,
  findVariable,
  type FunctionNode,
  importSource,
  isFunctionNode,
  isGlobalReference,
  skipTypeWrappers,
} from '../analysis/bindings';
import { callbackPosition } from '../analysis/callbackPositions';
import { createLifetimeTracker, describeExit, mergeListeners, type Listeners } from '../analysis/lifetimes';
import { getPromiseModel, isNeverPromiseShape } from '../analysis/promiseModel';
import { getResourceModel } from '../analysis/resourceModel';
import {
  assignmentContext,
  attributeContext,
  inheritedContexts,
  propertyContext,
  returnContext,
  returnsThenable,
  variableContext,
  type VoidContext,
} from '../analysis/voidContexts';
import { readPromiseExports } from '../io/moduleExports';
import { describeExpression } from '../fix/describe';
import { appendCall, operandText, prefixWith } from '../fix/wrap';
import { createRule } from '../util/createRule';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';

export type Options = [
  {
    checkThenables?: boolean;
    allowForKnownSafeCalls?: TypeOrValueSpecifier[];
    allowForKnownSafePromises?: TypeOrValueSpecifier[];
    checkLocals?: boolean;
    ignoreVoid?: boolean;
    ignoreIIFE?: boolean;
    checksConditionals?: boolean | { flagUnions?: 'none' | 'all' | 'strict' };
    checksVoidReturn?: boolean | VoidReturnChecks;
    checksSpreads?: boolean;
  },
];

/** typescript-eslint's `checksVoidReturn` object: which void-return positions are checked. */
export interface VoidReturnChecks {
  arguments?: boolean;
  attributes?: boolean;
  inheritedMethods?: boolean;
  properties?: boolean;
  returns?: boolean;
  variables?: boolean;
}

export type MessageId =
  | 'floating'
  | 'floatingRelease'
  | 'floatingUselessRejectionHandler'
  | 'floatingArray'
  | 'awaitedArray'
  | 'misusedAsyncCallback'
  | 'voidVariable'
  | 'voidProperty'
  | 'voidReturnValue'
  | 'voidAttribute'
  | 'voidInheritedMethod'
  | 'spread'
  | 'asyncPredicate'
  | 'conditional'
  | 'asyncExecutor'
  | 'unawaitedLocal'
  | 'addAwait'
  | 'addVoid'
  | 'addCatch'
  | 'awaitAll'
  | 'forEachToPromiseAll'
  | 'forEachToForOf';

/** The handler the `.catch` suggestion appends: it reports the error instead of dropping it. */
export const CATCH_HANDLER = '.catch((error) => { console.error(error); })';

const DEFAULT_OPTIONS: Options[0] = {
  checkThenables: false,
  allowForKnownSafeCalls: [],
  allowForKnownSafePromises: [],
  checkLocals: true,
  ignoreVoid: true,
  ignoreIIFE: false,
  checksConditionals: true,
  checksVoidReturn: true,
  checksSpreads: true,
};

export default createRule<Options, MessageId>({
  name: 'no-unawaited-promise',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require promises to be awaited, returned, or explicitly handled',
      recommended: true,
      requiresTypeChecking: false,
    },
    fixable: 'code',
    hasSuggestions: true,
    defaultOptions: [DEFAULT_OPTIONS],
    messages: {
      floating: 'The promise from {{what}} is dropped: await it, return it, or handle its rejection.',
      floatingRelease:
        'The release {{what}} returns a promise that is dropped: await it, so the release completes (and its errors surface) before moving on.',
      floatingUselessRejectionHandler:
        'The promise from {{what}} is given a rejection handler that is not a function, so its rejection still goes unhandled.',
      floatingArray:
        'The promises in {{what}} are dropped: await them with `Promise.all`, or handle each rejection.',
      awaitedArray:
        '`await` on {{what}}, an array of promises, does not wait for them: it gives back the same array at once. Await `Promise.all(…)` of it.',
      misusedAsyncCallback:
        'This async function is passed to `{{callee}}`, which ignores the promise it returns: its rejection goes unhandled{{detail}}.',
      voidVariable:
        'This async function is stored in `{{name}}`, whose type says it returns `void`: whoever calls it ignores the promise, so its rejection goes unhandled.',
      voidProperty:
        'This async function is the `{{name}}` property of an object whose type says it returns `void`: whoever calls it ignores the promise, so its rejection goes unhandled.',
      voidReturnValue:
        'This async function is returned where the return type is a function returning `void`: whoever calls it ignores the promise, so its rejection goes unhandled.',
      voidAttribute:
        'This async function is given to the `{{name}}` prop, whose type says it returns `void`: the component ignores the promise, so its rejection goes unhandled.',
      voidInheritedMethod:
        '`{{name}}` returns a promise, but `{{base}}` declares it to return `void`: a caller through `{{base}}` ignores the promise, so its rejection goes unhandled.',
      spread: 'Spreading a promise copies none of its result: await it first.',
      asyncPredicate:
        '`{{callee}}` reads the promise this async callback returns as a truth value, and a promise is always truthy.',
      conditional: 'This promise is always truthy here: await it to test its result.',
      asyncExecutor:
        'A Promise executor must not be async: an error it throws is lost and the promise never settles.',
      unawaitedLocal: '`{{name}}` holds a promise that is not awaited, returned or passed on {{where}}.',
      addAwait: 'Add `await`.',
      addVoid: 'Mark it fire-and-forget with `void`.',
      addCatch: 'Handle its rejection with `.catch(…)`.',
      awaitAll: 'Await them all with `await Promise.all(…)`.',
      forEachToPromiseAll: 'Await every callback: `await Promise.all(….map(async …))`.',
      forEachToForOf: 'Run the callbacks one after another in a `for…of` loop.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkThenables: {
            type: 'boolean',
            description:
              'Also treat any thenable (an object whose `then` takes a rejection callback) as a promise, not only `Promise`. Typed mode only.',
          },
          allowForKnownSafeCalls: {
            ...typeOrValueSpecifiersSchema,
            description:
              'Calls whose returned promise may be dropped, by name or by `{ from: "package", package, name }`. Untyped, names are matched against the callee.',
          },
          allowForKnownSafePromises: {
            ...typeOrValueSpecifiersSchema,
            description: 'Promise types that may be dropped (typed mode only), as typescript-eslint type specifiers.',
          },
          checkLocals: {
            type: 'boolean',
            description: 'Report a promise bound to a local variable that some path never awaits, returns or passes on.',
          },
          ignoreVoid: {
            type: 'boolean',
            description: 'Accept `void promise` as an explicit fire-and-forget (typescript-eslint\'s `ignoreVoid`).',
          },
          ignoreIIFE: {
            type: 'boolean',
            description: 'Accept a dropped async IIFE, `(async () => { … })()` (typescript-eslint\'s `ignoreIIFE`).',
          },
          checksConditionals: {
            description:
              'Report a promise where a truth value is read: `if (p)`, `p ? a : b`, `!p`, `p && x` (typescript-eslint\'s `checksConditionals`). `flagUnions: "all"` also reports a value that is only sometimes a promise.',
            oneOf: [
              { type: 'boolean', description: 'Check conditions (default), or not at all.' },
              {
                type: 'object',
                additionalProperties: false,
                description: 'Check conditions, choosing which unions with a promise are reported.',
                properties: {
                  flagUnions: {
                    type: 'string',
                    enum: ['none', 'all', 'strict'],
                    description:
                      '`none`: only values that are always a promise; `all`: any value that may be one; `strict`: also `Promise<T> | T`.',
                  },
                },
              },
            ],
          },
          checksVoidReturn: {
            description:
              'Report a promise-returning function where a function returning `void` is expected, per position (typescript-eslint\'s `checksVoidReturn`).',
            oneOf: [
              { type: 'boolean', description: 'Check every position (default), or none.' },
              {
                type: 'object',
                additionalProperties: false,
                description: 'Check only the positions not set to false.',
                properties: {
                  arguments: { type: 'boolean', description: 'A call argument whose parameter type returns `void`.' },
                  attributes: { type: 'boolean', description: 'A JSX attribute whose prop type returns `void`.' },
                  inheritedMethods: { type: 'boolean', description: 'A method overriding or implementing a `void` method.' },
                  properties: { type: 'boolean', description: 'An object-literal property whose contextual type returns `void`.' },
                  returns: { type: 'boolean', description: 'A function returned where the return type is `() => void`.' },
                  variables: { type: 'boolean', description: 'A variable or assignment target typed `() => void`.' },
                },
              },
            ],
          },
          checksSpreads: {
            type: 'boolean',
            description: 'Report a promise spread into an object literal, `{ ...promise }` (typescript-eslint\'s `checksSpreads`).',
          },
        },
      },
    ],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const model = getPromiseModel(context, {
      checkThenables: options.checkThenables ?? false,
      promiseExportsOf: readPromiseExports,
    });
    const resources = getResourceModel(context);
    const safeCalls = options.allowForKnownSafeCalls ?? [];
    const safePromises = options.allowForKnownSafePromises ?? [];
    const voidChecks = voidReturnChecks(options.checksVoidReturn);
    const conditionals = options.checksConditionals === false ? null : typeof options.checksConditionals === 'object' ? (options.checksConditionals.flagUnions ?? 'none') : 'none';
    /** Nodes already reported, so one mistake never yields two reports. */
    const reported = new WeakSet<TSESTree.Node>();

    // ---- what counts as handled ----

    function isKnownSafeCall(call: TSESTree.CallExpression): boolean {
      if (safeCalls.length === 0) return false;
      const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
      if (model.types) {
        return valueMatchesSomeSpecifier(callee, safeCalls, model.types.program, model.types.typeOf(callee));
      }
      return untypedCallMatches(sourceCode, callee, safeCalls);
    }

    function isKnownSafePromise(node: TSESTree.Expression): boolean {
      return safePromises.length > 0 && model.types !== undefined && typeMatchesSomeSpecifier(model.types.typeOf(node), safePromises, model.types.program);
    }

    type Verdict = 'floating' | 'floatingUselessRejectionHandler' | 'floatingArray';
    /** What goes wrong, and the part of the expression that carries the unhandled promise. */
    interface Finding {
      verdict: Verdict;
      culprit: TSESTree.Expression;
      /** The dropped promise is a resource's release (`client.end()`), named as such. */
      release?: boolean;
    }

    /** Why the value of this expression, if dropped, loses a promise's outcome — or null if it does not. */
    function unhandled(expression: TSESTree.Expression): Finding | null {
      const node = skipTypeWrappers(expression);
      switch (node.type) {
        case AST_NODE_TYPES.SequenceExpression:
          for (const item of node.expressions) {
            const finding = unhandled(item);
            if (finding) return finding;
          }
          return null;
        case AST_NODE_TYPES.UnaryExpression:
          // `void p` is the explicit fire-and-forget, unless the team asked to await everything.
          return node.operator === 'void' && options.ignoreVoid === false ? unhandled(node.argument) : null;
        case AST_NODE_TYPES.AssignmentExpression:
        case AST_NODE_TYPES.AwaitExpression:
        case AST_NODE_TYPES.YieldExpression:
          return null;
        default:
      }
      if (model.isPromiseArray(node)) return { verdict: 'floatingArray', culprit: node };
      if (node.type === AST_NODE_TYPES.CallExpression && resources.asyncReleaseOf(node)) {
        return { verdict: 'floating', culprit: node, release: true };
      }
      // `x as Promise<T>` asserts what the expression holds, even where `x` itself says nothing.
      if ((!model.isPromise(node) && (node === expression || !model.isPromise(expression))) || isKnownSafePromise(node)) return null;
      switch (node.type) {
        case AST_NODE_TYPES.ConditionalExpression:
          return unhandled(node.consequent) ?? unhandled(node.alternate);
        case AST_NODE_TYPES.LogicalExpression:
          return unhandled(node.left) ?? unhandled(node.right);
        case AST_NODE_TYPES.CallExpression: {
          const verdict = unhandledCall(node);
          return verdict && { verdict, culprit: node };
        }
        default:
          return { verdict: 'floating', culprit: node };
      }
    }

    function unhandledCall(call: TSESTree.CallExpression): Verdict | null {
      if (isKnownSafeCall(call)) return null;
      if (model.cannotReject(call.callee as TSESTree.Expression)) return null;
      if (call.arguments.some(isRejectChannel)) return null;
      const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
      if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
        const args = spreadArguments(call);
        if (!args) return 'floating'; // `then(...handlers)`: what it is given is out of sight
        const handler = (index: number) => args[index];
        switch (callee.property.name) {
          case 'catch': {
            const onRejected = handler(0);
            return onRejected && model.isCallable(onRejected) ? null : 'floatingUselessRejectionHandler';
          }
          case 'then': {
            if (args.length < 2) return 'floating';
            const onRejected = handler(1);
            return onRejected && model.isCallable(onRejected) ? null : 'floatingUselessRejectionHandler';
          }
          case 'finally':
            // `finally` passes the rejection through: the chain is handled only if its receiver is.
            return model.isPromise(callee.object) ? (unhandled(callee.object)?.verdict ?? null) : 'floating';
          default:
        }
      }
      return 'floating';
    }

    /**
     * A callback-style call handed a way to reject (`step(resolve, reject)` inside a Promise
     * executor, `read(reader, deferred.resolve, deferred.reject)`) reports its failures there: its
     * own promise is the author's plumbing, not a lost outcome.
     */
    function isRejectChannel(argument: TSESTree.CallExpressionArgument): boolean {
      if (argument.type === AST_NODE_TYPES.MemberExpression) {
        return !argument.computed && argument.property.type === AST_NODE_TYPES.Identifier && argument.property.name === 'reject';
      }
      if (argument.type !== AST_NODE_TYPES.Identifier) return false;
      const def = findVariable(sourceCode, argument)?.defs[0];
      if (def?.type !== 'Parameter') return false;
      const executor = def.node;
      const call = executor.parent;
      return call?.type === AST_NODE_TYPES.NewExpression && isPromiseConstructor(call) && call.arguments[0] === executor && executor.params[1] === def.name;
    }

    /** `new Promise(…)` of the global `Promise`. */
    function isPromiseConstructor(node: TSESTree.NewExpression): boolean {
      return node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'Promise' && isGlobalReference(sourceCode, node.callee);
    }

    // ---- suggestions ----

    function describe(node: TSESTree.Expression): string {
      return describeExpression(sourceCode, node);
    }

    function floatingSuggestions(node: TSESTree.Expression, verdict: Verdict): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const suggestions: TSESLint.SuggestionReportDescriptor<MessageId>[] = [];
      const inner = skipTypeWrappers(node);
      const awaitable = canAwaitAt(sourceCode, node, context.filename) && inner.type !== AST_NODE_TYPES.SequenceExpression;
      if (verdict === 'floatingArray') {
        if (awaitable && isGlobalPromiseAt(node)) {
          suggestions.push({
            messageId: 'awaitAll',
            fix: (fixer) => fixer.replaceText(node, `await Promise.all(${sourceCode.getText(node)})`),
          });
        }
        return suggestions;
      }
      if (inner.type === AST_NODE_TYPES.UnaryExpression) {
        // `void p` reported under `ignoreVoid: false`: the fix is to await instead.
        const voidToken = sourceCode.getFirstToken(inner)!;
        if (awaitable) suggestions.push({ messageId: 'addAwait', fix: (fixer) => fixer.replaceText(voidToken, 'await') });
        return suggestions;
      }
      if (awaitable) suggestions.push({ messageId: 'addAwait', fix: (fixer) => prefixWith(fixer, sourceCode, node, 'await') });
      suggestions.push({ messageId: 'addVoid', fix: (fixer) => prefixWith(fixer, sourceCode, node, 'void') });
      if (verdict === 'floating' && inner.type !== AST_NODE_TYPES.SequenceExpression && hasCatchMethod(node)) {
        suggestions.push({ messageId: 'addCatch', fix: (fixer) => appendCall(fixer, sourceCode, node, CATCH_HANDLER) });
      }
      return suggestions;
    }

    /** `Promise` at this node is the global one, so a `Promise.all(…)` edit means what it says. */
    function isGlobalPromiseAt(node: TSESTree.Node): boolean {
      const promise = ASTUtils.findVariable(sourceCode.getScope(node), 'Promise');
      return !promise || promise.defs.length === 0;
    }

    /** Appending `.catch` needs a value that is always there and has one (a bare thenable need not). */
    function hasCatchMethod(expression: TSESTree.Expression): boolean {
      // `a?.b()` + `.catch(…)` stays inside the optional chain: the short-circuit's undefined is fine.
      const inChain = expression.type === AST_NODE_TYPES.ChainExpression;
      const node = inChain ? expression.expression : expression;
      if (!model.types) return model.isAlwaysPromise(node);
      const { checker, typeOf } = model.types;
      const parts = tsutils
        .unionConstituents(typeOf(node))
        .filter((part) => !(inChain && tsutils.isTypeFlagSet(part, ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      return (
        parts.length > 0 &&
        parts.every((part) => model.isPromiseType(part) && checker.getApparentType(part).getProperty('catch') !== undefined)
      );
    }

    // ---- dropped statements ----

    function checkStatement(statement: TSESTree.ExpressionStatement): void {
      if (statement.directive) return;
      const expression = statement.expression;
      if (options.ignoreIIFE && isIIFE(expression)) return;
      const finding = unhandled(expression);
      if (!finding) return;
      reported.add(skipTypeWrappers(expression));
      context.report({
        node: expression,
        messageId: finding.release ? 'floatingRelease' : finding.verdict,
        data: { what: describe(finding.culprit) },
        // The one dropped promise that is autofixed: a release that is the whole statement, where
        // `await` is valid. It only makes the release finish (and its error surface) before the next
        // statement; any other dropped promise's fix is a choice (await, void, catch), so a suggestion.
        fix:
          finding.release && skipTypeWrappers(expression) === finding.culprit && canAwaitAt(sourceCode, expression, context.filename)
            ? (fixer) => prefixWith(fixer, sourceCode, expression, 'await')
            : null,
        suggest: floatingSuggestions(expression, finding.verdict),
      });
    }

    // ---- `await` of an array ----

    /**
     * `await [p1, p2]`, `await items.map(async …)`: an array is not a thenable, so `await` gives it
     * back at once and its promises go on unawaited (typescript-eslint's `await-thenable` for
     * arrays). Not when the value may itself be a promise (`Promise<T> | Promise<T>[]`).
     */
    function checkAwait(node: TSESTree.AwaitExpression): void {
      const argument = node.argument;
      if (!model.isPromiseArray(argument) || model.isPromise(argument)) return;
      // `Promise.all(undefined)` throws: the rewrite only where the value is always an array.
      const suggest: TSESLint.SuggestionReportDescriptor<MessageId>[] =
        model.isAlwaysPromiseArray(argument) && isGlobalPromiseAt(node)
          ? [{ messageId: 'awaitAll', fix: (fixer) => fixer.replaceText(argument, `Promise.all(${argumentText(argument)})`) }]
          : [];
      context.report({ node, messageId: 'awaitedArray', data: { what: describe(argument) }, suggest });
    }

    /** The source of an expression as a single call argument (a sequence needs its parentheses). */
    function argumentText(node: TSESTree.Expression): string {
      const text = sourceCode.getText(node);
      return node.type === AST_NODE_TYPES.SequenceExpression ? `(${text})` : text;
    }

    // ---- callbacks ----

    /** A function literal is reported on its head (`async (x) =>`, `async function name`), a name on itself. */
    function reportNodeOfCallback(argument: TSESTree.Expression): TSESTree.Node | TSESTree.SourceLocation {
      const inner = skipTypeWrappers(argument);
      if (!isFunctionNode(inner)) return argument;
      const last =
        inner.type === AST_NODE_TYPES.ArrowFunctionExpression
          ? sourceCode.getTokenBefore(inner.body, ASTUtils.isArrowToken)
          : (inner.id ?? sourceCode.getFirstToken(inner, (token) => token.value === 'function'));
      return { start: inner.loc.start, end: (last ?? inner).loc.end };
    }

    function checkCallbacks(call: TSESTree.CallExpression | TSESTree.NewExpression): void {
      call.arguments.forEach((argument, index) => {
        if (argument.type === AST_NODE_TYPES.SpreadElement || reported.has(argument)) return; // reported: an async executor
        // Both must hold; ask the cheaper question first. A function literal says at once whether it
        // is async; for a name or member, where it is passed is cheaper than what its type is, and
        // most arguments are data passed where no callback goes.
        const literal = isFunctionNode(skipTypeWrappers(argument));
        if (literal && !returnsPromise(argument)) return;
        const position = callbackPosition(model, sourceCode, call, index);
        if (!position || (position.kind === 'predicate' ? conditionals === null : !voidChecks.arguments)) return;
        if (!literal && !returnsPromise(argument)) return;
        const where = reportNodeOfCallback(argument);
        const location = 'type' in where ? { node: where } : { loc: where };
        if (position.kind === 'predicate') {
          context.report({ ...location, messageId: 'asyncPredicate', data: { callee: position.callee } });
          return;
        }
        const isForEach = position.callee.endsWith('forEach');
        // A listener or timer callback that catches everything loses nothing when its promise is
        // ignored; a forEach still does not wait for it.
        if (!isForEach && model.cannotReject(argument)) return;
        context.report({
          ...location,
          messageId: 'misusedAsyncCallback',
          data: { callee: position.callee, detail: isForEach ? ', and nothing waits for it to finish' : '' },
          suggest: isForEach && call.type === AST_NODE_TYPES.CallExpression ? forEachSuggestions(call, argument) : [],
        });
      });
    }

    /** A function that returns a promise — or, typed, any thenable, as a void position loses either. */
    function returnsPromise(node: TSESTree.Expression): boolean {
      return model.returnsPromise(node) || (model.types !== undefined && returnsThenable(model.types, skipTypeWrappers(node)));
    }

    // ---- other positions that expect a function returning `void` ----

    const voidMessages = {
      variable: 'voidVariable',
      property: 'voidProperty',
      return: 'voidReturnValue',
      attribute: 'voidAttribute',
      inherited: 'voidInheritedMethod',
    } as const satisfies Record<VoidContext['kind'], MessageId>;

    /**
     * Report a promise-returning function met by a `void` context. Like a callback, one that cannot
     * reject (it catches everything) loses nothing but the timing, and is not reported.
     */
    function reportVoidContext(value: TSESTree.Expression | null, found: VoidContext | null, at?: TSESTree.Node): void {
      const key = at ?? value;
      if (!found || !key || reported.has(key)) return;
      if (value && model.cannotReject(value)) return;
      reported.add(key);
      const where = at ?? reportNodeOfCallback(value!);
      context.report({
        ...('type' in where ? { node: where } : { loc: where }),
        messageId: voidMessages[found.kind],
        data: { name: 'name' in found ? found.name : '', base: found.kind === 'inherited' ? found.base : '' },
      });
    }

    function checkVoidContexts(): Listeners {
      const types = model.types;
      if (!types) return {};
      const listeners: {
        VariableDeclarator?: (node: TSESTree.VariableDeclarator) => void;
        AssignmentExpression?: (node: TSESTree.AssignmentExpression) => void;
        Property?: (node: TSESTree.Property) => void;
        ReturnStatement?: (node: TSESTree.ReturnStatement) => void;
        ArrowFunctionExpression?: (node: TSESTree.ArrowFunctionExpression) => void;
        JSXAttribute?: (node: TSESTree.JSXAttribute) => void;
        ClassDeclaration?: (node: TSESTree.ClassDeclaration) => void;
        ClassExpression?: (node: TSESTree.ClassExpression) => void;
        TSInterfaceDeclaration?: (node: TSESTree.TSInterfaceDeclaration) => void;
      } = {};
      if (voidChecks.variables) {
        listeners.VariableDeclarator = (node) => {
          if (node.init) reportVoidContext(node.init, variableContext(types, node));
        };
        listeners.AssignmentExpression = (node) => reportVoidContext(node.right, assignmentContext(types, node));
      }
      if (voidChecks.properties) {
        listeners.Property = (node) => {
          const found = propertyContext(types, node);
          if (found) reportVoidContext(node.value as TSESTree.Expression, found, node.method ? node.key : undefined);
        };
      }
      if (voidChecks.returns) {
        listeners.ReturnStatement = (node) => {
          if (node.argument) reportVoidContext(node.argument, returnContext(types, node.argument));
        };
        listeners.ArrowFunctionExpression = (node) => {
          if (node.body.type !== AST_NODE_TYPES.BlockStatement) reportVoidContext(node.body, returnContext(types, node.body));
        };
      }
      if (voidChecks.attributes) {
        listeners.JSXAttribute = (node) => {
          const found = attributeContext(types, node);
          const value = node.value;
          if (found && value?.type === AST_NODE_TYPES.JSXExpressionContainer && value.expression.type !== AST_NODE_TYPES.JSXEmptyExpression) {
            reportVoidContext(value.expression, found);
          }
        };
      }
      if (voidChecks.inheritedMethods) {
        const checkHeritage = (node: TSESTree.ClassDeclaration | TSESTree.ClassExpression | TSESTree.TSInterfaceDeclaration) => {
          for (const { member, context: found } of inheritedContexts(types, node)) {
            const value = member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition ? member.value : null;
            reportVoidContext(value?.type === AST_NODE_TYPES.TSEmptyBodyFunctionExpression ? null : value, found, 'key' in member ? member.key : member);
          }
        };
        listeners.ClassDeclaration = checkHeritage;
        listeners.ClassExpression = checkHeritage;
        listeners.TSInterfaceDeclaration = checkHeritage;
      }
      return listeners as Listeners;
    }

    // ---- spreads ----

    /** `{ ...load() }` copies a promise's own properties (none), not the result it stands for. */
    function checkSpread(node: TSESTree.SpreadElement): void {
      if (node.parent.type !== AST_NODE_TYPES.ObjectExpression || !model.isPromise(node.argument)) return;
      context.report({
        node: node.argument,
        messageId: 'spread',
        suggest: canAwaitAt(sourceCode, node, context.filename)
          ? [{ messageId: 'addAwait', fix: (fixer) => prefixWith(fixer, sourceCode, node.argument, 'await') }]
          : [],
      });
    }

    function forEachSuggestions(
      call: TSESTree.CallExpression,
      callback: TSESTree.Expression,
    ): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const callee = call.callee;
      if (
        call.parent?.type !== AST_NODE_TYPES.ExpressionStatement ||
        callee.type !== AST_NODE_TYPES.MemberExpression ||
        callee.optional ||
        call.arguments.length !== 1 ||
        !canAwaitAt(sourceCode, call, context.filename) ||
        !receiverIsArray(callee.object)
      ) {
        return [];
      }
      const suggestions: TSESLint.SuggestionReportDescriptor<MessageId>[] = [
        {
          messageId: 'forEachToPromiseAll',
          fix: (fixer) => [
            fixer.insertTextBefore(call, 'await Promise.all('),
            fixer.replaceText(callee.property, 'map'),
            fixer.insertTextAfter(call, ')'),
          ],
        },
      ];
      const fn = skipTypeWrappers(callback);
      if (
        fn.type === AST_NODE_TYPES.ArrowFunctionExpression &&
        fn.params.length === 1 &&
        fn.body.type === AST_NODE_TYPES.BlockStatement &&
        !findDescendant(sourceCode, fn.body, (node) => node.type === AST_NODE_TYPES.ReturnStatement)
      ) {
        const body = fn.body;
        const binding = fn.params[0];
        suggestions.push({
          messageId: 'forEachToForOf',
          fix: (fixer) =>
            fixer.replaceText(
              call.parent, // the whole statement: a loop takes no semicolon
              `for (const ${bindingText(binding)} of ${operandText(sourceCode, callee.object)}) ${sourceCode.getText(body)}`,
            ),
        });
      }
      return suggestions;
    }

    function bindingText(parameter: TSESTree.Parameter): string {
      // A type annotation cannot stay on a `for…of` binding.
      const text = sourceCode.getText(parameter);
      const annotation = 'typeAnnotation' in parameter ? parameter.typeAnnotation : undefined;
      return annotation ? text.slice(0, annotation.range[0] - parameter.range[0]) : text;
    }

    /** `map` exists where `forEach` does only on arrays; a Map or Set would break. */
    function receiverIsArray(object: TSESTree.Expression): boolean {
      if (model.types) {
        const types = model.types;
        const type = types.typeOf(object);
        return types.checker.isArrayType(type) || types.checker.isTupleType(type);
      }
      const inner = skipTypeWrappers(object);
      if (inner.type === AST_NODE_TYPES.ArrayExpression) return true;
      if (inner.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariable(sourceCode, inner);
        const def = variable?.defs[0];
        if (def?.type === 'Variable' && def.node.init) {
          const init = skipTypeWrappers(def.node.init);
          if (init.type === AST_NODE_TYPES.NewExpression) return false; // new Map(), new Set()
          if (init.type === AST_NODE_TYPES.ArrayExpression) return true;
        }
      }
      // Unknown receivers: most `forEach` receivers are arrays, but a wrong rewrite breaks code, so
      // offer the rewrite only where the shape is plain.
      return inner.type === AST_NODE_TYPES.Identifier || inner.type === AST_NODE_TYPES.MemberExpression;
    }

    function checkExecutor(node: TSESTree.NewExpression): void {
      const [executor] = node.arguments;
      if (!executor || !isPromiseConstructor(node)) return;
      const fn = skipTypeWrappers(executor as TSESTree.Expression);
      if (!isFunctionNode(fn) || !fn.async) return;
      const droppable = canDropAsync(fn);
      // An executor that awaits, but only inside try/catch (which calls `reject`), loses no error.
      if (!droppable && model.cannotReject(fn)) return;
      const asyncToken = sourceCode.getFirstToken(fn)!;
      reported.add(executor);
      context.report({
        loc: asyncToken.loc,
        messageId: 'asyncExecutor',
        fix: droppable
          ? (fixer) => {
              // `async` and the whitespace after it, up to the next token or comment (no line break
              // may follow `async` there, so this stays on one line).
              const next = sourceCode.getTokenAfter(asyncToken, { includeComments: true })!;
              return fixer.removeRange([asyncToken.range[0], next.range[0]]);
            }
          : null,
      });
    }

    /**
     * Dropping `async` from an executor that never awaits changes one thing: a throw inside it is
     * caught by the Promise constructor (it rejects the promise, or is ignored once the promise has
     * settled, as in any executor) instead of rejecting a promise nobody holds. Not when the
     * executor itself awaits (`await`, `for await`, `await using`; a nested function's awaits are
     * its own), nor for an async generator, a declared return type (`Promise<…>` would no longer
     * hold) or type parameters (`<T>(…) =>` reads as JSX in a .tsx file).
     */
    function canDropAsync(fn: FunctionNode): boolean {
      if (fn.generator || fn.returnType || fn.typeParameters) return false;
      const awaits = (node: TSESTree.Node) =>
        node.type === AST_NODE_TYPES.AwaitExpression ||
        (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
        (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'await using');
      // Class bodies are entered: a computed key runs in the executor; methods are functions, skipped.
      return findDescendant(sourceCode, fn, awaits, (node) => node === fn || !isFunctionNode(node)) === null;
    }

    // ---- conditions ----

    /**
     * A truth value read from `test`. In a test (`if`, loops, `?:`, `!`), every operand of a logical
     * chain is read — `a ?? p` included; elsewhere (`const ok = p && x`) only the left of `&&`/`||`.
     */
    function checkCondition(test: TSESTree.Expression | null | undefined, inTest = true): void {
      if (!test || conditionals === null) return;
      const node = skipTypeWrappers(test);
      if (node.type === AST_NODE_TYPES.LogicalExpression) {
        if (node.operator !== '??' || inTest) checkCondition(node.left, inTest);
        if (inTest) checkCondition(node.right, inTest);
        return;
      }
      if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') {
        checkCondition(node.argument);
        return;
      }
      // `if (this.pending)` on a `Promise | undefined` is a presence test, not a mistake — unless
      // the team asked for unions too (`flagUnions`).
      if (reported.has(node)) return;
      const always = conditionals === 'all' ? model.isPromise(node) : model.isAlwaysPromise(node) || (conditionals === 'strict' && model.isPromiseOrItsResult(node));
      if (!always) return;
      reported.add(node);
      context.report({
        node,
        messageId: 'conditional',
        suggest: canAwaitAt(sourceCode, node, context.filename)
          ? [{ messageId: 'addAwait', fix: (fixer) => prefixWith(fixer, sourceCode, node, 'await') }]
          : [],
      });
    }

    // ---- locals never awaited on some path ----

    const settlingReferences = new Map<TSESTree.Node, TSESLint.Scope.Variable>();
    const pendingBegins = new Map<TSESTree.VariableDeclarator, TSESLint.Scope.Variable>();
    const declaratorOf = new Map<TSESLint.Scope.Variable, TSESTree.VariableDeclarator>();

    const tracker = createLifetimeTracker<TSESLint.Scope.Variable>((path) => {
      for (const variable of path.keys) {
        const leak = path.findLeak(variable);
        const declarator = declaratorOf.get(variable);
        // No exceptions are asked for, so every leak here is a real exit.
        if (!leak || !declarator || leak.kind === 'exception') continue;
        // Typed, whether it holds a promise is asked only now, of the few locals some path drops.
        if (model.types && !holdsPromise(declarator.init!)) continue;
        context.report({
          node: declarator.id,
          messageId: 'unawaitedLocal',
          data: { name: variable.name, where: describeExit(leak, path.owner) },
        });
      }
    });

    function trackLocal(declarator: TSESTree.VariableDeclarator): void {
      if (options.checkLocals === false || declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return;
      const declaration = declarator.parent;
      if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return;
      if (declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return;
      const init = declarator.init;
      if (model.types ? !mayHoldPromise(init) : !holdsPromise(init)) return;
      const [variable] = sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? [];
      if (!variable) return;
      const owner = enclosingFunction(declarator);
      const references = variable.references.filter((ref) => !ref.init);
      // Reassigned, or used from a closure (a callback, a listener): its fate is decided elsewhere.
      if (references.some((ref) => ref.isWrite() || enclosingFunction(ref.identifier) !== owner)) return;
      for (const ref of references) {
        if (ref.identifier.type === AST_NODE_TYPES.Identifier && settles(ref.identifier)) {
          settlingReferences.set(ref.identifier, variable);
        }
      }
      declaratorOf.set(variable, declarator);
      pendingBegins.set(declarator, variable);
    }

    /** Only a binding that always holds a promise: `cond ? fetch(u) : null` may rightly go unawaited. */
    function holdsPromise(init: TSESTree.Expression): boolean {
      return unhandled(init) !== null && (model.isAlwaysPromise(init) || model.isPromiseArray(init));
    }

    /** Shapes that can hold a promise, before the checker is asked (later, and only on a leak). */
    function mayHoldPromise(init: TSESTree.Expression): boolean {
      const type = skipTypeWrappers(init).type;
      const settledHere = type === AST_NODE_TYPES.AwaitExpression || type === AST_NODE_TYPES.AssignmentExpression || type === AST_NODE_TYPES.ThisExpression;
      return !settledHere && !isNeverPromiseShape(init);
    }

    /** Any use hands the promise on, except reading a plain property of it or its `typeof`. */
    function settles(identifier: TSESTree.Identifier): boolean {
      const parent = identifier.parent;
      if (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'typeof') return false;
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) {
        const name = !parent.computed && parent.property.type === AST_NODE_TYPES.Identifier ? parent.property.name : null;
        return name === 'then' || name === 'catch' || name === 'finally' || isArrayConsumer(name, parent);
      }
      return true;
    }

    /** `promises.map(…)`, `promises.forEach(…)`… pass each element on; `promises.length` does not. */
    function isArrayConsumer(name: string | null, member: TSESTree.MemberExpression): boolean {
      return name !== null && name !== 'length' && member.parent?.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member;
    }

    return mergeListeners(tracker.listeners, checkVoidContexts(), {
      ExpressionStatement: checkStatement,
      AwaitExpression: checkAwait,
      CallExpression: checkCallbacks,
      NewExpression(node: TSESTree.NewExpression) {
        checkExecutor(node);
        checkCallbacks(node);
      },
      IfStatement: (node: TSESTree.IfStatement) => checkCondition(node.test),
      WhileStatement: (node: TSESTree.WhileStatement) => checkCondition(node.test),
      DoWhileStatement: (node: TSESTree.DoWhileStatement) => checkCondition(node.test),
      ForStatement: (node: TSESTree.ForStatement) => checkCondition(node.test),
      ConditionalExpression: (node: TSESTree.ConditionalExpression) => checkCondition(node.test),
      'LogicalExpression[operator="&&"], LogicalExpression[operator="||"]': (node: TSESTree.LogicalExpression) => {
        // The left operand's truthiness decides the result; a promise there is always truthy. (As a
        // statement, the dropped promise is the report.)
        if (node.parent?.type !== AST_NODE_TYPES.ExpressionStatement) checkCondition(node.left, false);
      },
      'UnaryExpression[operator="!"]': (node: TSESTree.UnaryExpression) => checkCondition(node.argument),
      SpreadElement: (node: TSESTree.SpreadElement) => {
        if (options.checksSpreads !== false) checkSpread(node);
      },
      VariableDeclarator: trackLocal,
      'VariableDeclarator:exit'(node: TSESTree.VariableDeclarator) {
        const variable = pendingBegins.get(node);
        if (variable) tracker.begin(variable, node);
      },
      Identifier(node: TSESTree.Identifier) {
        const variable = settlingReferences.get(node);
        if (variable) tracker.settle(variable, node);
      },
    }) as TSESLint.RuleListener;
  },
});

/** Untyped match of `allowForKnownSafeCalls`: by the callee's name, and for package specifiers by its import. */
function untypedCallMatches(
  sourceCode: Readonly<TSESLint.SourceCode>,
  callee: TSESTree.Expression,
  specifiers: TypeOrValueSpecifier[],
): boolean {
  const name =
    callee.type === AST_NODE_TYPES.Identifier
      ? callee.name
      : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
        ? callee.property.name
        : null;
  if (!name) return false;
  const fullText = sourceCode.getText(callee).replace(/\s+/g, '');
  let root: TSESTree.Expression = callee;
  while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
  const importedFrom = root.type === AST_NODE_TYPES.Identifier ? importSource(sourceCode, root) : null;
  return specifiers.some((specifier) => {
    if (typeof specifier === 'string') return specifier === name || specifier === fullText;
    const names = Array.isArray(specifier.name) ? specifier.name : [specifier.name];
    if (!names.includes(name) && !names.includes(fullText)) return false;
    if (specifier.from === 'package') return importedFrom === specifier.package;
    if (specifier.from === 'lib') return root.type === AST_NODE_TYPES.Identifier && isGlobalReference(sourceCode, root);
    return importedFrom === null;
  });
}

/** `checksVoidReturn` as typescript-eslint reads it: a boolean for all positions, or per position (unset = checked). */
function voidReturnChecks(option: boolean | VoidReturnChecks | undefined): Required<VoidReturnChecks> {
  const all = option !== false;
  const given = typeof option === 'object' ? option : {};
  return {
    arguments: given.arguments ?? all,
    attributes: given.attributes ?? all,
    inheritedMethods: given.inheritedMethods ?? all,
    properties: given.properties ?? all,
    returns: given.returns ?? all,
    variables: given.variables ?? all,
  };
}

/** `(async () => { … })()`, `(function () { … })()`: a function literal called where it is written. */
function isIIFE(expression: TSESTree.Expression): boolean {
  const node = skipTypeWrappers(expression);
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  return isFunctionNode(skipTypeWrappers(node.callee as TSESTree.Expression));
}


/**
 * A call's arguments with array-literal spreads laid out (`then(...[onFulfilled, onRejected])`), or
 * null when a spread's elements cannot be seen.
 */
function spreadArguments(call: TSESTree.CallExpression): (TSESTree.Expression | undefined)[] | null {
  const args: (TSESTree.Expression | undefined)[] = [];
  for (const argument of call.arguments) {
    if (argument.type !== AST_NODE_TYPES.SpreadElement) {
      args.push(argument);
      continue;
    }
    if (argument.argument.type !== AST_NODE_TYPES.ArrayExpression) return null;
    for (const element of argument.argument.elements) {
      if (element?.type === AST_NODE_TYPES.SpreadElement) return null;
      args.push(element ?? undefined);
    }
  }
  return args;
}
