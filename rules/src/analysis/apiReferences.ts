import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { importEqualsSource } from './bindings';

/**
 * Where a file uses a catalogue's APIs: eslint-utils' reference tracker over imports, requires,
 * destructuring and aliases, with globals (`fetch`, `setInterval`, `require`) followed from the
 * file's unresolved references, since a config need not declare them. Shared by the promise and
 * resource models; each passes its own trace maps.
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
  const found = new Map<TSESTree.Node, unknown>();
  const collect = (references: Iterable<{ node: TSESTree.Node; info: unknown }>) => {
    for (const reference of references) found.set(reference.node, reference.info);
  };
  // eslint-utils' trace maps are loosely typed, and `iteratePropertyReferences` is missing from its types.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const track = (node: TSESTree.Node, map: TraceMap) =>
    (tracker as any).iteratePropertyReferences(node, map) as Iterable<{ node: TSESTree.Node; info: unknown }>;
  collect(tracker.iterateEsmReferences(maps.modules as any));
  /* eslint-enable @typescript-eslint/no-explicit-any */
  // `import x = require('m')` (TypeScript's CommonJS import), which the tracker does not know: `x` is
  // the module, as after `const x = require('m')`; each use of `x` is followed from there.
  for (const declaration of importEqualsDeclarations(sourceCode.ast)) {
    const name = importEqualsSource(declaration);
    if (name === null || !Object.hasOwn(maps.modules, name)) continue;
    for (const variable of sourceCode.getDeclaredVariables(declaration)) {
      for (const reference of variable.references) {
        if (reference.isRead()) collect(track(reference.identifier, maps.modules[name]));
      }
    }
  }
  for (const reference of globalReferences(globalScope)) {
    const identifier = reference.identifier as TSESTree.Identifier;
    if (identifier.name === 'require') {
      const call = identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== identifier) continue;
      const specifier = call.arguments[0];
      const name = specifier?.type === AST_NODE_TYPES.Literal && typeof specifier.value === 'string' ? specifier.value : null;
      if (name === null || !Object.hasOwn(maps.modules, name)) continue;
      const wrapper = call.parent;
      if (wrapper?.type === AST_NODE_TYPES.CallExpression && wrapper.arguments[0] === call && isInteropHelper(wrapper.callee)) {
        // Compiled ESM (`__importDefault(require('p-queue')).default`): the module sits under `default` too.
        collect(track(wrapper, { ...maps.modules[name], default: maps.modules[name] }));
        continue;
      }
      collect(track(call, maps.modules[name]));
    } else if (Object.hasOwn(maps.globals, identifier.name)) {
      collect(track(identifier, maps.globals[identifier.name] as TraceMap));
    }
  }
  return found;
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
