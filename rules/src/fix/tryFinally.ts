import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/**
 * The edit that guarantees a release: the statements after `statement` in its block go into a
 * `try`, and `release` into its `finally`; `releases` (the existing release statements, direct
 * children of that block) are dropped. Null when the shape does not allow it (nothing follows, or a
 * release sits in a nested block).
 */
export function wrapRestInTryFinally(
  sourceCode: Readonly<TSESLint.SourceCode>,
  statement: TSESTree.Statement,
  releases: readonly TSESTree.Statement[],
  release: string,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | null {
  const block = statement.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement && block?.type !== AST_NODE_TYPES.Program) return null;
  const body = block.body as TSESTree.Statement[];
  const releaseSet = new Set<TSESTree.Node>(releases);
  const rest = body.slice(body.indexOf(statement) + 1).filter((s) => !releaseSet.has(s));
  if (rest.length === 0 || releases.some((s) => s.parent !== block)) return null;
  // Imports and exports must stay at the top level of a module.
  if (rest.some((s) => s.type.startsWith('Import') || s.type.startsWith('Export'))) return null;
  const indent = ' '.repeat(statement.loc.start.column);
  const first = rest[0];
  const last = body[body.length - 1];
  const moved = rest.map((s) => reindent(sourceCode.getText(s), s.loc.start.column, `${indent}  `)).join('\n');
  return (fixer) =>
    fixer.replaceTextRange([first.range[0], last.range[1]], `try {\n${moved}\n${indent}} finally {\n${indent}  ${release};\n${indent}}`);
}

/** Re-indent a statement's text, whose first line started at `column`, under `indent`. */
export function reindent(text: string, column: number, indent: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? indent + line : indent + line.slice(Math.min(column, line.length - line.trimStart().length))))
    .join('\n');
}
