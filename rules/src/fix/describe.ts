import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, skipTypeWrappers } from '../analysis/bindings';

const MAX_NAME = 40;

/**
 * How a message names an expression: `fetch(…)`, `store.save(…)`, `load(…).then(…)`, `pending`,
 * in backticks; a plain phrase when the code is too long to quote. `bare` drops the backticks for
 * messages that add their own.
 */
export function describeExpression(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Expression,
  { bare = false }: { bare?: boolean } = {},
): string {
  const inner = skipTypeWrappers(node);
  const iife = inner.type === AST_NODE_TYPES.CallExpression && isFunctionNode(skipTypeWrappers(inner.callee as TSESTree.Expression));
  const name = iife ? null : shortName(sourceCode, inner);
  if (name && name.length <= MAX_NAME) return bare ? name : `\`${name}\``;
  if (bare) {
    // Inside a message's own code quotes, stay code: an elided form rather than a phrase.
    if (iife) return (inner.callee as { async?: boolean }).async ? '(async () => …)()' : '(() => …)()';
    const text = (name ?? sourceCode.getText(inner)).replace(/\s+/g, ' ');
    return text.length <= MAX_NAME ? text : `${text.slice(0, MAX_NAME - 1)}…`;
  }
  if (iife) return 'this immediately-invoked function';
  if (inner.type === AST_NODE_TYPES.CallExpression || inner.type === AST_NODE_TYPES.NewExpression) return 'this call';
  return 'this expression';
}

function shortName(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string | null {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return node.name;
    case AST_NODE_TYPES.ThisExpression:
      return 'this';
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
      return shortName(sourceCode, node.expression);
    case AST_NODE_TYPES.AwaitExpression:
      return null;
    case AST_NODE_TYPES.MemberExpression: {
      const object = shortName(sourceCode, node.object) ?? '…';
      const dot = node.optional ? '?.' : '.';
      if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return `${object}${dot}${node.property.name}`;
      return `${object}[…]`;
    }
    case AST_NODE_TYPES.CallExpression: {
      const callee = shortName(sourceCode, node.callee);
      return callee && `${callee}${node.optional ? '?.' : ''}(…)`;
    }
    case AST_NODE_TYPES.NewExpression: {
      const callee = shortName(sourceCode, node.callee);
      return callee && `new ${callee}(…)`;
    }
    default: {
      const text = sourceCode.getText(node).replace(/\s+/g, ' ');
      return text.length <= MAX_NAME ? text : null;
    }
  }
}
