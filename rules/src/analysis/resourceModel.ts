import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { typeMatchesSomeSpecifier } from '@typescript-eslint/type-utils';
import * as tsutils from 'ts-api-utils';
import type * as ts from 'typescript';
import { CALL, CONSTRUCT, traceReferences, type TraceMap, type TraceMaps } from './apiReferences';
import { findVariable, isFunctionNode, resolveFunction, singleValueOf, skipTypeWrappers, visitDescendants, type FunctionNode } from './bindings';
import { GENERIC_RELEASE_METHODS, resourceCatalogue, type ResourceKind } from './resourceCatalogue';
import type { ValueEffect } from './functionSummaries';
import { getTypeServices, type TypeServices } from './typeServices';

/**
 * "Does this expression create something that must be released, and how is it released?" — the
 * catalogue's creations found through imports and requires, methods that derive a resource from
 * another (`pool.connect()`), and, typed, any value created with `[Symbol.asyncDispose]` or
 * `[Symbol.dispose]`.
 */
export interface ResourceOrigin {
  kind: ResourceKind;
  /** The call or `new` that creates it. */
  creation: TSESTree.CallExpression | TSESTree.NewExpression;
  /** For a resource made by a method (`pool.connect()`), the receiver it is made from. */
  receiver?: TSESTree.Expression;
  /** Typed only: the created value's type is async-disposable (an `await using` fix applies). */
  asyncDisposable: boolean;
  /** Made by calling a factory of the file (`checkout()` returning `pool.connect()`): the factory. */
  factory?: FunctionNode;
}

export interface ResourceModel {
  readonly typed: boolean;
  readonly types: TypeServices | undefined;
  /** The resource an initializer creates (`await` and type assertions allowed around it), or null. */
  resourceAt(expression: TSESTree.Expression): ResourceOrigin | null;
  /** `client.end()` on a binding that holds a resource whose release returns a promise: that resource's kind. */
  asyncReleaseOf(call: TSESTree.CallExpression): ResourceKind | null;
  /**
   * A function the resource is delivered to: `pool.connect().then((client) => …)` (its first
   * parameter), or the callback of a callback-style creation, `pool.connect((err, client, done) => …)`
   * (the parameter after the error, the error itself, and the release function after it if any).
   */
  deliveredTo(fn: FunctionNode): DeliveredResource | null;
  /**
   * Whether `using`/`await using` can dispose the value of this initializer: typed, its type has
   * `[Symbol.dispose]` or `[Symbol.asyncDispose]` (`null`/`undefined` aside); untyped, the catalogue
   * says its kind has neither. Null when it cannot tell (`any`, a value of no known kind).
   */
  isDisposable(init: TSESTree.Expression, awaited: boolean): { disposable: boolean; origin: ResourceOrigin | null } | null;
}

