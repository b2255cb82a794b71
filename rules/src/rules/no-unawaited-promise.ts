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
import { createLifetimeTracker, describeExit, mergeListeners } from '../analysis/lifetimes';
import { getPromiseModel, isNeverPromiseShape } from '../analysis/promiseModel';
import { getResourceModel } from '../analysis/resourceModel';
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
  },
];

export type MessageId =
  | 'floating'
  | 'floatingRelease'
  | 'floatingUselessRejectionHandler'
  | 'floatingArray'
  | 'awaitedArray'
  | 'misusedAsyncCallback'
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
          return null; // `void p` is the explicit fire-and-forget
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
      if (!model.isPromise(node) || isKnownSafePromise(node)) return null;
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
        const handler = (index: number) => {
          const arg = call.arguments[index];
          return arg && arg.type !== AST_NODE_TYPES.SpreadElement ? arg : undefined;
        };
        switch (callee.property.name) {
          case 'catch': {
            const onRejected = handler(0);
            return onRejected && model.isCallable(onRejected) ? null : 'floatingUselessRejectionHandler';
          }
          case 'then': {
            if (call.arguments.length < 2) return 'floating';
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
        if (literal && !model.returnsPromise(argument)) return;
        const position = callbackPosition(model, sourceCode, call, index);
        if (!position || (!literal && !model.returnsPromise(argument))) return;
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

    function checkCondition(test: TSESTree.Expression | null | undefined): void {
      if (!test) return;
      const node = skipTypeWrappers(test);
      if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator !== '??') {
        checkCondition(node.left);
        checkCondition(node.right);
        return;
      }
      if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') {
        checkCondition(node.argument);
        return;
      }
      // `if (this.pending)` on a `Promise | undefined` is a presence test, not a mistake.
      if (reported.has(node) || !model.isAlwaysPromise(node)) return;
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

    return mergeListeners(tracker.listeners, {
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
        // The left operand's truthiness decides the result; a promise there is always truthy.
        if (node.parent?.type !== AST_NODE_TYPES.ExpressionStatement) checkCondition(node.left);
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
