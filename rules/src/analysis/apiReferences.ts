import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isBuiltin } from 'node:module';
import { importEqualsSource, visitDescendants } from './bindings';

/**
 * Where a file uses a catalogue's APIs: eslint-utils' reference tracker over imports (named,
 * default and namespace, CommonJS exports also under `default`), destructuring and aliases, with
 * globals (`fetch`, `setInterval`, `require`) followed from the file's unresolved references, since
 * a config need not declare them. The tracker only knows the global `require`; this file adds what
 * it does not: `import x = require('m')`, interop helpers around `require`, the require
 * `createRequire` makes (whatever it is called), `await import('m')`, and Node.js built-ins under
 * both their bare and `node:` names. Re-exports are not followed, in the file or through a relative
 * module. Shared by every catalogue's model; each passes its own trace maps.
 */
export type TraceMap = Record<string | symbol, unknown>;

export const CALL = ASTUtils.ReferenceTracker.CALL;
export const CONSTRUCT = ASTUtils.ReferenceTracker.CONSTRUCT;

export interface TraceMaps {
  /** Module specifier → trace map of its exports. */
  modules: Record<string, TraceMap>;
  /** Global name → trace map. */
  globals: TraceMap;
}

/** Every call or construction the maps mark, with the `info` value the map put there. */
export function traceReferences(sourceCode: Readonly<TSESLint.SourceCode>, maps: TraceMaps): Map<TSESTree.Node, unknown> {
  const globalScope = sourceCode.getScope(sourceCode.ast);
  const tracker = new ASTUtils.ReferenceTracker(globalScope, { mode: 'legacy' });
  const modules = modulesWithLoaders(maps.modules);
  const found = new Map<TSESTree.Node, unknown>();
  /** Calls of `createRequire` (from `module`/`node:module`), whose results load modules like `require`. */
  const loaderFactories: TSESTree.Node[] = [];
  const collect = (references: Iterable<{ node: TSESTree.Node; info: unknown }>) => {
    for (const reference of references) {
      if (reference.info === CREATE_REQUIRE) loaderFactories.push(reference.node);
      else found.set(reference.node, reference.info);
    }
  };
  // eslint-utils' trace maps are loosely typed, and `iteratePropertyReferences` is missing from its types.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const track = (node: TSESTree.Node, map: TraceMap) =>
    (tracker as any).iteratePropertyReferences(node, map) as Iterable<{ node: TSESTree.Node; info: unknown }>;
  collect(tracker.iterateEsmReferences(modules as any));
  /* eslint-enable @typescript-eslint/no-explicit-any */
  /** `require('m')`, or a require made by `createRequire`: the module, also through an interop helper around the call. */
  const loaded = (call: TSESTree.CallExpression) => {
    const name = stringLiteral(call.arguments[0]);
    if (name === null || !Object.hasOwn(modules, name)) return;
    const wrapper = call.parent;
    if (wrapper?.type === AST_NODE_TYPES.CallExpression && wrapper.arguments[0] === call && isInteropHelper(wrapper.callee)) {
      // Compiled ESM (`__importDefault(require('p-queue')).default`): the module sits under `default` too.
      collect(track(wrapper, { ...modules[name], default: modules[name] }));
      return;
    }
    collect(track(call, modules[name]));
  };
  // `import x = require('m')` (TypeScript's CommonJS import), which the tracker does not know: `x` is
  // the module, as after `const x = require('m')`; each use of `x` is followed from there.
  for (const declaration of importEqualsDeclarations(sourceCode.ast)) {
    const name = importEqualsSource(declaration);
    if (name === null || !Object.hasOwn(modules, name)) continue;
    for (const variable of sourceCode.getDeclaredVariables(declaration)) {
      for (const reference of variable.references) {
        if (reference.isRead()) collect(track(reference.identifier, modules[name]));
      }
    }
  }
  // The global `require` (the tracker's own `iterateCjsReferences` would only see it when the
  // config declares it, and never through an interop helper): a file-declared `require` is not it.
  for (const reference of globalReferences(globalScope)) {
    const identifier = reference.identifier as TSESTree.Identifier;
    if (identifier.name === 'require') {
      const call = identifier.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === identifier) loaded(call);
    } else if (Object.hasOwn(maps.globals, identifier.name)) {
      collect(track(identifier, maps.globals[identifier.name] as TraceMap));
    }
  }
  // `const require = createRequire(import.meta.url)` (any name, ES modules' way to require): each
  // call of that binding loads a module, as does `createRequire(…)('m')` itself.
  for (const factory of loaderFactories) {
    for (const call of loaderCalls(sourceCode, factory)) loaded(call);
  }
  // `await import('m')`: the module namespace, with a CommonJS module's exports also under `default`.
  for (const [name, awaited] of awaitedImports(sourceCode)) {
    if (Object.hasOwn(modules, name)) collect(track(awaited, { default: modules[name], ...modules[name] }));
  }
  return found;
}

const awaitedImportCache = new WeakMap<TSESTree.Program, [string, TSESTree.AwaitExpression][]>();