export interface DeliveredResource {
  origin: ResourceOrigin;
  param: TSESTree.Identifier;
  /** Err-first callbacks: the error parameter; the resource is absent when it is set. */
  error: TSESTree.Identifier | null;
  /** pg's `done`: calling it releases the resource. */
  releaseParam: TSESTree.Identifier | null;
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** Kind ids of resources known only by their type, not from the catalogue. */
export const TYPED_PREFIX = 'type:';
/** Verbs of factory calls whose disposable result is a new resource, for the typed fallback. */
const FACTORY_NAME = /^(open|create|connect|launch|acquire|get(Connection|Client))/i;
/** Names a callback parameter goes by, for untyped callback-style detection. */
const CALLBACK_NAME = /^(cb|callback|done|next|fn|handler|listener|resolve|reject)$|Callback$|Handler$/;
/** Disposable types that are not resources to release: a one-shot timer ends by itself. */
const NOT_RESOURCES = new Set(['Timeout', 'Immediate', 'AbortSignal', 'AbortController']);

const cache = new WeakMap<object, Map<string, ResourceModel>>();
/** One combined catalogue per distinct set of user entries, so its trace maps are built once. */
const catalogues = new Map<string, ResourceKind[]>();

/** The model for this file and these user entries; built once and shared by the rules that ask. */
export function getResourceModel(context: Context, userKinds: readonly ResourceKind[] = []): ResourceModel {
  const sourceCode = context.sourceCode;
  const key = JSON.stringify(userKinds, (_k, v: unknown) => (v instanceof RegExp ? v.source : v));
  let perKinds = cache.get(sourceCode);
  if (!perKinds) cache.set(sourceCode, (perKinds = new Map()));
  let model = perKinds.get(key);
  if (!model) {
    let kinds = catalogues.get(key);
    if (!kinds) catalogues.set(key, (kinds = [...resourceCatalogue, ...userKinds]));
    model = createResourceModel(sourceCode, getTypeServices(context), kinds);
    perKinds.set(key, model);
  }
  return model;
}

function createResourceModel(
  sourceCode: Readonly<TSESLint.SourceCode>,
  types: TypeServices | undefined,
  kinds: readonly ResourceKind[],
): ResourceModel {
  const byId = new Map(kinds.map((kind) => [kind.id, kind]));
  // Asked for every method call in the file: index the kinds made by a method once.
  const kindsByMethod = new Map<string, ResourceKind[]>();
  for (const kind of kinds) {
    for (const creation of kind.create) {
      if ('method' in creation && !kindsByMethod.get(creation.method)?.includes(kind)) {
        kindsByMethod.set(creation.method, [...(kindsByMethod.get(creation.method) ?? []), kind]);
      }
    }
  }
  let creations: Map<TSESTree.Node, unknown> | undefined;
  const traced = () => (creations ??= traceReferences(sourceCode, traceMapsFor(kinds)));
  const memo = new WeakMap<TSESTree.Node, ResourceOrigin | null>();
  const factories = new Map<FunctionNode, ResourceKind | null>();

  /** Which kind a receiver expression holds: a binding to a created resource, or (typed) its type. */
  function kindOfReceiver(receiver: TSESTree.Expression, seen: Set<TSESTree.Node>): ResourceKind | null {
    const node = skipTypeWrappers(receiver);
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, node);
      const value = variable && singleValueOf(variable);
      if (value && value.type !== AST_NODE_TYPES.FunctionDeclaration && value.type !== AST_NODE_TYPES.ClassDeclaration && !seen.has(value)) {
        seen.add(value);
        const origin = originOf(value as TSESTree.Expression, seen);
        if (origin) return origin.kind;
      }
    }
    if (types) {
      const type = types.typeOf(node);
      for (const kind of kinds) {
        if (kind.types && typeMatchesSomeSpecifier(type, kind.types.map((t) => ({ from: 'package' as const, ...t })), types.program)) {
          return kind;
        }
      }
    }
    return null;
  }

  function originOf(expression: TSESTree.Expression, seen = new Set<TSESTree.Node>()): ResourceOrigin | null {
    let node = skipTypeWrappers(expression);
    if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
    if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return null;
    const cached = memo.get(node);
    if (cached !== undefined) return cached;
    memo.set(node, null);
    const result = computeOrigin(node, seen);
    memo.set(node, result);
    return result;
  }

  function computeOrigin(node: TSESTree.CallExpression | TSESTree.NewExpression, seen: Set<TSESTree.Node>): ResourceOrigin | null {
    const origin = computeCreation(node, seen);
    // `pool.getConnection((err, conn) => …)`: the callback owns the resource, the call returns nothing.
    if (origin?.kind.callbackStyle && node.type === AST_NODE_TYPES.CallExpression && isCallbackArgument(node.arguments[node.arguments.length - 1])) {
      return null;
    }
    if (origin?.kind.body && isHeadRequest(node)) return null; // a HEAD response has no body to consume
    return origin;
  }

  function isCallbackArgument(argument: TSESTree.CallExpressionArgument | undefined): boolean {
    if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return false;
    if (isFunctionNode(argument)) return true;
    if (types) return types.typeOf(argument).getCallSignatures().length > 0;
    return argument.type === AST_NODE_TYPES.Identifier && CALLBACK_NAME.test(argument.name);
  }

  function computeCreation(node: TSESTree.CallExpression | TSESTree.NewExpression, seen: Set<TSESTree.Node>): ResourceOrigin | null {
    // Asked only once a creation is found: a type lookup per call in the file is too dear.
    let disposable: boolean | undefined;
    const found = (origin: Omit<ResourceOrigin, 'asyncDisposable'>): ResourceOrigin => ({
      ...origin,
      get asyncDisposable() {
        return (disposable ??= types !== undefined && isDisposableType(types, node).async);
      },
    });
    const id = traced().get(node);
    if (typeof id === 'string' && byId.has(id)) return found({ kind: byId.get(id)!, creation: node });

    const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
    if (node.type === AST_NODE_TYPES.CallExpression && callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      const method = callee.property.name;
      const candidates = kindsByMethod.get(method) ?? [];
      if (candidates.length > 0) {
        const receiverKind = kindOfReceiver(callee.object, seen);
        for (const kind of candidates) {
          for (const creation of kind.create) {
            if (!('method' in creation) || creation.method !== method) continue;
            if (receiverKind && creation.on.includes(receiverKind.id)) return found({ kind, creation: node, receiver: callee.object });
            if (!receiverKind && creation.anyReceiver && creation.anyReceiver.test(receiverName(callee.object))) {
              return found({ kind, creation: node, receiver: callee.object });
            }
          }
        }
      }
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      // A factory of the file: `async function connect() { const c = new Client(); …; return c; }`.
      const fn = resolveFunction(sourceCode, callee);
      const made = fn && factoryKind(fn);
      if (made) return found({ kind: made, creation: node, factory: fn });
    }
    if (types) return typedDisposable(types, node);
    return null;
  }

  /**
   * The kind a function of the file creates and hands back on every return: each `return` gives a
   * creation, or a binding of the function initialised with one, all of one kind. Null for
   * anything else (a memoised module-level pool, a `.then` of a creation, a bare `return`).
   */
  function factoryKind(fn: FunctionNode): ResourceKind | null {
    if (factories.has(fn)) return factories.get(fn)!;
    factories.set(fn, null); // recursion guard
    const returned: TSESTree.Expression[] = [];
    let bare = false;
    if (fn.body?.type === AST_NODE_TYPES.BlockStatement) {
      visitDescendants(sourceCode, fn.body, (node) => {
        if (isFunctionNode(node) || node.type === AST_NODE_TYPES.ClassBody) return false;
        if (node.type === AST_NODE_TYPES.ReturnStatement) {
          if (node.argument) returned.push(node.argument);
          else bare = true;
        }
        return undefined;
      });
    } else if (fn.body) {
      returned.push(fn.body);
    }
    let kind: ResourceKind | null = null;
    if (!bare && returned.length > 0 && !fn.generator) {
      for (const value of returned) {
        const origin = originOf(localCreation(value, fn) ?? value);
        if (!origin || (kind && origin.kind !== kind)) {
          kind = null;
          break;
        }
        kind = origin.kind;
      }
    }
    factories.set(fn, kind);
    return kind;
  }

  /** `return client` where `const client = <creation>` in the same function: that creation. */
  function localCreation(value: TSESTree.Expression, fn: FunctionNode): TSESTree.Expression | null {
    const node = skipTypeWrappers(value);
    if (node.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = findVariable(sourceCode, node);
    const init = variable && singleValueOf(variable);
    if (!init || isFunctionNode(init) || init.type === AST_NODE_TYPES.ClassDeclaration || variable.scope.variableScope.block !== fn) return null;
    return init as TSESTree.Expression;
  }

  /**
   * Typed fallback: a new value whose type is async-disposable — `new X()`, or a factory call
   * (`open…`, `connect…`, `launch…`). Only async disposal marks I/O worth a report; a method that
   * hands back its own receiver (`client.connect()` returning the client) creates nothing.
   */
  function typedDisposable(services: TypeServices, node: TSESTree.CallExpression | TSESTree.NewExpression): ResourceOrigin | null {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
      const name =
        callee.type === AST_NODE_TYPES.Identifier
          ? callee.name
          : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier
            ? callee.property.name
            : '';
      if (!FACTORY_NAME.test(name)) return null;
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const receiverType = services.checker.getApparentType(services.typeOf(callee.object));
        const resultType = services.checker.getAwaitedType(services.typeOf(node));
        if (resultType && services.checker.isTypeAssignableTo(receiverType, resultType)) return null;
      }
    }
    const disposable = isDisposableType(services, node);
    // Streams are async-disposable too, but they end by being read or written to the end.
    if (!disposable.async || disposable.stream) return null;
    const typeName = disposable.typeName;
    if (NOT_RESOURCES.has(typeName)) return null;
    // Recommend a release the type has; every generic name still counts when the code calls it.
    const own = GENERIC_RELEASE_METHODS.filter((method) => disposable.methods.has(method));
    return {
      kind: {
        id: `${TYPED_PREFIX}${typeName}`,
        label: typeName || 'disposable',
        modules: [],
        create: [],
        releaseMethods: [...(own.length > 0 ? own : ['[Symbol.asyncDispose]']), ...GENERIC_RELEASE_METHODS.filter((m) => !own.includes(m))],
        releaseIsAsync: disposable.async,
      },
      creation: node,
      asyncDisposable: disposable.async,
    };
  }

  return {
    typed: types !== undefined,
    types,
    resourceAt: (expression) => originOf(expression),
    isDisposable(init, awaited) {
      const origin = originOf(init);
      if (types) {
        const type = types.typeOf(init);
        if (isAnyOrUnknown(type)) return null;
        // The value itself, not what it resolves to: `await using x = open(p)` holds a promise, which has no disposer.
        const parts = tsutils.unionConstituents(type).filter((part) => !isNullish(part) && !tsutils.isIntrinsicVoidType(part));
        if (parts.length === 0 || parts.some((part) => isAnyOrUnknown(part) || tsutils.isTypeParameter(part))) return null;
        const has = (prefix: string) => parts.every((part) => types.checker.getApparentType(part).getProperties().some((p) => String(p.escapedName).startsWith(prefix)));
        return { disposable: has('__@dispose') || (awaited && has('__@asyncDispose')), origin };
      }
      if (origin?.kind.disposable === false) return { disposable: false, origin };
      return null;
    },
    deliveredTo(fn) {
      const call = fn.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === fn) return null;
      const identifierAt = (index: number) => {
        const param = fn.params[index];
        return param?.type === AST_NODE_TYPES.Identifier ? param : null;
      };
      const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
      if (call.arguments[0] === fn && callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'then') {
        const origin = originOf(callee.object);
        const param = identifierAt(0);
        return origin && param ? { origin, param, error: null, releaseParam: null } : null;
      }
      if (call.arguments[call.arguments.length - 1] !== fn) return null;
      const origin = computeCreation(call, new Set());
      const param = identifierAt(1);
      const error = identifierAt(0);
      if (!origin?.kind.callbackStyle || !param || !error) return null;
      return { origin, param, error, releaseParam: identifierAt(2) };
    },
    asyncReleaseOf(call) {
      const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
      if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
      const method = callee.property.name;
      const receiver = skipTypeWrappers(callee.object);
      const candidates: ResourceKind[] = [];
      if (receiver.type === AST_NODE_TYPES.Identifier) {
        // Every value the binding is given: `const c = await pool.connect()`, or `c = …` later.
        for (const reference of findVariable(sourceCode, receiver)?.references ?? []) {
          const written = reference.writeExpr;
          const origin = written && written.type !== AST_NODE_TYPES.Identifier ? originOf(written as TSESTree.Expression) : null;
          if (origin) candidates.push(origin.kind);
        }
      }
      if (candidates.length === 0) {
        const kind = kindOfReceiver(receiver, new Set());
        if (kind) candidates.push(kind);
      }
      return candidates.find((kind) => kind.releaseIsAsync && kind.releaseMethods?.includes(method)) ?? null;
    },
  };
}

