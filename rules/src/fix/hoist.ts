import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/**
 * Move `const name = <init>` from a function to module scope, just above the top-level statement
 * that contains it. Null unless that is safe: one declarator, a name free at module scope, and an
 * initializer that uses only module bindings declared before that statement (or hoisted ones).
 */
export function hoistToModuleScope(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declarator: TSESTree.VariableDeclarator,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]) | null {
  const declaration = declarator.parent;
  const init = declarator.init;
  if (!init || declarator.id.type !== AST_NODE_TYPES.Identifier || declaration.declarations.length !== 1) return null;
  const name = declarator.id.name;
  const globalScope = sourceCode.scopeManager?.globalScope;
  const moduleScope = globalScope?.childScopes.find((scope) => scope.type === 'module') ?? globalScope;
  if (!moduleScope || moduleScope.set.has(name)) return null;
  let anchor: TSESTree.Node = declaration;
  while (anchor.parent && anchor.parent.type !== AST_NODE_TYPES.Program) anchor = anchor.parent;
  if (anchor === declaration || !usesOnlyEarlierModuleBindings(sourceCode, init, moduleScope, anchor)) return null;
  const text = `const ${name} = ${sourceCode.getText(init)};\n`;
  return (fixer) => [fixer.remove(declaration), fixer.insertTextBefore(anchor, text)];
}

function usesOnlyEarlierModuleBindings(
  sourceCode: Readonly<TSESLint.SourceCode>,
  init: TSESTree.Node,
  moduleScope: TSESLint.Scope.Scope,
  anchor: TSESTree.Node,
): boolean {
  const references: TSESLint.Scope.Reference[] = [];
  const collect = (scope: TSESLint.Scope.Scope) => {
    for (const ref of scope.references) {
      if (ref.identifier.range[0] >= init.range[0] && ref.identifier.range[1] <= init.range[1]) references.push(ref);
    }
    scope.childScopes.forEach(collect);
  };
  collect(sourceCode.getScope(init));
  return references.every((ref) => {
    const resolved = ref.resolved;
    if (!resolved || resolved.scope.type === 'global') return true;
    if (resolved.scope !== moduleScope) return false;
    return resolved.defs.every((def) => def.type === 'ImportBinding' || def.type === 'FunctionName' || def.node.range[1] <= anchor.range[0]);
  });
}
