import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';
import { CALL, traceReferences, type TraceMap, type TraceMaps } from './apiReferences';
import {
  classFieldValue,
  findVariable,
  isFunctionNode,
  isGlobalReference,
  resolveFunction,
  singleValueOf,
  skipTypeWrappers,
  type FunctionNode,
} from './bindings';
import {
  ioGlobals,
  ioModules,
  ioNodeModules,
  ioPackages,
  promisifyModules,
  resourceFamilies,
  type IoFamily,
} from './ioCatalogue';
import { limitedCalls, limiterCatalogue } from './limiterCatalogue';
import { getLimiterModel, type LimiterModel } from './limiterModel';
import type { ModuleShape } from './promiseCatalogue';
import type { PromiseModel } from './promiseModel';
import { GENERIC_RELEASE_METHODS } from './resourceCatalogue';
import { getResourceModel, type ResourceModel } from './resourceModel';
import { getTypeServices, type TypeServices } from './typeServices';
import { describeExpression } from '../fix/describe';

export type { IoFamily } from './ioCatalogue';

/**
 * "Does this call, expression or function do I/O — talk to the network, a database, the file
 * system, a child process or a browser?" The evidence, from the most direct:
 *
 * - a catalogue API (`fetch`, `undici`, `axios`, `node:fs`, `node:fs/promises`, `child_process`,
 *   `util.promisify(exec)`…), found through imports, requires and aliases;
 * - a promise-returning method of a value made by a catalogue resource (`pool.query(…)`,
 *   `db.collection(…).find(…).toArray()`, `page.goto(…)`, an `axios.create()` client), or such a
 *   creation when it is awaited (`open(path)`);
 * - typed: a promise-returning function or method declared by an I/O package or Node.js module
 *   (`pool: Pool` from `pg`, an ORM's client), wherever the receiver came from;
 * - a function the code calls that does one of those, a few calls deep: local functions, methods
 *   of local classes and objects, and typed, functions declared in any file of the program;
 * - calls the user declares to do I/O.
 *
 * A question can ask for *unlimited* I/O only: work handed to a concurrency limiter
 * (`limit(() => fetch(u))`, `queue.add(…)`) or done after `acquire()` on one does not count.
 * Pure: the AST, the scope and (when there is one) the type checker, nothing else.
 */
export interface IoEvidence {
  family: IoFamily;
  /** How messages name the call that does the I/O: `` `pool.query(…)` ``. */
  io: string;
  /** That call, when it is in the linted file. */
  node: TSESTree.CallExpression | TSESTree.NewExpression | null;
  /** How messages name the calls through which the I/O is reached, outermost first; empty when direct. */
  via: string[];
}

export interface IoQuery {
  /** Count only I/O that no concurrency limiter bounds. */
  unlimited?: boolean;
}

export interface IoModel {
  readonly typed: boolean;
  /** The I/O a call does: itself, or through the functions it calls. */
  ioOfCall(call: TSESTree.CallExpression | TSESTree.NewExpression, query?: IoQuery): IoEvidence | null;
  /**
   * The I/O evaluating an expression does: the calls in it and the callbacks it passes to them, not
   * the functions it merely creates.
   */
  ioOfExpression(node: TSESTree.Expression, query?: IoQuery): IoEvidence | null;
  /**
   * The I/O a call of this function does: a function literal, or a name or member that resolves to
   * one (typed: declared in any file of the program).
   */
  ioOfFunction(node: TSESTree.Expression, query?: IoQuery): IoEvidence | null;
}