/** `fetch(url, { method: 'HEAD' })`, `request(url, { method: 'HEAD' })`. */
function isHeadRequest(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  return call.arguments.some(
    (argument) =>
      argument.type === AST_NODE_TYPES.ObjectExpression &&
      argument.properties.some(
        (property) =>
          property.type === AST_NODE_TYPES.Property &&
          !property.computed &&
          property.key.type === AST_NODE_TYPES.Identifier &&
          property.key.name === 'method' &&
          property.value.type === AST_NODE_TYPES.Literal &&
          typeof property.value.value === 'string' &&
          property.value.value.toUpperCase() === 'HEAD',
      ),
  );
}

function receiverName(receiver: TSESTree.Expression): string {
  const node = skipTypeWrappers(receiver);
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  return '';
}

/** Whether the (awaited) value created here has `[Symbol.asyncDispose]` / `[Symbol.dispose]`. */
function isDisposableType(
  services: TypeServices,
  node: TSESTree.Node,
): { async: boolean; sync: boolean; stream: boolean; methods: Set<string>; typeName: string } {
  const checker = services.checker;
  let type: ts.Type = services.typeOf(node);
  type = checker.getAwaitedType(type) ?? type;
  const parts = tsutils.unionConstituents(type).filter((part) => !isNullish(part));
  const has = (prefix: string) =>
    parts.length > 0 && parts.every((part) => part.getProperties().some((p) => String(p.escapedName).startsWith(prefix)));
  const symbol = parts[0]?.getSymbol() ?? parts[0]?.aliasSymbol;
  const stream = parts.some((part) => part.getProperty('pipe') !== undefined || part.getProperty('pipeTo') !== undefined);
  const methods = new Set(parts[0] ? parts[0].getProperties().map((p) => String(p.escapedName)) : []);
  return { async: has('__@asyncDispose'), sync: has('__@dispose'), stream, methods, typeName: symbol?.getName() ?? '' };
}

