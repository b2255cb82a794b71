import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';
import { findVariable, isGlobalReference, resolveFunction, skipTypeWrappers } from './bindings';
import type { PromiseModel } from './promiseModel';

/**
 * What a callee does with the function passed at an argument position: ignores its result ("void"
 * position, so a returned promise's rejection is lost), reads it as a truth value ("predicate"), or
 * something we cannot fault (null). Typed: the parameter's declared function types decide; untyped
 * (or where types say `any`): well-known callees and local functions that only call the parameter
 * as a statement.
 */
export type CallbackPosition = { kind: 'void' | 'predicate'; callee: string } | null;

const PREDICATE_METHODS = new Set(['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
const TIMER_GLOBALS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
/** Frameworks that await what their handlers return: Express 5, fastify, koa routes and hooks. */
const ROUTE_METHODS = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options', 'route',
  'addHook', 'register', 'setErrorHandler', 'setNotFoundHandler', 'param',
]);
/** Test runners that await what their test bodies and hooks return (node:test, mocha, jest, vitest). */
const TEST_FUNCTIONS = new Set([
  'it', 'test', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll',
  'setup', 'teardown', 'suiteSetup', 'suiteTeardown',
]);

type Call = TSESTree.CallExpression | TSESTree.NewExpression;

export function calleeName(call: Call): string {
  const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
    const object = skipTypeWrappers(callee.object);
    const prefix = object.type === AST_NODE_TYPES.Identifier ? `${object.name}.` : object.type === AST_NODE_TYPES.ThisExpression ? 'this.' : '';
    return `${prefix}${callee.property.name}`;
  }
  return 'the callee';
}

function methodName(call: Call): string | null {
  const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
  return callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
    ? callee.property.name
    : null;
}

/** Calls whose callback's promise the framework itself awaits: not void positions. */
export function isFrameworkHandled(call: Call): boolean {
  const method = methodName(call);
  if (method && ROUTE_METHODS.has(method)) return true;
  // `it(…)`, `test.only(…)`, `describe.each(table)(…)`: follow the callee chain to its root name.
  let root = skipTypeWrappers(call.callee as TSESTree.Expression);
  while (root.type === AST_NODE_TYPES.MemberExpression || root.type === AST_NODE_TYPES.CallExpression) {
    root = skipTypeWrappers(root.type === AST_NODE_TYPES.MemberExpression ? root.object : (root.callee as TSESTree.Expression));
  }
  return root.type === AST_NODE_TYPES.Identifier && TEST_FUNCTIONS.has(root.name);
}

type TypedVerdict = 'void' | 'accepts-promise' | 'unknown';

/** A call's callee signatures, once per call: every argument's position asks for them. */
const signaturesOfCall = new WeakMap<Call, readonly ts.Signature[]>();

function typedParameterVerdict(model: PromiseModel, call: Call, index: number): TypedVerdict {
  const types = model.types!;
  const tsCall = types.tsNode(call) as ts.CallExpression | ts.NewExpression;
  let signatures = signaturesOfCall.get(call);
  if (!signatures) {
    const calleeType = types.typeOf(call.callee);
    signatures = tsutils
      .unionConstituents(calleeType)
      .flatMap((part) => (call.type === AST_NODE_TYPES.NewExpression ? part.getConstructSignatures() : part.getCallSignatures()));
    signaturesOfCall.set(call, signatures);
  }
  let sawVoid = false;
  for (const signature of signatures) {
    const parameterType = parameterTypeAt(types.checker, signature, index, tsCall);
    if (!parameterType) continue;
    // An untyped parameter says nothing either way: leave it to the syntactic checks.
    if (tsutils.isTypeFlagSet(parameterType, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) continue;
    for (const part of tsutils.unionConstituents(parameterType)) {
      for (const callSignature of part.getCallSignatures()) {
        const returnType = callSignature.getReturnType();
        if (tsutils.isTypeFlagSet(returnType, ts.TypeFlags.Any | ts.TypeFlags.Unknown) || model.isPromiseType(returnType)) {
          return 'accepts-promise';
        }
        // `void | Thenable<R>` (vscode-jsonrpc's HandlerResult, for one): the callee awaits a
        // returned thenable, so an async callback is what it asks for.
        if (tsutils.unionConstituents(returnType).some((t) => model.isPromiseType(t) || tsutils.isThenableType(types.checker, tsCall, t))) {
          return 'accepts-promise';
        }
        if (tsutils.unionConstituents(returnType).some((t) => tsutils.isTypeFlagSet(t, ts.TypeFlags.Void))) sawVoid = true;
      }
    }
  }
  return sawVoid ? 'void' : 'unknown';
}

function parameterTypeAt(checker: ts.TypeChecker, signature: ts.Signature, index: number, at: ts.Node): ts.Type | undefined {
  const parameters = signature.getParameters();
  const isRest = (symbol: ts.Symbol) => {
    const declaration = symbol.valueDeclaration;
    return declaration !== undefined && ts.isParameter(declaration) && declaration.dotDotDotToken !== undefined;
  };
  const last = parameters[parameters.length - 1];
  if (index < parameters.length && !isRest(parameters[index])) return checker.getTypeOfSymbolAtLocation(parameters[index], at);
  if (last && isRest(last)) {
    const restType = checker.getTypeOfSymbolAtLocation(last, at);
    return restType.getNumberIndexType() ?? undefined;
  }
  return undefined;
}

/** The receiver of a method call is an array (or could be: `any`), so `filter` & co. are Array's. */
function typedReceiverIsArrayLike(model: PromiseModel, call: Call): boolean {
  const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const types = model.types!;
  const type = types.typeOf(callee.object);
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any)) return true;
  return tsutils
    .unionConstituents(types.checker.getApparentType(type))
    .some((part) => types.checker.isArrayType(part) || types.checker.isTupleType(part) || part.getNumberIndexType() !== undefined);
}