export interface IoModelOptions {
  /**
   * The promise model to ask (the rule's own, so that every model of the file agrees on what a
   * promise is, including untyped imports read through `io/`).
   */
  promises: PromiseModel;
  /** Calls that do I/O beyond the catalogue, by callee name (`loadUser`) or dotted path (`db.query`). */
  ioFunctions?: readonly string[];
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type Call = TSESTree.CallExpression | TSESTree.NewExpression;

/** How many calls deep the search follows functions: the mapper, and what it calls, and so on. */
const MAX_DEPTH = 4;
/** Callee names that say they bound the work they are given, for limiters the limiter model does not know. */
const LIMITER_NAME = /limit|throttl|queue|semaphore|sema\b|mutex|(^|[^bc])lock|bottleneck|schedul/i;
/** Marks in the trace maps. */
const PROMISIFY = Symbol('promisify');
const CLIENT = Symbol('client');
const READ = ASTUtils.ReferenceTracker.READ;
/** Methods that release a resource (`close`, `end`, `quit`…): not I/O worth bounding. */
const RELEASE_METHODS = new Set(GENERIC_RELEASE_METHODS);

/** Per promise model (itself one per file and options), per user entries. */
const cache = new WeakMap<PromiseModel, Map<string, IoModel>>();

/** The model for this file; built on first use and shared by every rule that asks. */
export function getIoModel(context: Context, options: IoModelOptions): IoModel {
  const key = JSON.stringify(options.ioFunctions ?? []);
  let perOptions = cache.get(options.promises);
  if (!perOptions) cache.set(options.promises, (perOptions = new Map()));
  let model = perOptions.get(key);
  if (!model) {
    model = createIoModel(
      context.sourceCode,
      getTypeServices(context),
      options.promises,
      getResourceModel(context),
      getLimiterModel(context),
      options.ioFunctions ?? [],
    );
    perOptions.set(key, model);
  }
  return model;
}

function createIoModel(
  sourceCode: Readonly<TSESLint.SourceCode>,
  types: TypeServices | undefined,
  promises: PromiseModel,
  resources: ResourceModel,
  limiters: LimiterModel,
  userCalls: readonly string[],
): IoModel {
  let traced: Map<TSESTree.Node, unknown> | undefined;
  const catalogue = () => (traced ??= traceReferences(sourceCode, (traceMaps ??= buildTraceMaps())));
  /** Complete answers per function and query kind; answers cut short by depth or recursion are not kept. */
  const functionMemo = new WeakMap<object, Map<boolean, IoEvidence | null>>();
  const visiting = new Set<object>();
  let truncated = false;

  /** `` `pool.query(…)` ``; a chain too long to quote is named by its last method: `` `….toArray(…)` ``. */
  function label(node: Call): string {
    const described = describeExpression(sourceCode, node);
    if (described.startsWith('`')) return described;
    const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
    return callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
      ? `\`….${callee.property.name}(…)\``
      : described;
  }

  function evidence(family: IoFamily, node: Call): IoEvidence {
    return { family, io: label(node), node, via: [] };
  }

  function through(call: string, inner: IoEvidence | null): IoEvidence | null {
    return inner && { ...inner, via: [call, ...inner.via] };
  }

  // ---- one call, in this file ----

  function callIo(call: Call, depth: number, unlimited: boolean): IoEvidence | null {
    const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
    if (matchesUserCall(callee)) return evidence('declared', call);
    const mark = catalogue().get(call);
    if (typeof mark === 'string') return evidence(mark as IoFamily, call);
    if (call.type === AST_NODE_TYPES.CallExpression) {
      const promisified = promisifiedFamily(callee);
      if (promisified) return evidence(promisified, call);
      if (callee.type === AST_NODE_TYPES.MemberExpression && !isRelease(callee)) {
        const family = rootFamily(callee.object, new Set());
        if (family && usedAsPromise(call)) return evidence(family, call);
      }
      const created = originFamily(call);
      if (created && usedAsPromise(call)) return evidence(created, call);
    }
    if (types) {
      const family = typedCallFamily(types.tsNode(call));
      if (family) return evidence(family, call);
    }
    if (depth >= MAX_DEPTH) {
      truncated = true;
      return null;
    }
    const fn = resolveFunction(sourceCode, callee);
    // An immediately-invoked function is only a wrapper: its calls are the ones worth naming.
    if (fn) return fn === callee ? functionIo(fn, depth + 1, unlimited) : through(label(call), functionIo(fn, depth + 1, unlimited));
    if (types) {
      const declaration = userDeclarationOf(types, types.tsNode(call));
      if (declaration) return through(label(call), tsFunctionIo(types, declaration, depth + 1, unlimited));
    }
    return null;
  }

  /** `browser.close()`, `client.end()`: letting a resource go is cleanup, not work done through it. */
  function isRelease(callee: TSESTree.MemberExpression): boolean {
    return !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && RELEASE_METHODS.has(callee.property.name);
  }

  function matchesUserCall(callee: TSESTree.Expression): boolean {
    if (userCalls.length === 0) return false;
    const text = sourceCode.getText(callee).replace(/\s+/g, '');
    const name =
      callee.type === AST_NODE_TYPES.Identifier
        ? callee.name
        : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
          ? callee.property.name
          : null;
    return userCalls.some((entry) => entry === text || entry === name);
  }

  /** `const run = promisify(exec)`; `run(cmd)`. */
  function promisifiedFamily(callee: TSESTree.Expression): IoFamily | null {
    if (callee.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = findVariable(sourceCode, callee);
    const value = variable && singleValueOf(variable);
    if (value?.type !== AST_NODE_TYPES.CallExpression || catalogue().get(value) !== PROMISIFY) return null;
    const [argument] = value.arguments;
    return argument && argument.type !== AST_NODE_TYPES.SpreadElement ? referencedFamily(argument) : null;
  }

  /** An expression that names a catalogue I/O function without calling it: `exec`, `cp.execFile`. */
  function referencedFamily(expression: TSESTree.Expression): IoFamily | null {
    const node = skipTypeWrappers(expression);
    const direct = catalogue().get(node);
    if (typeof direct === 'string') return direct as IoFamily;
    if (node.type !== AST_NODE_TYPES.Identifier) return null;
    const def = findVariable(sourceCode, node)?.defs[0];
    if (!def) return null;
    // Named imports are marked on their specifier; destructured requires on their property.
    const marked = def.type === 'ImportBinding' ? catalogue().get(def.node) : undefined;
    if (typeof marked === 'string') return marked as IoFamily;
    if (def.type === 'Variable' && def.node.id.type === AST_NODE_TYPES.ObjectPattern) {
      for (const property of def.node.id.properties) {
        if (property.type === AST_NODE_TYPES.Property && property.value === def.name) {
          const mark = catalogue().get(property);
          if (typeof mark === 'string') return mark as IoFamily;
        }
      }
    }
    return null;
  }

  /** The I/O family of what a receiver chain starts from: `pool` in `pool.query`, `client` in `client.db().collection()`. */
  function rootFamily(expression: TSESTree.Expression, seen: Set<TSESTree.Node>): IoFamily | null {
    let node = skipTypeWrappers(expression);
    if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
    if (seen.has(node)) return null;
    seen.add(node);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(sourceCode, node);
        const value = variable && singleValueOf(variable);
        if (!value || isFunctionNode(value) || value.type === AST_NODE_TYPES.ClassDeclaration) return null;
        return rootFamily(value as TSESTree.Expression, seen);
      }
      case AST_NODE_TYPES.MemberExpression: {
        const field = classFieldValue(node);
        return field ? rootFamily(field, seen) : rootFamily(node.object, seen);
      }
      case AST_NODE_TYPES.NewExpression:
        return originFamily(node);
      case AST_NODE_TYPES.CallExpression: {
        const origin = originFamily(node);
        if (origin) return origin;
        const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
        return callee.type === AST_NODE_TYPES.MemberExpression ? rootFamily(callee.object, seen) : null;
      }
      default:
        return null;
    }
  }

