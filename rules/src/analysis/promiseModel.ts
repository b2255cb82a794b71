import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isBuiltinSymbolLike } from '@typescript-eslint/type-utils';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';
import {
  annotationOf,
  findDescendant,
  findVariable,
  importEqualsSource,
  isFunctionNode,
  isGlobalReference,
  isPromiseTypeAnnotation,
  resolveFunction,
  singleValueOf,
  skipTypeWrappers,
  type FunctionNode,
} from './bindings';
import {
  callableModules,
  nonPromiseThenableRoots,
  promiseGlobals,
  promiseModules,
  promisifyModules,
  type ModuleShape,
} from './promiseCatalogue';
import { CALL, traceReferences, type TraceMap, type TraceMaps } from './apiReferences';
import { calleePath, getSummaryModel } from './functionSummaries';
import { getTypeServices, type TypeServices } from './typeServices';

/**
 * "Is this a promise?" — asked by every rule, answered once per node. With a program the checker
 * decides; without one a syntactic model does: async functions, methods and arrows in the file,
 * well-known promise APIs (the catalogue), `.then/.catch/.finally` chains, `new Promise`, and
 * bindings and annotations that carry a promise.
 */
export interface PromiseModel {
  /** Whether answers come from the type checker. */
  readonly typed: boolean;
  readonly types: TypeServices | undefined;
  /** The expression may evaluate to a promise (or, with `checkThenables`, any thenable). */
  isPromise(node: TSESTree.Expression): boolean;
  /** Every value the expression can take is a promise: `Promise<T> | undefined` is not. */
  isAlwaysPromise(node: TSESTree.Expression): boolean;
  /** The expression is an array (or tuple) of promises, e.g. `items.map(async …)`. */
  isPromiseArray(node: TSESTree.Expression): boolean;
  /** An array of promises that is always an array: `Promise<T>[] | undefined` is not. */
  isAlwaysPromiseArray(node: TSESTree.Expression): boolean;
  /** The expression is a function whose calls return promises (an async callback). */
  returnsPromise(node: TSESTree.Expression): boolean;
  /**
   * The expression names a function whose promise cannot reject unhandled: an async function whose
   * awaits and throws all sit inside try/catch, or any function whose returned promises end in
   * `.catch(…)` (see `fnCannotReject`). Dropping its promise loses nothing but the timing.
   */
  cannotReject(node: TSESTree.Expression): boolean;
  /** The expression is callable — used to tell a real rejection handler from a stray value. */
  isCallable(node: TSESTree.Expression): boolean;
  /** A typed-mode check of a raw type, for rules that inspect signatures. */
  isPromiseType(type: ts.Type): boolean;
  /**
   * Typed: a union of promises and exactly the values they resolve to (`Promise<T> | T`), the shape
   * of a value that may not have been awaited yet — so its truthiness is a mistake, unlike
   * `Promise<T> | undefined`. Untyped: never.
   */
  isPromiseOrItsResult(node: TSESTree.Expression): boolean;
}