/** The file's `await import('m')` expressions with their specifiers; one walk per file, and none without `import(`. */
function awaitedImports(sourceCode: Readonly<TSESLint.SourceCode>): [string, TSESTree.AwaitExpression][] {
  const cached = awaitedImportCache.get(sourceCode.ast);
  if (cached) return cached;
  const imports: [string, TSESTree.AwaitExpression][] = [];
  if (/\bimport\s*\(/u.test(sourceCode.text)) {
    visitDescendants(sourceCode, sourceCode.ast, (node) => {
      if (node.type !== AST_NODE_TYPES.ImportExpression || node.parent?.type !== AST_NODE_TYPES.AwaitExpression) return;
      const name = stringLiteral(node.source);
      if (name !== null) imports.push([name, node.parent]);
    });
  }
  awaitedImportCache.set(sourceCode.ast, imports);
  return imports;
}

/** What `module.createRequire` is marked with in the trace maps: not a catalogue's call, a loader's maker. */
const CREATE_REQUIRE = Symbol('createRequire');

const moduleMaps = new WeakMap<Record<string, TraceMap>, Record<string, TraceMap>>();

/**
 * The catalogue's modules, each under its bare and its `node:` name when it is a Node.js built-in
 * (a user entry for `dgram` also finds `node:dgram`), plus `module.createRequire`. Built once per
 * catalogue's maps.
 */
function modulesWithLoaders(modules: Record<string, TraceMap>): Record<string, TraceMap> {
  let result = moduleMaps.get(modules);
  if (result) return result;
  result = {};
  for (const [name, map] of Object.entries(modules)) {
    const bare = name.startsWith('node:') ? name.slice('node:'.length) : name;
    const names = isBuiltin(bare) ? [bare, `node:${bare}`] : [name];
    for (const alias of names) result[alias] = Object.hasOwn(result, alias) ? mergeTraceMaps(result[alias], map) : map;
  }
  for (const name of ['module', 'node:module']) {
    result[name] = mergeTraceMaps(result[name] ?? {}, { createRequire: { [CALL]: CREATE_REQUIRE } });
  }
  moduleMaps.set(modules, result);
  return result;
}

/** Both maps' paths; where both mark the same path, the first one's mark wins. Neither map is changed. */
function mergeTraceMaps(first: TraceMap, second: TraceMap): TraceMap {
  const merged: TraceMap = { ...first };
  for (const key of Reflect.ownKeys(second)) {
    if (!Object.hasOwn(merged, key)) merged[key] = second[key];
    else if (typeof key === 'string') merged[key] = mergeTraceMaps(merged[key] as TraceMap, second[key] as TraceMap);
  }
  return merged;
}

/**
 * The calls that load modules through the require a `createRequire(…)` call made: calls of the
 * binding it initialises or is assigned to (whatever its name), and `createRequire(…)('m')`.
 */
function loaderCalls(sourceCode: Readonly<TSESLint.SourceCode>, factory: TSESTree.Node): TSESTree.CallExpression[] {
  let node = factory;
  while (node.parent && isTypeWrapper(node.parent)) node = node.parent;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node) return [parent];
  let binding: TSESTree.Identifier | null = null;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) binding = parent.id;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node && parent.left.type === AST_NODE_TYPES.Identifier) binding = parent.left;
  if (!binding) return [];
  const variable = ASTUtils.findVariable(sourceCode.getScope(binding), binding);
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of variable?.references ?? []) {
    if (!reference.isRead()) continue;
    let callee: TSESTree.Node = reference.identifier;
    while (callee.parent && isTypeWrapper(callee.parent)) callee = callee.parent;
    if (callee.parent?.type === AST_NODE_TYPES.CallExpression && callee.parent.callee === callee) calls.push(callee.parent);
  }
  return calls;
}

function isTypeWrapper(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.TSAsExpression ||
    node.type === AST_NODE_TYPES.TSNonNullExpression ||
    node.type === AST_NODE_TYPES.TSTypeAssertion ||
    node.type === AST_NODE_TYPES.TSSatisfiesExpression
  );
}

function stringLiteral(node: TSESTree.Node | undefined): string | null {
  if (node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node?.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0].value.cooked ?? null;
  return null;
}

/** The file's top-level `import x = …` declarations, exported or not (they are valid nowhere else but in namespaces). */
function importEqualsDeclarations(program: TSESTree.Program): TSESTree.TSImportEqualsDeclaration[] {
  return program.body.flatMap((statement) => {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    return declaration?.type === AST_NODE_TYPES.TSImportEqualsDeclaration ? [declaration] : [];
  });
}

/** TypeScript's and Babel's CommonJS interop helpers around `require()`. */
const INTEROP_HELPERS = new Set(['__importDefault', '__importStar', '_interopRequireDefault', '_interopRequireWildcard', '__toESM']);

function isInteropHelper(callee: TSESTree.Node): boolean {
  const name =
    callee.type === AST_NODE_TYPES.Identifier
      ? callee.name
      : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier
        ? callee.property.name
        : null;
  return name !== null && INTEROP_HELPERS.has(name);
}

/** References to names the file does not declare: implicit globals and configured ones alike. */
function* globalReferences(globalScope: TSESLint.Scope.Scope): Iterable<TSESLint.Scope.Reference> {
  yield* globalScope.through;
  for (const variable of globalScope.variables) {
    if (variable.defs.length === 0) yield* variable.references;
  }
}