  /** A catalogue resource (`new Pool()`, `pool.connect()`) or an HTTP client (`axios.create()`) made here. */
  function originFamily(node: Call): IoFamily | null {
    const mark = catalogue().get(node);
    if (mark && typeof mark === 'object' && CLIENT in mark) return (mark as { [CLIENT]: IoFamily })[CLIENT];
    const origin = resources.resourceAt(node);
    // A factory of the file is followed into, to the call that does the I/O (`fetch(…)`).
    if (!origin || origin.factory) return null;
    const id = origin.kind.id;
    const prefix = id.includes('.') ? id.slice(0, id.indexOf('.')) : id;
    return Object.hasOwn(resourceFamilies, prefix) ? resourceFamilies[prefix] : null;
  }

  /** The call's value is a promise: typed, its type; untyped, where it goes (awaited, returned, chained, collected). */
  function usedAsPromise(call: TSESTree.CallExpression): boolean {
    if (promises.isPromise(call)) return true;
    let node: TSESTree.Node = call;
    while (node.parent?.type === AST_NODE_TYPES.ChainExpression || node.parent?.type === AST_NODE_TYPES.TSAsExpression || node.parent?.type === AST_NODE_TYPES.TSNonNullExpression) {
      node = node.parent;
    }
    const parent = node.parent;
    switch (parent?.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.ReturnStatement:
        return true;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === node;
      case AST_NODE_TYPES.MemberExpression:
        return (
          parent.object === node &&
          !parent.computed &&
          parent.property.type === AST_NODE_TYPES.Identifier &&
          ['then', 'catch', 'finally'].includes(parent.property.name)
        );
      case AST_NODE_TYPES.CallExpression: {
        // `tasks.push(pool.query(…))`, `Promise.all([…])` hand the promise to something that waits for it.
        const callee = skipTypeWrappers(parent.callee as TSESTree.Expression);
        return (
          parent.callee !== node &&
          callee.type === AST_NODE_TYPES.MemberExpression &&
          !callee.computed &&
          callee.property.type === AST_NODE_TYPES.Identifier &&
          (callee.property.name === 'push' ||
            (callee.object.type === AST_NODE_TYPES.Identifier && callee.object.name === 'Promise' && isGlobalReference(sourceCode, callee.object)))
        );
      }
      default:
        return false;
    }
  }