// ---- the catalogue as trace maps ----

const traceMapCache = new WeakMap<readonly ResourceKind[], TraceMaps>();

function traceMapsFor(kinds: readonly ResourceKind[]): TraceMaps {
  const cached = traceMapCache.get(kinds);
  if (cached) return cached;
  const maps: TraceMaps = { modules: {}, globals: {} };
  for (const kind of kinds) {
    for (const creation of kind.create) {
      if ('method' in creation) continue;
      const [path, mark] = 'construct' in creation ? [creation.construct, CONSTRUCT] : [creation.call, CALL];
      for (const module of kind.modules) {
        let map: TraceMap;
        let rest = path;
        if (module === 'globalThis') {
          if (path.length === 0) continue;
          map = (maps.globals[path[0]] ??= {}) as TraceMap;
          rest = path.slice(1);
        } else {
          map = maps.modules[module] ??= {};
        }
        for (const name of rest) map = (map[name] ??= {}) as TraceMap;
        map[mark] ??= kind.id;
      }
    }
  }
  traceMapCache.set(kinds, maps);
  return maps;
}

/**
 * Whether what a function does to a resource (its summary's effect on the parameter it is passed
 * as) releases it or takes it over: a release method or release function of its kind, a body read
 * or cancelled, or ownership kept (stored, returned, handed on). A helper that only logs, pings or
 * checks it does neither, whatever its name.
 */