export interface PromiseModelOptions {
  /** Count any thenable (an object with a two-callback `then`) as a promise, not only `Promise`. */
  checkThenables: boolean;
  /**
   * Untyped only: which exports of a relative import are promise-returning functions. Injected so
   * that this model stays free of I/O; the rules pass `readPromiseExports` from `io/`.
   */
  promiseExportsOf?: (fromFile: string, specifier: string) => ReadonlySet<string> | null;
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;


function traceMapOf(shape: ModuleShape, callableRoot: boolean): TraceMap {
  const map: TraceMap = {};
  if (callableRoot) map[CALL] = true;
  for (const [name, value] of Object.entries(shape)) {
    map[name] = value === true ? { [CALL]: true } : traceMapOf(value, false);
  }
  return map;
}

/** Calls of catalogue APIs in this file, found once per file. */
function findCatalogueCalls(sourceCode: Readonly<TSESLint.SourceCode>): {
  promiseCalls: Set<TSESTree.Node>;
  promisifyCalls: Set<TSESTree.Node>;
} {
  const promiseCalls = new Set<TSESTree.Node>();
  const promisifyCalls = new Set<TSESTree.Node>();
  for (const [node, info] of traceReferences(sourceCode, (traceMaps ??= buildTraceMaps()))) {
    (info === 'promisify' ? promisifyCalls : promiseCalls).add(node);
  }
  return { promiseCalls, promisifyCalls };
}

/** The catalogue as eslint-utils trace maps; static, so built once per process. */
let traceMaps: TraceMaps | undefined;

function buildTraceMaps(): TraceMaps {
  const modules: Record<string, TraceMap> = {};
  for (const [name, shape] of Object.entries(promiseModules)) {
    modules[name] = traceMapOf(shape, callableModules.has(name));
  }
  for (const name of promisifyModules) modules[name] = { promisify: { [CALL]: 'promisify' } };
  return { modules, globals: traceMapOf(promiseGlobals, false) };
}

const models = new WeakMap<object, Map<string, PromiseModel>>();

/** The model for this file; built on first use and shared by every rule that lints the file. */
export function getPromiseModel(context: Context, options: PromiseModelOptions = { checkThenables: false }): PromiseModel {
  const sourceCode = context.sourceCode;
  let perOption = models.get(sourceCode);
  if (!perOption) models.set(sourceCode, (perOption = new Map()));
  // Rules that ask with different options must not share one model (a model built without the
  // export reader would not see imported async functions).
  const key = `${options.checkThenables}:${options.promiseExportsOf ? 'reads-imports' : 'file-only'}`;
  let model = perOption.get(key);
  if (!model) {
    model = createPromiseModel(sourceCode, getTypeServices(context), options, context.filename);
    perOption.set(key, model);
  }
  return model;
}

function createPromiseModel(
  sourceCode: Readonly<TSESLint.SourceCode>,
  types: TypeServices | undefined,
  options: PromiseModelOptions,
  filename: string,
): PromiseModel {
  let catalogue: ReturnType<typeof findCatalogueCalls> | undefined;
  const catalogueCalls = () => (catalogue ??= findCatalogueCalls(sourceCode));
  const promiseCache = new WeakMap<TSESTree.Node, boolean>();
  const functionCache = new WeakMap<FunctionNode, boolean>();
  const arrayCache = new WeakMap<TSESTree.Node, { some: boolean; every: boolean }>();

  // ---- typed ----

  function isPromiseType(type: ts.Type): boolean {
    if (!types) return false;
    const parts = tsutils.unionConstituents(types.checker.getApparentType(type));
    if (parts.some((part) => isBuiltinSymbolLike(types.program, part, 'Promise'))) return true;
    if (!options.checkThenables) return false;
    // A thenable counts only when its `then` takes a rejection callback, as typescript-eslint does.
    return parts.some((part) => {
      const then = part.getProperty('then');
      if (!then) return false;
      const thenType = types.checker.getTypeOfSymbol(then);
      return tsutils
        .unionConstituents(thenType)
        .some((t) => t.getCallSignatures().some((signature) => signature.parameters.length >= 2));
    });
  }

  function typedReturnsPromise(type: ts.Type): boolean {
    return tsutils
      .unionConstituents(type)
      .some((part) => part.getCallSignatures().some((signature) => isPromiseType(signature.getReturnType())));
  }

  function typedIsPromiseArray(type: ts.Type, members: 'some' | 'every' = 'some'): boolean {
    if (!types) return false;
    const checker = types.checker;
    // A type parameter stands for its constraint: `T extends Promise<void>[]` is an array of promises.
    const parts = tsutils.unionConstituents(type).map((part) => checker.getApparentType(part));
    const isArray = (part: ts.Type) => checker.isArrayType(part) || checker.isTupleType(part);
    if (members === 'every' && !parts.every(isArray)) return false;
    return parts.some((part) => {
      if (checker.isTupleType(part)) return checker.getTypeArguments(part as ts.TypeReference).some(isPromiseType);
      if (checker.isArrayType(part)) {
        const [element] = checker.getTypeArguments(part as ts.TypeReference);
        return element !== undefined && isPromiseType(element);
      }
      return false;
    });
  }

  // ---- syntactic ----

  function functionReturnsPromise(fn: FunctionNode): boolean {
    const cached = functionCache.get(fn);
    if (cached !== undefined) return cached;
    functionCache.set(fn, false); // recursion guard
    let result: boolean;
    if (fn.generator) result = false;
    else if (fn.async || annotatesPromise(fn.returnType?.typeAnnotation)) result = true;
    else if (fn.body?.type === AST_NODE_TYPES.BlockStatement) result = alwaysReturnsPromise(fn.body);
    else result = fn.body ? syntacticIsPromise(fn.body) : false;
    functionCache.set(fn, result);
    return result;
  }

  /**
   * A plain function counts as promise-returning only when every way out returns a promise: dual
   * APIs (`close(cb)` returns a promise only when no callback is given) must not be mistaken.
   */
  function alwaysReturnsPromise(body: TSESTree.BlockStatement): boolean {
    const last = body.body[body.body.length - 1];
    if (last?.type !== AST_NODE_TYPES.ReturnStatement && last?.type !== AST_NODE_TYPES.ThrowStatement) return false;
    let sawPromise = false;
    const allPromises = !someReturn(sourceCode, body, (argument) => {
      if (argument && syntacticIsAlwaysPromise(argument)) {
        sawPromise = true;
        return false;
      }
      return true;
    });
    return allPromises && sawPromise;
  }

  // ---- evidence from TypeScript syntax, for a .ts file linted without a program ----

  /** `Promise<T>`, `PromiseLike<T>`, or a type alias of the file that is one (`type Job<T> = Promise<T>`). */
  function annotatesPromise(type: TSESTree.TypeNode | null | undefined, depth = 0): boolean {
    if (!type || depth > 4) return false;
    if (isPromiseTypeAnnotation(type)) return true;
    if (type.type === AST_NODE_TYPES.TSUnionType) return type.types.some((member) => annotatesPromise(member, depth + 1));
    const declaration = type.type === AST_NODE_TYPES.TSTypeReference && type.typeName.type === AST_NODE_TYPES.Identifier ? typeDeclaration(type.typeName.name) : null;
    return declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration && annotatesPromise(declaration.typeAnnotation, depth + 1);
  }

  /** The interface, type alias or class of this name declared at the file's top level (exported or not). */
  function typeDeclaration(name: string): TSESTree.TSInterfaceDeclaration | TSESTree.TSTypeAliasDeclaration | TSESTree.ClassDeclaration | null {
    for (const statement of sourceCode.ast.body) {
      const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
      if (
        (declaration?.type === AST_NODE_TYPES.TSInterfaceDeclaration || declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration || declaration?.type === AST_NODE_TYPES.ClassDeclaration) &&
        declaration.id?.name === name
      ) {
        return declaration;
      }
    }
    return null;
  }

  /**
   * `repo.save()` where `repo: Repo` and the file's `interface Repo { save(): Promise<void> }` (or a
   * type literal, a class, `this.repo` declared as a field or a constructor parameter property).
   */
  function declaredMemberReturnsPromise(member: TSESTree.MemberExpression): boolean {
    if (member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return false;
    const name = member.property.name;
    const annotation = declaredTypeOf(skipTypeWrappers(member.object));
    const members = annotation && typeMembers(annotation);
    if (!members) return false;
    for (const element of members) {
      if (element.type === AST_NODE_TYPES.TSMethodSignature && !element.computed && element.key.type === AST_NODE_TYPES.Identifier && element.key.name === name) {
        return annotatesPromise(element.returnType?.typeAnnotation);
      }
      if (element.type === AST_NODE_TYPES.TSPropertySignature && !element.computed && element.key.type === AST_NODE_TYPES.Identifier && element.key.name === name) {
        const type = element.typeAnnotation?.typeAnnotation;
        return type?.type === AST_NODE_TYPES.TSFunctionType && annotatesPromise(type.returnType?.typeAnnotation);
      }
      if (
        (element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.TSAbstractMethodDefinition) &&
        !element.computed &&
        element.key.type === AST_NODE_TYPES.Identifier &&
        element.key.name === name &&
        !element.static
      ) {
        return !element.value.generator && (element.value.async || annotatesPromise(element.value.returnType?.typeAnnotation));
      }
    }
    return false;
  }

  /** The declared type of a receiver: a binding's annotation, or `this.f`'s field or parameter-property annotation. */
  function declaredTypeOf(receiver: TSESTree.Expression): TSESTree.TypeNode | null {
    if (receiver.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, receiver);
      return variable ? annotationOf(variable) : null;
    }
    if (receiver.type !== AST_NODE_TYPES.MemberExpression || receiver.computed || receiver.object.type !== AST_NODE_TYPES.ThisExpression || receiver.property.type !== AST_NODE_TYPES.Identifier) {
      return null;
    }
    const field = receiver.property.name;
    let body: TSESTree.Node | undefined = receiver.parent;
    while (body && body.type !== AST_NODE_TYPES.ClassBody) body = body.parent;
    if (!body) return null;
    for (const element of body.body) {
      if (element.type === AST_NODE_TYPES.PropertyDefinition && !element.computed && element.key.type === AST_NODE_TYPES.Identifier && element.key.name === field) {
        return element.typeAnnotation?.typeAnnotation ?? null;
      }
      if (element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor') {
        for (const param of element.value.params) {
          if (param.type === AST_NODE_TYPES.TSParameterProperty && param.parameter.type === AST_NODE_TYPES.Identifier && param.parameter.name === field) {
            return param.parameter.typeAnnotation?.typeAnnotation ?? null;
          }
        }
      }
    }
    return null;
  }

  function typeMembers(type: TSESTree.TypeNode): readonly TSESTree.Node[] | null {
    if (type.type === AST_NODE_TYPES.TSTypeLiteral) return type.members;
    if (type.type !== AST_NODE_TYPES.TSTypeReference || type.typeName.type !== AST_NODE_TYPES.Identifier) return null;
    const declaration = typeDeclaration(type.typeName.name);
    if (declaration?.type === AST_NODE_TYPES.TSInterfaceDeclaration) return declaration.body.body;
    if (declaration?.type === AST_NODE_TYPES.ClassDeclaration) return declaration.body.body;
    if (declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration && declaration.typeAnnotation.type === AST_NODE_TYPES.TSTypeLiteral) return declaration.typeAnnotation.members;
    return null;
  }

  function syntacticIsPromise(expression: TSESTree.Expression): boolean {
    const node = skipTypeWrappers(expression);
    const cached = promiseCache.get(node);
    if (cached !== undefined) return cached;
    promiseCache.set(node, false); // recursion guard for self-referencing bindings
    const result = computeSyntactic(node);
    promiseCache.set(node, result);
    return result;
  }

  function computeSyntactic(node: TSESTree.Expression): boolean {
    switch (node.type) {
      case AST_NODE_TYPES.NewExpression:
        return (
          node.callee.type === AST_NODE_TYPES.Identifier &&
          node.callee.name === 'Promise' &&
          isGlobalReference(sourceCode, node.callee)
        );
      case AST_NODE_TYPES.ImportExpression:
        return true;
      case AST_NODE_TYPES.CallExpression:
        return callReturnsPromise(node);
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(sourceCode, node);
        if (!variable) return false;
        if (isPromiseTypeAnnotation(annotationOf(variable))) return true;
        const value = singleValueOf(variable);
        return value !== null && isExpression(value) && !isFunctionNode(value) && syntacticIsPromise(value);
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return syntacticIsPromise(node.consequent) || syntacticIsPromise(node.alternate);
      case AST_NODE_TYPES.LogicalExpression:
        return syntacticIsPromise(node.left) || syntacticIsPromise(node.right);
      case AST_NODE_TYPES.SequenceExpression:
        return syntacticIsPromise(node.expressions[node.expressions.length - 1]);
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' && syntacticIsPromise(node.right);
      default:
        return false;
    }
  }

  /** Stricter than `syntacticIsPromise`: true only when every way the value can come out is a promise. */
  function syntacticIsAlwaysPromise(expression: TSESTree.Expression): boolean {
    const node = skipTypeWrappers(expression);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(sourceCode, node);
        if (!variable) return false;
        const annotation = annotationOf(variable);
        if (annotation) return isPromiseTypeAnnotation(annotation, 'every');
        const value = singleValueOf(variable);
        return value !== null && isExpression(value) && !isFunctionNode(value) && syntacticIsAlwaysPromise(value);
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return syntacticIsAlwaysPromise(node.consequent) && syntacticIsAlwaysPromise(node.alternate);
      case AST_NODE_TYPES.LogicalExpression:
        return false;
      case AST_NODE_TYPES.SequenceExpression:
        return syntacticIsAlwaysPromise(node.expressions[node.expressions.length - 1]);
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' && syntacticIsAlwaysPromise(node.right);
      default:
        return syntacticIsPromise(node);
    }
  }