  // ---- walking this file's code ----

  function functionIo(fn: FunctionNode, depth: number, unlimited: boolean): IoEvidence | null {
    let perQuery = functionMemo.get(fn);
    if (!perQuery) functionMemo.set(fn, (perQuery = new Map()));
    if (perQuery.has(unlimited)) return perQuery.get(unlimited)!;
    if (visiting.has(fn)) {
      truncated = true;
      return null;
    }
    visiting.add(fn);
    const outer = truncated;
    truncated = false;
    let result: IoEvidence | null = null;
    try {
      if (fn.body) {
        const walk = walkIo(fn.body, depth, unlimited);
        result = walk.found && !(unlimited && walk.acquires) ? walk.found : null;
      }
    } finally {
      visiting.delete(fn);
    }
    if (!truncated) perQuery.set(unlimited, result);
    truncated ||= outer;
    return result;
  }

  /**
   * The first I/O in a function body or expression: each call in it, and the function literals
   * passed to calls (callbacks, executors), but not nested functions only created or stored. With
   * `unlimited`, work handed to a limiter is skipped, and whether a permit is taken is noted.
   */
  function walkIo(root: TSESTree.Node, depth: number, unlimited: boolean): { found: IoEvidence | null; acquires: boolean } {
    let found: IoEvidence | null = null;
    let acquires = false;
    const visit = (node: TSESTree.Node): void => {
      if (found) return;
      if (node !== root && (isFunctionNode(node) || node.type === AST_NODE_TYPES.ClassBody)) {
        const parent = node.parent;
        const isArgument =
          (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
          (parent.arguments as TSESTree.Node[]).includes(node);
        if (!isArgument || (unlimited && isLimitedWork(parent, node))) return;
      }
      // Children first: a call's callee and arguments run before it, so the first I/O found is the first made.
      for (const key of sourceCode.visitorKeys[node.type] ?? []) {
        const value = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(value)) {
          for (const child of value) if (child) visit(child as TSESTree.Node);
        } else if (value) {
          visit(value as TSESTree.Node);
        }
      }
      if (!found && (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression)) {
        if (unlimited && node.type === AST_NODE_TYPES.CallExpression && limiters.useOf(node)?.type === 'acquire') acquires = true;
        found = callIo(node, depth, unlimited);
      }
    };
    visit(root);
    return { found, acquires };
  }

