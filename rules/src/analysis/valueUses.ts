import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { memberName } from './bindings';

/**
 * "What does this reference do with the value it names?" — the one answer the ownership questions
 * build on: the function summaries (what a helper does to its parameter), the owned-field check
 * (what a class does to `this.pool`), and each rule's own bindings. A use says where the value
 * goes, not whether that releases anything: that depends on the resource and is the caller's call.
 */
export type ValueUse =
  /** `x.close()`, `x.body.cancel()` (`path` = ['body', 'cancel']), `x[Symbol.asyncDispose]()`. */
  | { type: 'method'; name: string; path: string[]; call: TSESTree.CallExpression; member: TSESTree.MemberExpression }
  /** `x.body`, `x.status`: a property read that is not called. */
  | { type: 'read'; name: string | null; member: TSESTree.MemberExpression }
  /** `f(x)`, `new F(x)`: passed as argument `index`. */
  | { type: 'argument'; call: TSESTree.CallExpression | TSESTree.NewExpression; index: number }
  /** `f({ agent: x })`, `new Client({ pool: x })`: a property of an options object passed as argument `index`. */
  | { type: 'option'; call: TSESTree.CallExpression | TSESTree.NewExpression; index: number; key: string | null }
  /** `const y = x`: another name for the same value. */
  | { type: 'alias'; declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier } }
  /** `this.client = x`, `outer = x`, `obj.x = x`: stored where it outlives the expression. */
  | { type: 'store'; target: TSESTree.Node }
  /** `return x`, `yield x`, `() => x`. */
  | { type: 'return'; node: TSESTree.Node }
  /** `for (const chunk of x)`, `for await (…)`. */
  | { type: 'iterate'; loop: TSESTree.ForOfStatement }
  /** A test or a look (`if (x)`, `x === null`, `!x`, `typeof x`, `` `${x}` ``, a bare statement). */
  | { type: 'look' }
  /** `x()` — the value called. */
  | { type: 'called' }
  /** Anything else that takes the value somewhere we do not follow (an array, a spread, a throw…). */
  | { type: 'escape'; node: TSESTree.Node };

/**
 * The node a value flows through unchanged: type assertions, `!`, optional chains, the branches of
 * `a ? x : y`, either side of `x ?? y` / `x || y`, the right of `a && x`, the last of a sequence,
 * `await x` (an await of a non-promise is the value itself, and of a resource's promise, the resource).
 */
function passesThrough(child: TSESTree.Node, parent: TSESTree.Node): boolean {
  switch (parent.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.AwaitExpression:
      return true;
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test !== child;
    case AST_NODE_TYPES.LogicalExpression:
      return parent.operator === '&&' ? parent.right === child : true;
    case AST_NODE_TYPES.SequenceExpression:
      return parent.expressions[parent.expressions.length - 1] === child;
    default:
      return false;
  }
}

/** The outermost node that still is the value of `node` (see `passesThrough`). */
export function valueNodeOf(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.parent && passesThrough(current, current.parent)) current = current.parent;
  return current;
}

/** What the expression `node` (an identifier, `this.pool`, …) does with its value where it appears. */
export function useOf(node: TSESTree.Node): ValueUse {
  // `a && x.close()`: the left of `&&` is only a test; `x` flowing through it is not a use.
  if (node.parent?.type === AST_NODE_TYPES.LogicalExpression && node.parent.operator === '&&' && node.parent.left === node) return { type: 'look' };
  const value = valueNodeOf(node);
  const parent = value.parent;
  if (!parent) return { type: 'look' };
  switch (parent.type) {
    case AST_NODE_TYPES.MemberExpression: {
      if (parent.object !== value) return { type: 'escape', node: parent }; // `obj[x]`
      return memberUse(parent);
    }
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      if (parent.callee === value) return { type: 'called' };
      const index = parent.arguments.indexOf(value as TSESTree.CallExpressionArgument);
      return index >= 0 ? { type: 'argument', call: parent, index } : { type: 'escape', node: parent };
    }
    case AST_NODE_TYPES.Property: {
      const object = parent.parent;
      if (parent.value !== value || object?.type !== AST_NODE_TYPES.ObjectExpression) return { type: 'escape', node: parent };
      const call = object.parent;
      if ((call?.type === AST_NODE_TYPES.CallExpression || call?.type === AST_NODE_TYPES.NewExpression) && call.callee !== object) {
        const index = call.arguments.indexOf(object);
        const key = !parent.computed && parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : null;
        if (index >= 0) return { type: 'option', call, index, key };
      }
      return { type: 'escape', node: object };
    }
    case AST_NODE_TYPES.VariableDeclarator:
      if (parent.init === value && parent.id.type === AST_NODE_TYPES.Identifier) {
        return { type: 'alias', declarator: parent as TSESTree.VariableDeclarator & { id: TSESTree.Identifier } };
      }
      return { type: 'escape', node: parent }; // destructured: its parts go on
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.right === value ? { type: 'store', target: parent.left } : { type: 'look' };
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.YieldExpression:
      return { type: 'return', node: parent };
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === value ? { type: 'return', node: parent } : { type: 'look' };
    case AST_NODE_TYPES.ForOfStatement:
      return parent.right === value ? { type: 'iterate', loop: parent } : { type: 'look' };
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.ConditionalExpression:
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.ExpressionStatement:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.SwitchStatement:
    case AST_NODE_TYPES.SwitchCase:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
    case AST_NODE_TYPES.ForStatement:
      return { type: 'look' };
    default:
      return { type: 'escape', node: parent };
  }
}

function memberUse(member: TSESTree.MemberExpression): ValueUse {
  const name = memberName(member);
  // Follow a member chain: `x.body.cancel()` is a call of `body.cancel` on `x`.
  const path = [name ?? '?'];
  let outer: TSESTree.MemberExpression = member;
  for (;;) {
    const holder = valueNodeOf(outer).parent;
    if (holder?.type === AST_NODE_TYPES.CallExpression && holder.callee === valueNodeOf(outer)) {
      return { type: 'method', name: path.join('.'), path, call: holder, member: outer };
    }
    if (holder?.type === AST_NODE_TYPES.MemberExpression && holder.object === valueNodeOf(outer) && path.length < 3) {
      path.push(memberName(holder) ?? '?');
      outer = holder;
      continue;
    }
    return { type: 'read', name, member };
  }
}
