import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';
import { isFunctionNode, skipTypeWrappers } from './bindings';
import type { TypeServices } from './typeServices';

/**
 * "Does the type this function meets expect it to return `void`?" — the positions, other than a
 * call argument (see `callbackPositions`), where a promise-returning function is accepted by the
 * type system but its promise is thrown away by whoever calls it: a variable or assignment target
 * typed `() => void`, an object-literal property whose contextual type returns `void`, a function
 * returned where `() => void` is the return type, a JSX prop, and a method overriding or
 * implementing a `void` method. Typed only: these positions are made by types.
 */
export type VoidContext =
  | { kind: 'variable'; name: string }
  | { kind: 'property'; name: string }
  | { kind: 'return' }
  | { kind: 'attribute'; name: string }
  | { kind: 'inherited'; name: string; base: string };

/** Whether a type's calls return a thenable: `Promise`, `PromiseLike`, any object with a callable `then`. */
export function isThenableReturn(types: TypeServices, type: ts.Type, at: ts.Node): boolean {
  return tsutils.unionConstituents(type).some((part) => tsutils.isThenableType(types.checker, at, part));
}

/**
 * A function type whose calls are expected to return `void` and never a thenable: `() => void`,
 * `(() => void) | undefined`. A type that also accepts a thenable (`() => void | Promise<void>`,
 * an overload returning a promise) is a position made for async functions.
 */
export function isVoidReturningFunctionType(types: TypeServices, type: ts.Type, at: ts.Node): boolean {
  let sawVoid = false;
  for (const part of tsutils.unionConstituents(types.checker.getApparentType(type))) {
    for (const signature of part.getCallSignatures()) {
      const returnType = signature.getReturnType();
      if (tsutils.isTypeFlagSet(returnType, ts.TypeFlags.Any | ts.TypeFlags.Unknown) || isThenableReturn(types, returnType, at)) return false;
      if (tsutils.unionConstituents(returnType).some((t) => tsutils.isTypeFlagSet(t, ts.TypeFlags.Void))) sawVoid = true;
    }
  }
  return sawVoid;
}

/** Whether this expression is a function that returns a thenable (an `async` literal, or typed so). */
export function returnsThenable(types: TypeServices, node: TSESTree.Node): boolean {
  const inner = node.type === AST_NODE_TYPES.Property || node.type === AST_NODE_TYPES.MethodDefinition ? node.value : node;
  if (isFunctionNode(inner) && inner.async && !inner.generator) return true;
  if (!isFunctionLike(inner)) return false;
  const at = types.tsNode(inner);
  const type = types.checker.getApparentType(types.typeOf(inner));
  return tsutils
    .unionConstituents(type)
    .some((part) => part.getCallSignatures().some((signature) => isThenableReturn(types, signature.getReturnType(), at)));
}

/**
 * Shapes that can be functions: a literal, a name, a member, a call's result, a conditional… — not
 * a literal value, an object or an operator's result, whose types need not be asked for.
 */
function isFunctionLike(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.UpdateExpression:
    case AST_NODE_TYPES.JSXElement:
    case AST_NODE_TYPES.JSXFragment:
    case AST_NODE_TYPES.ClassExpression:
      return false;
    default:
      return true;
  }
}

function contextIsVoid(types: TypeServices, value: TSESTree.Expression): boolean {
  const at = types.tsNode(value) as ts.Expression;
  const contextual = types.checker.getContextualType(at);
  return contextual !== undefined && isVoidReturningFunctionType(types, contextual, at);
}

/**
 * `const f: () => void = async () => …` — the declared type of the binding. Only when the binding
 * is annotated: an unannotated binding takes the function's own type.
 */
export function variableContext(types: TypeServices, declarator: TSESTree.VariableDeclarator): VoidContext | null {
  const init = declarator.init;
  if (!init || !declarator.id.typeAnnotation || !returnsThenable(types, skipTypeWrappers(init))) return null;
  const declared = types.typeOf(declarator.id);
  if (!isVoidReturningFunctionType(types, declared, types.tsNode(declarator.id))) return null;
  return { kind: 'variable', name: declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : 'the binding' };
}

/** `handler = async () => …` where `handler` is typed `() => void` (a field, a property, a binding). */
export function assignmentContext(types: TypeServices, assignment: TSESTree.AssignmentExpression): VoidContext | null {
  if (assignment.operator !== '=' || !returnsThenable(types, skipTypeWrappers(assignment.right))) return null;
  const target = types.typeOf(assignment.left);
  if (!isVoidReturningFunctionType(types, target, types.tsNode(assignment.left))) return null;
  return { kind: 'variable', name: targetName(assignment.left) };
}

function targetName(node: TSESTree.Node): string {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
    return node.property.name;
  }
  return 'the target';
}

/**
 * `{ onDone: async () => … }`, `{ async onDone() {} }`, `{ onDone }` in an object literal whose
 * contextual type (a parameter, an annotated binding, a return type, a `Record<string, () => void>`)
 * gives that property a `void`-returning function type.
 */
export function propertyContext(types: TypeServices, property: TSESTree.Property): VoidContext | null {
  if (property.parent.type !== AST_NODE_TYPES.ObjectExpression || property.kind !== 'init') return null;
  const value = property.value;
  if (value.type === AST_NODE_TYPES.AssignmentPattern || !isExpressionValue(value)) return null;
  if (!returnsThenable(types, property.method ? property : skipTypeWrappers(value))) return null;
  const name = propertyName(property);
  if (property.method) {
    // A method's own contextual type is not asked of the method: ask the object's, for this name.
    if (name === null) return null;
    const objectType = types.checker.getContextualType(types.tsNode(property.parent) as ts.Expression);
    if (!objectType) return null;
    const at = types.tsNode(property.key);
    for (const part of tsutils.unionConstituents(objectType)) {
      const symbol = types.checker.getPropertyOfType(part, name);
      if (symbol && isVoidReturningFunctionType(types, types.checker.getTypeOfSymbolAtLocation(symbol, at), at)) {
        return { kind: 'property', name };
      }
    }
    return null;
  }
  return contextIsVoid(types, value) ? { kind: 'property', name: name ?? 'this' } : null;
}