  /** A function given to a limiter to run under its limit (the limiter model's, or a callee named like one). */
  function isLimitedWork(call: Call, fn: TSESTree.Node): boolean {
    if (call.type === AST_NODE_TYPES.CallExpression) {
      const use = limiters.useOf(call);
      if (use) return use.work.includes(fn as TSESTree.Expression);
    }
    const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
    const name =
      callee.type === AST_NODE_TYPES.Identifier
        ? callee.name
        : callee.type === AST_NODE_TYPES.MemberExpression
          ? sourceCode.getText(callee)
          : '';
    return LIMITER_NAME.test(name);
  }

  // ---- typed: declarations anywhere in the program ----

  function typedCallFamily(node: ts.Node): IoFamily | null {
    if (!types || !(ts.isCallExpression(node) || ts.isNewExpression(node))) return null;
    const signature = types.checker.getResolvedSignature(node);
    const declaration = signature?.getDeclaration();
    if (!signature || !declaration) return null;
    const name = declarationName(declaration);
    const file = declaration.getSourceFile();
    if (name === 'fetch' && isGlobalLibrary(types, file)) return 'network';
    const returnsPromise = promises.isPromiseType(types.checker.getReturnTypeOfSignature(signature));
    const nodeModule = ambientModuleOf(declaration);
    if (nodeModule !== null) {
      const family = Object.hasOwn(ioNodeModules, nodeModule) ? ioNodeModules[nodeModule] : null;
      if (!family) return null;
      return returnsPromise || isCatalogueCall(nodeModule, name) ? family : null;
    }
    const family = packageFamily(file.fileName);
    return family && returnsPromise && !RELEASE_METHODS.has(name) ? family : null;
  }

  /** The function a call resolves to, when it is user code with a body (not a library's declaration). */
  function userDeclarationOf(services: TypeServices, node: ts.Node): ts.FunctionLikeDeclaration | null {
    if (!(ts.isCallExpression(node) || ts.isNewExpression(node))) return null;
    const declaration = services.checker.getResolvedSignature(node)?.getDeclaration();
    return declaration && isUserFunction(services, declaration) ? declaration : null;
  }

  function tsFunctionIo(services: TypeServices, fn: ts.FunctionLikeDeclaration, depth: number, unlimited: boolean): IoEvidence | null {
    let perQuery = functionMemo.get(fn);
    if (!perQuery) functionMemo.set(fn, (perQuery = new Map()));
    if (perQuery.has(unlimited)) return perQuery.get(unlimited)!;
    if (visiting.has(fn) || !fn.body) {
      truncated ||= visiting.has(fn);
      return null;
    }
    visiting.add(fn);
    const outer = truncated;
    truncated = false;
    let found: IoEvidence | null = null;
    let acquires = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (node !== fn && (ts.isFunctionLike(node) || ts.isClassLike(node))) {
        const parent: ts.Node = node.parent;
        const isArgument =
          (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && (parent.arguments ?? []).some((argument) => argument === node);
        if (!isArgument || (unlimited && isLimiterCall(services, parent))) return;
      }
      ts.forEachChild(node, visit);
      if (!found && (ts.isCallExpression(node) || ts.isNewExpression(node))) {
        if (unlimited && isLimiterCall(services, node) && /acquire/i.test(calleeText(node))) acquires = true;
        found = tsCallIo(services, node, depth, unlimited);
      }
    };
    try {
      visit(fn.body);
    } finally {
      visiting.delete(fn);
    }
    const result = found && !(unlimited && acquires) ? found : null;
    if (!truncated) perQuery.set(unlimited, result);
    truncated ||= outer;
    return result;
  }