  /** The checker knows nothing about this value (`any`, or an unresolved import): let the syntactic model try. */
  function typeOfKnown(node: TSESTree.Expression): ts.Type | undefined {
    const type = types!.typeOf(node);
    return tsutils.isTypeFlagSet(type, ts.TypeFlags.Any) ? undefined : type;
  }

  function callReturnsPromise(call: TSESTree.CallExpression): boolean {
    if (catalogueCalls().promiseCalls.has(call)) return true;
    const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      const method = callee.property.name;
      if (method === 'then' || method === 'catch' || method === 'finally') {
        // A `.then(fn)` / `.catch(fn)` / `.finally(fn)` with a callback is a promise chain in practice,
        // even when the receiver's origin is out of sight.
        if (syntacticIsPromise(callee.object)) return true;
        return call.arguments.some((arg) => isFunctionNode(arg)) && !isRootedInNonPromiseThenable(callee.object);
      }
    }
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, callee);
      const value = variable && singleValueOf(variable);
      if (value && catalogueCalls().promisifyCalls.has(value)) return true;
      const declared = variable?.defs[0]?.node;
      if (declared?.type === AST_NODE_TYPES.TSDeclareFunction) {
        return !declared.generator && (declared.async || annotatesPromise(declared.returnType?.typeAnnotation));
      }
      if (variable && variable.defs[0]?.type === 'Parameter') {
        const annotation = annotationOf(variable);
        if (annotation?.type === AST_NODE_TYPES.TSFunctionType) {
          return annotatesPromise(annotation.returnType?.typeAnnotation);
        }
      }
    }
    const fn = resolveFunction(sourceCode, callee);
    if (fn) return functionReturnsPromise(fn);
    if (callee.type === AST_NODE_TYPES.MemberExpression && declaredMemberReturnsPromise(callee)) return true;
    return isImportedPromiseFunction(callee);
  }

  /** `import { save } from './store.js'; save()` or `store.save()` of `import * as store`, or a require. */
  function isImportedPromiseFunction(callee: TSESTree.Expression): boolean {
    if (!options.promiseExportsOf) return false;
    let binding: TSESTree.Identifier;
    let exported: string | null = null;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      binding = callee;
    } else if (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      !callee.computed &&
      callee.property.type === AST_NODE_TYPES.Identifier &&
      callee.object.type === AST_NODE_TYPES.Identifier
    ) {
      binding = callee.object;
      exported = callee.property.name;
    } else {
      return false;
    }
    const def = findVariable(sourceCode, binding)?.defs[0];
    if (!def) return false;
    let specifier: string | null = null;
    if (def.type === 'ImportBinding' && def.node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
      // `import store = require('./store')` is `const store = require('./store')`.
      specifier = importEqualsSource(def.node);
      exported ??= 'default';
    } else if (def.type === 'ImportBinding') {
      specifier = (def.parent as TSESTree.ImportDeclaration).source.value;
      const node = def.node;
      if (node.type === AST_NODE_TYPES.ImportSpecifier) {
        if (exported !== null) return false; // a member of a named import: not an export of the module
        exported = node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : node.imported.value;
      } else if (node.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
        if (exported !== null) return false;
        exported = 'default';
      }
    } else if (def.type === 'Variable' && def.node.init?.type === AST_NODE_TYPES.CallExpression) {
      const init = def.node.init;
      const [argument] = init.arguments;
      if (
        init.callee.type !== AST_NODE_TYPES.Identifier ||
        init.callee.name !== 'require' ||
        argument?.type !== AST_NODE_TYPES.Literal ||
        typeof argument.value !== 'string'
      ) {
        return false;
      }
      specifier = argument.value;
      if (def.node.id.type === AST_NODE_TYPES.ObjectPattern) {
        if (exported !== null) return false;
        const property = def.node.id.properties.find(
          (p) => p.type === AST_NODE_TYPES.Property && p.value.type === AST_NODE_TYPES.Identifier && p.value.name === binding.name,
        );
        exported = property?.type === AST_NODE_TYPES.Property && property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : null;
      } else if (exported === null) {
        exported = 'default';
      }
    }
    if (specifier === null || exported === null) return false;
    return options.promiseExportsOf(filename, specifier)?.has(exported) ?? false;
  }

  function isRootedInNonPromiseThenable(expression: TSESTree.Expression): boolean {
    let root = skipTypeWrappers(expression);
    while (root.type === AST_NODE_TYPES.MemberExpression || root.type === AST_NODE_TYPES.CallExpression) {
      root = skipTypeWrappers(root.type === AST_NODE_TYPES.MemberExpression ? root.object : (root.callee as TSESTree.Expression));
    }
    return root.type === AST_NODE_TYPES.Identifier && nonPromiseThenableRoots.has(root.name) && isGlobalReference(sourceCode, root);
  }

  /**
   * Syntactically an array of promises: a literal holding one, `xs.map(async …)`, or a binding of
   * either (or, with `members: 'some'`, a binding annotated `Promise<T>[] | undefined`).
   */
  function syntacticIsPromiseArray(expression: TSESTree.Expression, members: 'some' | 'every' = 'some'): boolean {
    const node = skipTypeWrappers(expression);
    const cached = arrayCache.get(node);
    if (cached !== undefined) return cached[members];
    arrayCache.set(node, { some: false, every: false }); // recursion guard: `const a = b, b = a`
    const result = syntacticPromiseArrayOf(node);
    arrayCache.set(node, result);
    return result[members];
  }

  function syntacticPromiseArrayOf(node: TSESTree.Expression): { some: boolean; every: boolean } {
    const both = (value: boolean) => ({ some: value, every: value });
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, node);
      const annotation = variable && annotationOf(variable);
      const value = variable && singleValueOf(variable);
      const bound = value !== null && isExpression(value) && syntacticIsPromiseArray(value);
      return {
        some: bound || (annotation !== null && isPromiseArrayAnnotation(annotation, 'some')),
        every: bound || (annotation !== null && isPromiseArrayAnnotation(annotation, 'every')),
      };
    }
    return both(syntacticIsPromiseArrayValue(node));
  }

  function syntacticIsPromiseArrayValue(node: TSESTree.Expression): boolean {
    if (node.type === AST_NODE_TYPES.SequenceExpression) return syntacticIsPromiseArray(node.expressions[node.expressions.length - 1]);
    if (node.type === AST_NODE_TYPES.ArrayExpression) {
      return node.elements.some(
        (element) => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && syntacticIsPromise(element),
      );
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
      const mapper = isMapCall(callee, node);
      return mapper !== null && syntacticReturnsPromise(mapper);
    }
    return false;
  }

  function syntacticReturnsPromise(expression: TSESTree.Expression): boolean {
    const bound = boundTarget(expression);
    if (bound) return syntacticReturnsPromise(bound);
    const fn = resolveFunction(sourceCode, expression);
    if (fn) return functionReturnsPromise(fn);
    const node = skipTypeWrappers(expression);
    if (node.type === AST_NODE_TYPES.MemberExpression) return declaredMemberReturnsPromise(node);
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, node);
      const value = variable && singleValueOf(variable);
      return value !== null && catalogueCalls().promisifyCalls.has(value);
    }
    return false;
  }

  // ---- public, typed first ----

  /**
   * Expressions whose value is never a function, whatever their types: asking the checker about
   * them costs time (after each edit, a type query pays for lazy checking) and cannot say yes.
   */
  function neverCallable(node: TSESTree.Expression): boolean {
    const inner = skipTypeWrappers(node);
    return inner.type === AST_NODE_TYPES.ArrayExpression || (isNeverPromiseShape(inner) && !isFunctionNode(inner));
  }

  function isPromise(node: TSESTree.Expression): boolean {
    if (types && isNeverPromiseShape(node)) return false;
    const type = types && typeOfKnown(node);
    if (type) return isPromiseType(type);
    // Untyped, an assertion is evidence: `load() as Promise<Row>`, `<Promise<Row>>load()`.
    if ((node.type === AST_NODE_TYPES.TSAsExpression || node.type === AST_NODE_TYPES.TSTypeAssertion) && annotatesPromise(node.typeAnnotation)) return true;
    return syntacticIsPromise(node);
  }

  function isCallable(node: TSESTree.Expression): boolean {
    const inner = skipTypeWrappers(node);
    if (isFunctionNode(inner)) return true;
    if (types) {
      const type = types.typeOf(node);
      if (tsutils.isTypeFlagSet(type, 1 /* Any */ | 2 /* Unknown */)) return true;
      return tsutils.unionConstituents(type).every((part) => part.getCallSignatures().length > 0);
    }
    // Without types, a name or member could hold a function; only literals plainly cannot.
    switch (inner.type) {
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.ObjectExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.ClassExpression:
        return false;
      case AST_NODE_TYPES.Identifier:
        return inner.name !== 'undefined' || !isGlobalReference(sourceCode, inner);
      case AST_NODE_TYPES.UnaryExpression:
        return false;
      default:
        return true;
    }
  }

  /** `….catch(handler)` or `….then(onFulfilled, onRejected)`: whatever the receiver, its rejection is handled. */
  function endsInRejectionHandler(node: TSESTree.Expression): boolean {
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = skipTypeWrappers(node.callee as TSESTree.Expression);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return false;
    const index = callee.property.name === 'catch' ? 0 : callee.property.name === 'then' ? 1 : -1;
    const handler = node.arguments[index];
    return handler !== undefined && handler.type !== AST_NODE_TYPES.SpreadElement && isCallable(handler);
  }

  /**
   * Whether calling this function can only fail the way any synchronous code can: an async function
   * whose every `await` (`for await`, `await using`) and `throw` sits in the `try` block of a
   * try/catch, and whose returned promises (`return p` passes p's rejection through any `try`) have
   * their rejection handled; or a plain function whose returned promises do. A throw from an ordinary
   * call outside the `try` (an `assert`, a getter) is not counted: it would escape a synchronous
   * function just the same. An async function must show error handling (a try/catch, or a returned
   * chain ending in `.catch`): a stub (`async save() {}`) stands for work that can fail.
   */
  function fnCannotReject(fn: FunctionNode, depth = 0): boolean {
    if (fn.generator || !fn.body) return false;
    const body = fn.body;
    const handled = (argument: TSESTree.Expression | null) =>
      argument === null || skipTypeWrappers(argument).type === AST_NODE_TYPES.AwaitExpression || rejectionHandled(argument, depth);
    const handledChain = (argument: TSESTree.Expression | null) =>
      argument !== null && (isPromise(argument) || endsInRejectionHandler(skipTypeWrappers(argument)));
    if (body.type !== AST_NODE_TYPES.BlockStatement) {
      return handled(body) && (!fn.async || (!hasUnguarded(sourceCode, fn, body) && handledChain(body)));
    }
    if (someReturn(sourceCode, body, (argument) => !handled(argument))) return false;
    if (!fn.async) return true;
    if (hasUnguarded(sourceCode, fn, body)) return false;
    return (
      findDescendant(sourceCode, body, (node) => node.type === AST_NODE_TYPES.TryStatement && node.handler !== null) !== null ||
      someReturn(sourceCode, body, handledChain)
    );
  }

  /** The value of `expression`, if a promise, cannot reject unhandled (see `fnCannotReject`). */
  function rejectionHandled(expression: TSESTree.Expression, depth: number): boolean {
    const node = skipTypeWrappers(expression);
    if (node.type === AST_NODE_TYPES.ConditionalExpression) {
      return rejectionHandled(node.consequent, depth) && rejectionHandled(node.alternate, depth);
    }
    if (endsInRejectionHandler(node) || !isPromise(node)) return true;
    // One or two hops through helpers (`() => this.connect()`), never around a cycle.
    if (node.type !== AST_NODE_TYPES.CallExpression || depth >= 2) return false;
    const fn = resolveFunction(sourceCode, node.callee as TSESTree.Expression);
    return fn !== null && fnCannotReject(fn, depth + 1);
  }

  return {
    typed: types !== undefined,
    types,
    isPromiseType,
    isPromise,
    isAlwaysPromise(node) {
      if (types && isNeverPromiseShape(node)) return false;
      const type = types && typeOfKnown(node);
      return type ? tsutils.unionConstituents(type).every(isPromiseType) : syntacticIsAlwaysPromise(node);
    },
    isPromiseArray(node) {
      if (types && isNeverPromiseShape(node)) return false;
      const type = types && typeOfKnown(node);
      return type ? typedIsPromiseArray(type) : syntacticIsPromiseArray(node);
    },
    isAlwaysPromiseArray(node) {
      if (types && isNeverPromiseShape(node)) return false;
      const type = types && typeOfKnown(node);
      return type ? typedIsPromiseArray(type, 'every') : syntacticIsPromiseArray(node, 'every');
    },
    returnsPromise(node) {
      const inner = skipTypeWrappers(node);
      // A literal `async` function is a promise-returning function whatever the checker says.
      if (isFunctionNode(inner) && inner.async && !inner.generator) return true;
      if (neverCallable(inner)) return false;
      const type = types && typeOfKnown(node);
      return type ? typedReturnsPromise(type) : syntacticReturnsPromise(node);
    },
    cannotReject(node) {
      const fn = resolveFunction(sourceCode, boundTarget(node) ?? node);
      return fn !== null && fnCannotReject(fn);
    },
    isCallable,
    isPromiseOrItsResult(node) {
      if (!types || isNeverPromiseShape(node)) return false;
      const { checker } = types;
      const parts = tsutils.unionConstituents(checker.getApparentType(types.typeOf(node)));
      const promises = parts.filter(isPromiseType);
      if (promises.length === 0 || promises.length === parts.length) return false;
      const results = promises.flatMap((promise) => tsutils.unionConstituents(checker.getAwaitedType(promise) ?? promise));
      const same = (a: ts.Type, b: ts.Type) => checker.isTypeAssignableTo(a, b) && checker.isTypeAssignableTo(b, a);
      const others = parts.filter((part) => !promises.includes(part));
      return others.every((other) => results.some((result) => same(other, result))) && results.every((result) => others.some((other) => same(other, result)));
    },
  };
}