function isExpressionValue(node: TSESTree.Node): node is TSESTree.Expression {
  return (
    node.type !== AST_NODE_TYPES.ArrayPattern &&
    node.type !== AST_NODE_TYPES.ObjectPattern &&
    node.type !== AST_NODE_TYPES.TSEmptyBodyFunctionExpression
  );
}

function propertyName(property: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition | TSESTree.TSAbstractMethodDefinition | TSESTree.TSAbstractPropertyDefinition | TSESTree.AccessorProperty): string | null {
  const key = property.key;
  if (!property.computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return null;
  return null;
}

/**
 * `return async () => …` (or an arrow's expression body) where the enclosing function's return
 * type is `() => void`.
 */
export function returnContext(types: TypeServices, value: TSESTree.Expression): VoidContext | null {
  if (!returnsThenable(types, skipTypeWrappers(value))) return null;
  return contextIsVoid(types, value) ? { kind: 'return' } : null;
}

/** `<button onClick={async () => …}>` where the prop's type is a `void`-returning function. */
export function attributeContext(types: TypeServices, attribute: TSESTree.JSXAttribute): VoidContext | null {
  const container = attribute.value;
  if (container?.type !== AST_NODE_TYPES.JSXExpressionContainer || container.expression.type === AST_NODE_TYPES.JSXEmptyExpression) return null;
  if (!returnsThenable(types, skipTypeWrappers(container.expression))) return null;
  const at = types.tsNode(container) as ts.Expression;
  const contextual = types.checker.getContextualType(at);
  if (!contextual || !isVoidReturningFunctionType(types, contextual, at)) return null;
  const name = attribute.name.type === AST_NODE_TYPES.JSXIdentifier ? attribute.name.name : `${attribute.name.namespace.name}:${attribute.name.name.name}`;
  return { kind: 'attribute', name };
}

type ClassLike = TSESTree.ClassDeclaration | TSESTree.ClassExpression | TSESTree.TSInterfaceDeclaration;
type Member = TSESTree.ClassElement | TSESTree.TypeElement;

/**
 * The members of a class or interface that return a thenable where a base class, an implemented
 * interface or an extended interface (through aliases and intersections) declares the same member
 * to return `void`: a caller through the base type ignores the promise.
 */
export function inheritedContexts(types: TypeServices, node: ClassLike): { member: Member; context: VoidContext }[] {
  const tsClass = types.tsNode(node) as ts.ClassLikeDeclaration | ts.InterfaceDeclaration;
  const heritage = (tsClass.heritageClauses ?? []).flatMap((clause) => clause.types.map((type) => types.checker.getTypeAtLocation(type)));
  if (heritage.length === 0) return [];
  const members: Member[] = node.type === AST_NODE_TYPES.TSInterfaceDeclaration ? node.body.body : node.body.body;
  const found: { member: Member; context: VoidContext }[] = [];
  for (const member of members) {
    const name = memberName(member);
    if (name === null || ('static' in member && member.static) || !memberReturnsThenable(types, member)) continue;
    const at = types.tsNode(member);
    for (const base of heritage) {
      const symbol = memberOf(types, base, name);
      if (!symbol) continue;
      if (isVoidReturningFunctionType(types, types.checker.getTypeOfSymbolAtLocation(symbol, at), at)) {
        found.push({ member, context: { kind: 'inherited', name, base: types.checker.typeToString(base) } });
        break;
      }
    }
  }
  return found;
}

function memberName(member: Member): string | null {
  switch (member.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.TSAbstractMethodDefinition:
    case AST_NODE_TYPES.TSAbstractPropertyDefinition:
    case AST_NODE_TYPES.AccessorProperty:
      return member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor' ? null : propertyName(member);
    case AST_NODE_TYPES.TSMethodSignature:
    case AST_NODE_TYPES.TSPropertySignature:
      if (!member.computed && member.key.type === AST_NODE_TYPES.Identifier) return member.key.name;
      return member.key.type === AST_NODE_TYPES.Literal ? String(member.key.value) : null;
    default:
      return null;
  }
}

function memberReturnsThenable(types: TypeServices, member: Member): boolean {
  if (member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.TSAbstractMethodDefinition) {
    if (member.kind === 'set') return false;
    if (member.value.async && !member.value.generator) return true;
  }
  if (member.type === AST_NODE_TYPES.PropertyDefinition && member.value && isFunctionNode(member.value) && member.value.async) return true;
  // Signatures and typed members: the member's own type says whether its calls return a thenable.
  const at = types.tsNode(member);
  const name = (at as ts.NamedDeclaration).name;
  const symbol = name && types.checker.getSymbolAtLocation(name);
  if (!symbol) return false;
  const type = types.checker.getApparentType(types.checker.getTypeOfSymbolAtLocation(symbol, at));
  return tsutils
    .unionConstituents(type)
    .some((part) => part.getCallSignatures().some((signature) => isThenableReturn(types, signature.getReturnType(), at)));
}

function memberOf(types: TypeServices, type: ts.Type, name: string): ts.Symbol | undefined {
  const escaped = ts.escapeLeadingUnderscores(name);
  return type.getSymbol()?.members?.get(escaped) ?? types.checker.getPropertyOfType(type, name);
}