  function tsCallIo(services: TypeServices, call: ts.CallExpression | ts.NewExpression, depth: number, unlimited: boolean): IoEvidence | null {
    const name = tsLabel(call);
    if (userCalls.some((entry) => entry === calleeText(call) || entry === calleeText(call).split('.').pop())) {
      return { family: 'declared', io: name, node: null, via: [] };
    }
    const family = typedCallFamily(call);
    if (family) return { family, io: name, node: null, via: [] };
    if (depth >= MAX_DEPTH) {
      truncated = true;
      return null;
    }
    const declaration = userDeclarationOf(services, call);
    return declaration ? through(name, tsFunctionIo(services, declaration, depth + 1, unlimited)) : null;
  }

  /** A call of a limiter library's API (`limit(fn)`, `queue.add(fn)`, `mutex.runExclusive(fn)`), by where it is declared. */
  function isLimiterCall(services: TypeServices, call: ts.Node): boolean {
    if (!(ts.isCallExpression(call) || ts.isNewExpression(call))) return false;
    const declaration = services.checker.getResolvedSignature(call)?.getDeclaration();
    const pkg = declaration && packageOf(declaration.getSourceFile().fileName);
    if (pkg && limiterPackages().has(pkg)) return true;
    return LIMITER_NAME.test(calleeText(call));
  }

  // ---- public ----

  return {
    typed: types !== undefined,
    ioOfCall(call, query = {}) {
      return callIo(call, 0, query.unlimited ?? false);
    },
    ioOfExpression(node, query = {}) {
      const unlimited = query.unlimited ?? false;
      const walk = walkIo(node, 0, unlimited);
      return walk.found;
    },
    ioOfFunction(node, query = {}) {
      const unlimited = query.unlimited ?? false;
      const fn = resolveFunction(sourceCode, node);
      if (fn) return functionIo(fn, 0, unlimited);
      if (!types) return null;
      const declaration = referencedUserFunction(types, types.tsNode(skipTypeWrappers(node)));
      return declaration ? tsFunctionIo(types, declaration, 0, unlimited) : null;
    },
  };
}

// ---- typed helpers ----

function declarationName(declaration: ts.Declaration): string {
  const name = ts.getNameOfDeclaration(declaration);
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : '';
}

function isGlobalLibrary(services: TypeServices, file: ts.SourceFile): boolean {
  return (
    services.program.isSourceFileDefaultLibrary(file) ||
    /[\\/]node_modules[\\/](@types[\\/]node|undici-types)[\\/]/.test(file.fileName)
  );
}

/** `declare module 'fs/promises' { … }` around a declaration of `@types/node`: the module's name, without `node:`. */
function ambientModuleOf(declaration: ts.Node): string | null {
  for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
    if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) return node.name.text.replace(/^node:/, '');
  }
  return null;
}

function isCatalogueCall(module: string, name: string): boolean {
  const shape = ioModules[module]?.calls;
  return shape !== undefined && shape[name] === true;
}

/** The package a declaration file belongs to: the last `node_modules/<name>` or `node_modules/@scope/<name>`; `@types/x` is `x`. */
export function packageOf(fileName: string): string | null {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(fileName);
  if (!match) return null;
  const name = match[1].replace(/\\/g, '/');
  if (name.startsWith('@types/')) {
    const inner = name.slice('@types/'.length);
    return inner.includes('__') ? `@${inner.replace('__', '/')}` : inner;
  }
  return name;
}

