import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/**
 * Whether an expression must be parenthesised to become the operand of a unary operator such as
 * `await`/`void` or the object of a member access (`.catch`). Primary and postfix expressions
 * bind tighter than both; everything else (binary, logical, conditional, sequence, assignment,
 * arrow, yield) does not.
 */
export function needsParensAsOperand(node: TSESTree.Expression): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.TaggedTemplateExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.ImportExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
      return false;
    case AST_NODE_TYPES.NewExpression:
      // `new X` without arguments: `new X.catch()` would parse differently.
      return false;
    default:
      return true;
  }
}

/** The node's range including its own parentheses, if the source has any. */
function outerRange(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Expression): TSESLint.AST.Range {
  let range: TSESLint.AST.Range = node.range;
  let levels = 0;
  while (ASTUtils.isParenthesized(levels + 1, node, sourceCode)) levels++;
  for (let i = 0; i < levels; i++) {
    const before = sourceCode.getTokenBefore({ range } as TSESTree.Node)!;
    const after = sourceCode.getTokenAfter({ range } as TSESTree.Node)!;
    range = [before.range[0], after.range[1]];
  }
  return range;
}

function isWrapped(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Expression): boolean {
  return ASTUtils.isParenthesized(node, sourceCode);
}

/** The node's source, parenthesised when it would not bind as an operand. */
export function operandText(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Expression): string {
  const text = sourceCode.getText(node);
  return needsParensAsOperand(node) ? `(${text})` : text;
}

/** Prefix an expression with a unary keyword (`await `, `void `), adding parentheses where needed. */
export function prefixWith(
  fixer: TSESLint.RuleFixer,
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Expression,
  keyword: string,
): TSESLint.RuleFix {
  if (isWrapped(sourceCode, node)) return fixer.insertTextBeforeRange(outerRange(sourceCode, node), `${keyword} `);
  return fixer.replaceText(node, `${keyword} ${operandText(sourceCode, node)}`);
}

/** Append a member call (`.catch(…)`) to an expression, adding parentheses where needed. */
export function appendCall(
  fixer: TSESLint.RuleFixer,
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Expression,
  call: string,
): TSESLint.RuleFix {
  if (isWrapped(sourceCode, node)) return fixer.insertTextAfterRange(outerRange(sourceCode, node), call);
  // `new X` without an argument list would swallow the call (`new X.catch()`): give it one.
  if (node.type === AST_NODE_TYPES.NewExpression && !sourceCode.getText(node).trimEnd().endsWith(')')) {
    return fixer.insertTextAfter(node, `()${call}`);
  }
  if (needsParensAsOperand(node)) return fixer.replaceText(node, `(${sourceCode.getText(node)})${call}`);
  return fixer.insertTextAfter(node, call);
}
