import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findVariable, isFunctionNode, singleValueOf, visitDescendants } from './bindings';
import { useOf, type ValueUse } from './valueUses';

/**
 * Owned fields: a class that creates a resource into a field (`this.pool = new Pool()`,
 * `#timer = setInterval(…)`) owns it, and some method of the class must release it (`close`,
 * `dispose`, `[Symbol.asyncDispose]`, or a helper they call). Storing on `this` hands the resource
 * to the instance, not to nobody: this module finds the field a resource is stored in and answers
 * whether anything releases that field.
 */
export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

export interface OwnedField {
  /** `pool` for `this.pool` and `#pool` for `this.#pool`. */
  name: string;
  cls: ClassNode;
  /** The class's name for messages, or null for an anonymous class expression. */
  className: string | null;
}

/** `this.f` (or `this.#f`) whose `this` is an instance of a class: the field and its class. */
export function fieldOf(target: TSESTree.Node): OwnedField | null {
  if (target.type !== AST_NODE_TYPES.MemberExpression || target.computed || target.object.type !== AST_NODE_TYPES.ThisExpression) return null;
  const name = fieldName(target.property);
  if (name === null) return null;
  const cls = classOfThis(target);
  return cls ? { name, cls, className: classNameOf(cls) } : null;
}

/** A non-static field declared with its value (`pool = new Pool()`): the field and its class. */
export function fieldOfDefinition(definition: TSESTree.PropertyDefinition): OwnedField | null {
  if (definition.static || definition.computed) return null;
  const name = fieldName(definition.key);
  const cls = definition.parent.parent;
  if (name === null || (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression)) return null;
  return { name, cls, className: classNameOf(cls) };
}

/**
 * Whether the field is released, or may be, by what the file shows: some use of `this.<name>` in
 * the class (or its local base classes), or of `<anything>.<name>` elsewhere in the file, that
 * `settles` accepts (a release, a hand-over, a return, an alias). Null when the file cannot tell:
 * the class extends a class out of sight (its `close()` may release it), or takes the field apart
 * (`const { pool } = this`).
 */
export function isFieldReleased(
  sourceCode: Readonly<TSESLint.SourceCode>,
  field: OwnedField,
  settles: (use: ValueUse) => boolean,
): boolean | null {
  const classes: ClassNode[] = [];
  for (let cls: ClassNode | null = field.cls; cls; cls = baseClass(sourceCode, cls)) {
    classes.push(cls);
    if (cls.superClass && !baseClass(sourceCode, cls)) return null;
    if (classes.length > 20) break;
  }
  let released: boolean | null = false;
  visitDescendants(sourceCode, sourceCode.ast, (node) => {
    if (released !== false) return false;
    if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && fieldName(node.property) === field.name) {
      const isOwn = node.object.type === AST_NODE_TYPES.ThisExpression && classes.includes(classOfThis(node)!);
      // Someone else's `.pool` released anywhere in the file may be this one (`service.pool.end()`).
      if (!isAssignmentTarget(node) && settles(useOf(node)) && (isOwn || node.object.type !== AST_NODE_TYPES.ThisExpression)) released = true;
    } else if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init?.type === AST_NODE_TYPES.ThisExpression && node.id.type === AST_NODE_TYPES.ObjectPattern) {
      if (classes.includes(classOfThis(node.init)!)) released = null;
    }
    return undefined;
  });
  return released;
}

function isAssignmentTarget(member: TSESTree.MemberExpression): boolean {
  return member.parent?.type === AST_NODE_TYPES.AssignmentExpression && member.parent.left === member;
}

function fieldName(key: TSESTree.Node): string | null {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  return null;
}

/** The class whose instance `this` is at a node: through arrow functions, not through other functions. */
function classOfThis(node: TSESTree.Node): ClassNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.PropertyDefinition && current.static) return null;
    if (isFunctionNode(current) && current.type !== AST_NODE_TYPES.ArrowFunctionExpression) {
      const member = current.parent;
      if (member?.type !== AST_NODE_TYPES.MethodDefinition || member.static) return null;
      const cls = member.parent.parent;
      return cls.type === AST_NODE_TYPES.ClassDeclaration || cls.type === AST_NODE_TYPES.ClassExpression ? cls : null;
    }
    if (current.type === AST_NODE_TYPES.ClassBody) {
      const cls = current.parent;
      return cls.type === AST_NODE_TYPES.ClassDeclaration || cls.type === AST_NODE_TYPES.ClassExpression ? cls : null;
    }
  }
  return null;
}

function classNameOf(cls: ClassNode): string | null {
  if (cls.id) return cls.id.name;
  const parent = cls.parent;
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : null;
}

/** The base class when it is a class of this file. */
function baseClass(sourceCode: Readonly<TSESLint.SourceCode>, cls: ClassNode): ClassNode | null {
  if (cls.superClass?.type !== AST_NODE_TYPES.Identifier) return null;
  const variable = findVariable(sourceCode, cls.superClass);
  const value = variable && singleValueOf(variable);
  return value?.type === AST_NODE_TYPES.ClassDeclaration || value?.type === AST_NODE_TYPES.ClassExpression ? value : null;
}