function packageFamily(fileName: string): IoFamily | null {
  const pkg = packageOf(fileName);
  if (!pkg) return null;
  if (Object.hasOwn(ioPackages, pkg)) return ioPackages[pkg];
  for (const [name, family] of Object.entries(ioPackages)) {
    if (name.endsWith('/') && pkg.startsWith(name)) return family;
  }
  return null;
}

let limiterPackageSet: Set<string> | undefined;
function limiterPackages(): Set<string> {
  return (limiterPackageSet ??= new Set([...limiterCatalogue.flatMap((kind) => kind.modules), ...limitedCalls.map((call) => call.module)]));
}

function isUserFunction(services: TypeServices, declaration: ts.Declaration): declaration is ts.FunctionLikeDeclaration {
  if (!ts.isFunctionLike(declaration) || !('body' in declaration) || !declaration.body) return false;
  const file = declaration.getSourceFile();
  return !file.isDeclarationFile && !services.program.isSourceFileFromExternalLibrary(file) && !/[\\/]node_modules[\\/]/.test(file.fileName);
}

/** `loadUser` (imported or not) → its function, when it is user code: a function declaration, or a variable holding a function literal. */
function referencedUserFunction(services: TypeServices, node: ts.Node): ts.FunctionLikeDeclaration | null {
  let symbol = services.checker.getSymbolAtLocation(node);
  if (symbol && tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias)) symbol = services.checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration;
  if (!declaration) return null;
  if (isUserFunction(services, declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    let init: ts.Expression = declaration.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
    if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && isUserFunction(services, init)) return init;
  }
  return null;
}

function calleeText(call: ts.CallExpression | ts.NewExpression): string {
  return call.expression.getText().replace(/\s+/g, '');
}

/** How messages name a call in another file: `` `repo.load(…)` ``, like `describeExpression`. */
function tsLabel(call: ts.CallExpression | ts.NewExpression): string {
  const callee = calleeText(call);
  if (/^[\w$.]+$/.test(callee) && callee.length <= 40) return ts.isNewExpression(call) ? `\`new ${callee}(…)\`` : `\`${callee}(…)\``;
  if (ts.isPropertyAccessExpression(call.expression)) return `\`….${call.expression.name.text}(…)\``;
  return ts.isNewExpression(call) ? 'a construction' : 'a call';
}

// ---- the catalogue as trace maps ----

let traceMaps: TraceMaps | undefined;

function traceMapOf(shape: ModuleShape, family: IoFamily): TraceMap {
  const map: TraceMap = {};
  for (const [name, value] of Object.entries(shape)) {
    map[name] = value === true ? { [CALL]: family, [READ]: family } : traceMapOf(value, family);
  }
  return map;
}

function buildTraceMaps(): TraceMaps {
  const modules: Record<string, TraceMap> = {};
  for (const [name, module] of Object.entries(ioModules)) {
    const map = traceMapOf(module.calls, module.family);
    if (module.callable) {
      // `import got from 'got'`: the default export is the module's function too.
      map[CALL] = module.family;
      map.default = { ...((map.default as TraceMap | undefined) ?? {}), [CALL]: module.family };
    }
    for (const [factory, value] of Object.entries(module.clients ?? {})) {
      const client = { [CALL]: { [CLIENT]: module.family } };
      if (value === true) map[factory] = { ...((map[factory] as TraceMap | undefined) ?? {}), ...client };
      else {
        const namespace = ((map[factory] as TraceMap | undefined) ??= {});
        for (const inner of Object.keys(value)) namespace[inner] = { ...((namespace[inner] as TraceMap | undefined) ?? {}), ...client };
      }
    }
    modules[name] = map;
  }
  for (const name of promisifyModules) modules[name] = { ...(modules[name] ?? {}), promisify: { [CALL]: PROMISIFY } };
  const globals: TraceMap = {};
  for (const [name, family] of Object.entries(ioGlobals)) globals[name] = { [CALL]: family };
  return { modules, globals };
}