/**
 * Expressions whose value is never a promise nor an array, whatever their types: a literal, an
 * object, a function, an operator's result. Answered without the checker.
 */
export function isNeverPromiseShape(node: TSESTree.Expression): boolean {
  switch (skipTypeWrappers(node).type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.ClassExpression:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.UpdateExpression:
    case AST_NODE_TYPES.JSXElement:
    case AST_NODE_TYPES.JSXFragment:
      return true;
    default:
      return false;
  }
}

/**
 * `Promise<T>[]`, `Array<Promise<T>>`, `readonly Promise<T>[]` or a tuple with a promise in it,
 * written as a type; with `members: 'some'` also one member of a union (`Promise<T>[] | undefined`).
 */
function isPromiseArrayAnnotation(type: TSESTree.TypeNode, members: 'some' | 'every'): boolean {
  switch (type.type) {
    case AST_NODE_TYPES.TSArrayType:
      return isPromiseTypeAnnotation(type.elementType);
    case AST_NODE_TYPES.TSTupleType:
      return type.elementTypes.some((element) => isPromiseTypeAnnotation(element.type === AST_NODE_TYPES.TSNamedTupleMember ? element.elementType : element));
    case AST_NODE_TYPES.TSTypeOperator:
      return type.operator === 'readonly' && type.typeAnnotation !== undefined && isPromiseArrayAnnotation(type.typeAnnotation, members);
    case AST_NODE_TYPES.TSTypeReference: {
      const name = type.typeName.type === AST_NODE_TYPES.Identifier ? type.typeName.name : null;
      const [element] = type.typeArguments?.params ?? [];
      return (name === 'Array' || name === 'ReadonlyArray') && element !== undefined && isPromiseTypeAnnotation(element);
    }
    case AST_NODE_TYPES.TSUnionType:
      return members === 'some'
        ? type.types.some((member) => isPromiseArrayAnnotation(member, members))
        : type.types.every((member) => isPromiseArrayAnnotation(member, members));
    default:
      return false;
  }
}