/** A local function whose parameter is only ever called with its result dropped. */
function isVoidParameterOfLocalFunction(sourceCode: Readonly<TSESLint.SourceCode>, call: Call, index: number): boolean {
  const fn = resolveFunction(sourceCode, call.callee as TSESTree.Expression);
  if (!fn) return false;
  let parameter = fn.params[index] as TSESTree.Node | undefined;
  if (parameter?.type === AST_NODE_TYPES.AssignmentPattern) parameter = parameter.left;
  if (parameter?.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = sourceCode.scopeManager?.getDeclaredVariables(fn).find((v) => v.name === (parameter as TSESTree.Identifier).name);
  if (!variable) return false;
  const reads = variable.references.filter((ref) => ref.isRead());
  return (
    reads.length > 0 &&
    reads.every((ref) => {
      const identifier = ref.identifier;
      let parent = identifier.parent;
      if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.callee !== identifier) return false;
      if (parent.parent?.type === AST_NODE_TYPES.ChainExpression) return parent.parent.parent?.type === AST_NODE_TYPES.ExpressionStatement;
      parent = parent.parent;
      return parent?.type === AST_NODE_TYPES.ExpressionStatement;
    })
  );
}

export function callbackPosition(
  model: PromiseModel,
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: Call,
  index: number,
): CallbackPosition {
  const name = calleeName(call);
  const method = methodName(call);
  if (call.type === AST_NODE_TYPES.CallExpression && method && PREDICATE_METHODS.has(method) && index === 0) {
    return !model.types || typedReceiverIsArrayLike(model, call) ? { kind: 'predicate', callee: name } : null;
  }
  if (isFrameworkHandled(call)) return null;
  if (model.types) {
    const verdict = typedParameterVerdict(model, call, index);
    if (verdict === 'void') return { kind: 'void', callee: name };
    if (verdict === 'accepts-promise') return null;
  }
  if (method === 'forEach' && index === 0) return { kind: 'void', callee: name };
  if (method && LISTENER_METHODS.has(method) && index === 1) return { kind: 'void', callee: name };
  const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
  if (callee.type === AST_NODE_TYPES.Identifier && TIMER_GLOBALS.has(callee.name) && index === 0 && isGlobalReference(sourceCode, callee)) {
    return { kind: 'void', callee: name };
  }
  if (
    method === 'nextTick' &&
    index === 0 &&
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'process' &&
    !findVariable(sourceCode, callee.object)?.defs.length
  ) {
    return { kind: 'void', callee: name };
  }
  if (isVoidParameterOfLocalFunction(sourceCode, call, index)) return { kind: 'void', callee: name };
  return null;
}

const SERVER_FACTORIES = new Set(['createServer', 'createSecureServer']);
const REQUEST_PARAMS = [/^req(uest)?$/, /^(res|response|reply)$/];

/**
 * A function that runs once per incoming request: a route or middleware registered with an
 * Express/fastify/koa-style router, a `node:http` `createServer` / `'request'` listener, or a
 * function whose first parameters are named like `(req, res)` / `(request, reply)`.
 */
export function isRequestHandler(fn: TSESTree.Node): boolean {
  if (fn.type !== AST_NODE_TYPES.FunctionExpression && fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.type !== AST_NODE_TYPES.FunctionDeclaration) {
    return false;
  }
  const [first, second] = fn.params.map((param) => (param.type === AST_NODE_TYPES.Identifier ? param.name : ''));
  if (first && second && REQUEST_PARAMS[0].test(first) && REQUEST_PARAMS[1].test(second)) return true;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.Expression)) return false;
  const method = methodName(call);
  const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
  const name = method ?? (callee.type === AST_NODE_TYPES.Identifier ? callee.name : null);
  if (name && SERVER_FACTORIES.has(name)) return true;
  if (method === 'on' && call.arguments[0]?.type === AST_NODE_TYPES.Literal && call.arguments[0].value === 'request') return true;
  return method !== null && ROUTE_METHODS.has(method) && method !== 'register' && method !== 'param';
}