export function effectSettles(effect: ValueEffect, kind: ResourceKind): boolean {
  if (effect.escapes || effect.iterated) return true;
  if (kind.body) {
    const field = kind.body.bodyField ?? 'body';
    return effect.reads.has(field) || [...effect.methods].some((method) => kind.body!.consumeMethods.includes(method) || method.split('.')[0] === field);
  }
  if ([...effect.methods].some((method) => isReleaseMethod(kind, method))) return true;
  return [...effect.passedTo].some((callee) => kind.releaseFunctions?.includes(callee));
}

/** `close`, `release`, a hand-over such as a server's `listen`, or the dispose symbols. */
export function isReleaseMethod(kind: ResourceKind, method: string): boolean {
  return !!kind.releaseMethods?.includes(method) || !!kind.handOver?.includes(method) || method === '[Symbol.asyncDispose]' || method === '[Symbol.dispose]';
}

/** By ts-api-utils' predicates, not numeric flags: TypeScript 6 renumbered `TypeFlags`. */
function isNullish(type: ts.Type): boolean {
  return tsutils.isIntrinsicNullType(type) || tsutils.isIntrinsicUndefinedType(type);
}

function isAnyOrUnknown(type: ts.Type): boolean {
  return tsutils.isIntrinsicAnyType(type) || tsutils.isIntrinsicUnknownType(type);
}