/** `xs.map(fn)` / `Array.from(xs, fn)` → the mapper `fn`, else null. */
export function isMapCall(callee: TSESTree.Expression, call: TSESTree.CallExpression): TSESTree.Expression | null {
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return null;
  const name = callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
  const argument = (index: number) => {
    const arg = call.arguments[index];
    return arg && arg.type !== AST_NODE_TYPES.SpreadElement ? arg : null;
  };
  if (name === 'map' || name === 'flatMap') return argument(0);
  if (name === 'from' && callee.object.type === AST_NODE_TYPES.Identifier && callee.object.name === 'Array') return argument(1);
  return null;
}

/** An `await`, `for await`, `await using` or `throw`: where an async function's promise rejects. */
function isRejectionPoint(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.AwaitExpression ||
    node.type === AST_NODE_TYPES.ThrowStatement ||
    (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
    (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'await using')
  );
}

/** A rejection point of `fn`'s own body (not of nested functions) that no enclosing try/catch guards. */
function hasUnguarded(sourceCode: Readonly<TSESLint.SourceCode>, fn: FunctionNode, root: TSESTree.Node): boolean {
  // In an async function a synchronous throw rejects too: `JSON.parse`, `new URL`, a helper that
  // throws (the exception model's `throwsSynchronously`), outside the try/catch. An assertion
  // states an invariant, and cleanup in a catch clause (`writer.destroy(err)`) is the handling
  // itself, not a failure to handle (the precision audit's undici writer).
  const summaries = getSummaryModel(sourceCode);
  const throws = (node: TSESTree.Node) =>
    (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) &&
    !/^assert\b/.test(calleePath(node)) &&
    !insideCatchClause(node, fn) &&
    summaries.throwsSynchronously(node) === 'yes';
  return findDescendant(sourceCode, root, (node) => (isRejectionPoint(node) || throws(node)) && !insideTryWithCatch(node, fn)) !== null;
}

function insideCatchClause(node: TSESTree.Node, fn: FunctionNode): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return true;
  }
  return false;
}

function insideTryWithCatch(node: TSESTree.Node, fn: FunctionNode): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.handler && current.block === child) return true;
  }
  return false;
}

function isExpression(node: TSESTree.Node): node is TSESTree.Expression {
  return node.type !== AST_NODE_TYPES.FunctionDeclaration && node.type !== AST_NODE_TYPES.ClassDeclaration;
}

/** Whether some `return` of this function body (not of nested functions or classes) satisfies the predicate. */
function someReturn(
  sourceCode: Readonly<TSESLint.SourceCode>,
  body: TSESTree.BlockStatement,
  predicate: (argument: TSESTree.Expression | null) => boolean,
): boolean {
  return findDescendant(sourceCode, body, (node) => node.type === AST_NODE_TYPES.ReturnStatement && predicate(node.argument)) !== null;
}

/** `fn.bind(this)`, `this.work.bind(this, a)` → what is bound: the same function, called later. */
function boundTarget(expression: TSESTree.Expression): TSESTree.Expression | null {
  const node = skipTypeWrappers(expression);
  if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const callee = node.callee;
  return !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'bind' ? callee.object : null;
}
