import { ASTUtils, AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/** Functions as they appear in the tree, whatever their syntax. */
export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunctionNode(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** Strip what does not change a value: parentheses are already gone; type assertions and `!` are not. */
export function skipTypeWrappers(node: TSESTree.Expression): TSESTree.Expression {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

export function findVariable(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): TSESLint.Scope.Variable | null {
  return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
}

/** True when the name is not declared anywhere in the file, so it refers to the global. */
export function isGlobalReference(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): boolean {
  const variable = findVariable(sourceCode, identifier);
  return !variable || variable.defs.length === 0;
}

/** A binding never written after its declaration (const, or let/var assigned once). */
export function isSingleAssignment(variable: TSESLint.Scope.Variable): boolean {
  return variable.defs.length === 1 && variable.references.every((ref) => !ref.isWrite() || ref.init === true);
}

/**
 * The value a binding was declared with, when that is the only value it ever holds:
 * `const x = <init>` or `function x() {}`. Destructured and reassigned bindings give null.
 */
export function singleValueOf(variable: TSESLint.Scope.Variable): TSESTree.Node | null {
  if (!isSingleAssignment(variable)) return null;
  const def = variable.defs[0];
  if (def.type === 'FunctionName') return def.node;
  if (def.type === 'ClassName') return def.node;
  if (def.type === 'Variable' && def.node.id.type === AST_NODE_TYPES.Identifier && def.node.init) {
    return def.node.init;
  }
  return null;
}

/** The declared type annotation of a binding (`const p: Promise<void>`, `(p: Promise<T>) =>`), if any. */
export function annotationOf(variable: TSESLint.Scope.Variable): TSESTree.TypeNode | null {
  const def = variable.defs[0];
  if (!def) return null;
  const name = def.name as TSESTree.Identifier;
  return name.typeAnnotation?.typeAnnotation ?? null;
}

/** `Promise<…>` / `PromiseLike<…>` written as a type, syntactically. */
export function isPromiseTypeAnnotation(type: TSESTree.TypeNode | null | undefined, members: 'some' | 'every' = 'some'): boolean {
  if (!type) return false;
  if (type.type === AST_NODE_TYPES.TSTypeReference && type.typeName.type === AST_NODE_TYPES.Identifier) {
    return type.typeName.name === 'Promise' || type.typeName.name === 'PromiseLike';
  }
  if (type.type === AST_NODE_TYPES.TSUnionType) {
    return members === 'some'
      ? type.types.some((member) => isPromiseTypeAnnotation(member, members))
      : type.types.every((member) => isPromiseTypeAnnotation(member, members));
  }
  return false;
}

/** Resolve an expression to the function it names: a literal, a local binding, or a method of a local class. */
export function resolveFunction(
  sourceCode: Readonly<TSESLint.SourceCode>,
  expression: TSESTree.Expression,
): FunctionNode | null {
  const node = skipTypeWrappers(expression);
  if (isFunctionNode(node)) return node;
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariable(sourceCode, node);
    const value = variable && singleValueOf(variable);
    if (isFunctionNode(value)) return value;
    return null;
  }
  if (node.type === AST_NODE_TYPES.MemberExpression) return resolveMethod(sourceCode, node);
  return null;
}

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

function enclosingClass(node: TSESTree.Node): ClassNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression) {
      return current;
    }
  }
  return null;
}

/** The class a value is an instance of, when the file shows it: `this`, or a binding to `new C()`. */
function instanceClass(sourceCode: Readonly<TSESLint.SourceCode>, object: TSESTree.Expression): ClassNode | null {
  const node = skipTypeWrappers(object);
  if (node.type === AST_NODE_TYPES.ThisExpression) return enclosingClass(node);
  if (node.type === AST_NODE_TYPES.NewExpression && node.callee.type === AST_NODE_TYPES.Identifier) {
    return classNamed(sourceCode, node.callee);
  }
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariable(sourceCode, node);
    const declared = variable && singleValueOf(variable);
    const value = declared && declared.type !== AST_NODE_TYPES.FunctionDeclaration && declared.type !== AST_NODE_TYPES.ClassDeclaration
      ? skipTypeWrappers(declared as TSESTree.Expression)
      : declared;
    if (value?.type === AST_NODE_TYPES.NewExpression && value.callee.type === AST_NODE_TYPES.Identifier) {
      return classNamed(sourceCode, value.callee);
    }
  }
  return null;
}

function classNamed(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): ClassNode | null {
  const variable = findVariable(sourceCode, identifier);
  const value = variable && singleValueOf(variable);
  if (value?.type === AST_NODE_TYPES.ClassDeclaration || value?.type === AST_NODE_TYPES.ClassExpression) return value;
  return null;
}

function findMember(cls: ClassNode, name: string, isStatic: boolean): FunctionNode | null {
  for (const member of cls.body.body) {
    if (
      (member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition) &&
      !member.computed &&
      member.static === isStatic &&
      member.key.type === AST_NODE_TYPES.Identifier &&
      member.key.name === name &&
      isFunctionNode(member.value)
    ) {
      return member.value;
    }
  }
  return null;
}

/** `this.m`, `instance.m`, `Class.m`, `obj.m` of a local object literal → the function it names. */
export function resolveMethod(
  sourceCode: Readonly<TSESLint.SourceCode>,
  member: TSESTree.MemberExpression,
): FunctionNode | null {
  if (member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return null;
  const name = member.property.name;
  const instanceOf = instanceClass(sourceCode, member.object);
  if (instanceOf) return findMember(instanceOf, name, false);
  if (member.object.type === AST_NODE_TYPES.Identifier) {
    const staticOf = classNamed(sourceCode, member.object);
    if (staticOf) return findMember(staticOf, name, true);
    const variable = findVariable(sourceCode, member.object);
    const value = variable && singleValueOf(variable);
    if (value?.type === AST_NODE_TYPES.ObjectExpression) {
      for (const property of value.properties) {
        if (
          property.type === AST_NODE_TYPES.Property &&
          !property.computed &&
          ASTUtils.getPropertyName(property) === name &&
          isFunctionNode(property.value)
        ) {
          return property.value;
        }
      }
    }
  }
  return null;
}

/** The innermost function around a node, or null at module / script top level. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return null;
}

/** Where `await` may be written: inside an async function, or at the top level of an ES module. */
export function canAwaitAt(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, filename = ''): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current.async;
    if (current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return false;
  }
  return isEsModule(sourceCode, filename);
}

const esModuleCache = new WeakMap<object, boolean>();

/**
 * Top-level await needs an ES module. A file with no import, export or top-level await is a script
 * to TypeScript and usually CommonJS to Node, whatever the parser was told; `.mjs`/`.mts` always are.
 */
function isEsModule(sourceCode: Readonly<TSESLint.SourceCode>, filename: string): boolean {
  if (/\.m[jt]sx?$/.test(filename)) return true;
  if (sourceCode.ast.sourceType !== 'module') return false;
  const cached = esModuleCache.get(sourceCode.ast);
  if (cached !== undefined) return cached;
  const result = sourceCode.ast.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.ImportDeclaration ||
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
      statement.type === AST_NODE_TYPES.ExportAllDeclaration ||
      hasTopLevelAwait(sourceCode, statement),
  );
  esModuleCache.set(sourceCode.ast, result);
  return result;
}

function hasTopLevelAwait(sourceCode: Readonly<TSESLint.SourceCode>, statement: TSESTree.Node): boolean {
  const awaits = (node: TSESTree.Node) =>
    node.type === AST_NODE_TYPES.AwaitExpression ||
    (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
    (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'await using');
  // A top-level function declaration is not top-level code: its body is not entered either.
  return findDescendant(sourceCode, statement, awaits, (node) => !isFunctionNode(node) && node.type !== AST_NODE_TYPES.ClassBody) !== null;
}

/**
 * The module a binding was imported or required from, if it was: an import, `import x = require`,
 * or a variable initialised from a module load (`require('m')` with the global `require`, the
 * require `createRequire` makes, `await import('m')`, an interop helper around a require) or from
 * a member of one. The same loads `apiReferences.ts` follows; a file's own `require` is not one.
 */
export function importSource(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): string | null {
  const def = findVariable(sourceCode, identifier)?.defs[0];
  if (def?.type === 'ImportBinding') {
    if (def.node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return importEqualsSource(def.node);
    const declaration = def.parent as TSESTree.ImportDeclaration;
    return declaration.source.value;
  }
  if (def?.type === 'Variable' && def.node.init && !resolving.has(def.node)) {
    let init = skipTypeWrappers(def.node.init);
    while (init.type === AST_NODE_TYPES.MemberExpression) init = skipTypeWrappers(init.object);
    resolving.add(def.node);
    try {
      return loadedModule(sourceCode, init);
    } finally {
      resolving.delete(def.node);
    }
  }
  return null;
}

/** Declarators `importSource` is looking through, so `const r = r('m')` (valid, if doomed) ends. */
const resolving = new Set<TSESTree.Node>();

/** `require('m')`, `req('m')` of a created require, `await import('m')`, `__importDefault(require('m'))` → `m`. */
function loadedModule(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Expression): string | null {
  if (node.type === AST_NODE_TYPES.AwaitExpression) {
    const argument = skipTypeWrappers(node.argument);
    return argument.type === AST_NODE_TYPES.ImportExpression ? stringValue(argument.source) : null;
  }
  if (node.type !== AST_NODE_TYPES.CallExpression) return null;
  const specifier = stringValue(node.arguments[0]);
  if (specifier === null) {
    // an interop helper's argument: `__importDefault(require('m'))`
    const inner = node.arguments[0];
    return node.arguments.length === 1 && inner?.type === AST_NODE_TYPES.CallExpression ? loadedModule(sourceCode, inner) : null;
  }
  return isModuleLoader(sourceCode, skipTypeWrappers(node.callee)) ? specifier : null;
}

/** The global `require`, a binding holding what `createRequire(…)` made, or `createRequire(…)` itself. */
function isModuleLoader(sourceCode: Readonly<TSESLint.SourceCode>, callee: TSESTree.Expression): boolean {
  if (callee.type !== AST_NODE_TYPES.Identifier) return isCreateRequireCall(sourceCode, callee);
  const variable = findVariable(sourceCode, callee);
  if (callee.name === 'require' && (!variable || variable.defs.length === 0)) return true;
  const def = variable?.defs[0];
  return def?.type === 'Variable' && def.node.id.type === AST_NODE_TYPES.Identifier && !!def.node.init && isCreateRequireCall(sourceCode, skipTypeWrappers(def.node.init));
}

const NODE_MODULE = new Set(['module', 'node:module']);

/** `createRequire(…)` or `m.createRequire(…)`, with `createRequire` or `m` from Node.js's `module`. */
function isCreateRequireCall(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Expression): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipTypeWrappers(node.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const object = skipTypeWrappers(callee.object);
    return memberName(callee) === 'createRequire' && object.type === AST_NODE_TYPES.Identifier && NODE_MODULE.has(importSource(sourceCode, object) ?? '');
  }
  return callee.type === AST_NODE_TYPES.Identifier && NODE_MODULE.has(importSource(sourceCode, callee) ?? '');
}

function stringValue(node: TSESTree.Node | undefined): string | null {
  return node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' ? node.value : null;
}

/**
 * The module of `import x = require('m')` (TypeScript's CommonJS import: `x` is the whole module, as
 * with `const x = require('m')`), or null for `import x = A.B`, an alias of a namespace, not a module.
 * Its scope definition is an ImportBinding like an ES import's, but with no ImportDeclaration above it.
 */
export function importEqualsSource(declaration: TSESTree.TSImportEqualsDeclaration): string | null {
  const reference = declaration.moduleReference;
  return reference.type === AST_NODE_TYPES.TSExternalModuleReference ? reference.expression.value : null;
}

/** The child nodes of a node, by the parser's visitor keys. */
export function childNodes(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const key of sourceCode.visitorKeys[node.type] ?? []) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const child of value) {
        if (child) children.push(child as TSESTree.Node);
      }
    } else if (value) {
      children.push(value as TSESTree.Node);
    }
  }
  return children;
}

/**
 * `this.pool` → the value its class gives it, in a field initialiser or a constructor assignment,
 * when there is exactly one.
 */
export function classFieldValue(member: TSESTree.MemberExpression): TSESTree.Expression | null {
  if (member.object.type !== AST_NODE_TYPES.ThisExpression || member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return null;
  const name = member.property.name;
  let body: TSESTree.Node | undefined = member.parent;
  while (body && body.type !== AST_NODE_TYPES.ClassBody) body = body.parent;
  if (!body) return null;
  let found: TSESTree.Expression | null = null;
  let count = 0;
  for (const element of body.body) {
    if (element.type === AST_NODE_TYPES.PropertyDefinition && !element.computed && element.key.type === AST_NODE_TYPES.Identifier && element.key.name === name && element.value) {
      found = element.value;
      count++;
    }
    if (element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor') {
      for (const statement of element.value.body?.body ?? []) {
        const expression = statement.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : null;
        if (
          expression?.type === AST_NODE_TYPES.AssignmentExpression &&
          expression.operator === '=' &&
          expression.left.type === AST_NODE_TYPES.MemberExpression &&
          expression.left.object.type === AST_NODE_TYPES.ThisExpression &&
          !expression.left.computed &&
          expression.left.property.type === AST_NODE_TYPES.Identifier &&
          expression.left.property.name === name
        ) {
          found = expression.right;
          count++;
        }
      }
    }
  }
  return count === 1 ? found : null;
}

/**
 * Visit `root` and the nodes under it, depth first in source order. `visit` returning `false` skips
 * that node's children (a nested function, a match already taken). The one tree walk of the
 * analysis and the rules; ESLint's traversal is for listeners, this is for looking inside a node.
 */
export function visitDescendants(
  sourceCode: Readonly<TSESLint.SourceCode>,
  root: TSESTree.Node,
  visit: (node: TSESTree.Node) => boolean | void,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const children = childNodes(sourceCode, node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/**
 * The first node under `root` (root included) that `match` accepts, in source order, not looking
 * inside nested functions and class bodies — code that does not run where `root` runs — unless
 * `enter` says otherwise.
 */
export function findDescendant<T extends TSESTree.Node = TSESTree.Node>(
  sourceCode: Readonly<TSESLint.SourceCode>,
  root: TSESTree.Node,
  match: (node: TSESTree.Node) => boolean,
  enter: (node: TSESTree.Node) => boolean = (node) => node === root || !(isFunctionNode(node) || node.type === AST_NODE_TYPES.ClassBody),
): T | null {
  let found: TSESTree.Node | null = null;
  visitDescendants(sourceCode, root, (node) => {
    if (found) return false;
    if (match(node)) {
      found = node;
      return false;
    }
    return enter(node);
  });
  return found as T | null;
}

/** `x.close` → `close`, `x[Symbol.asyncDispose]` → `[Symbol.asyncDispose]`; null for other computed members. */
export function memberName(member: TSESTree.MemberExpression): string | null {
  if (!member.computed && member.property.type === AST_NODE_TYPES.Identifier) return member.property.name;
  const property = member.property;
  if (
    member.computed &&
    property.type === AST_NODE_TYPES.MemberExpression &&
    property.object.type === AST_NODE_TYPES.Identifier &&
    property.object.name === 'Symbol' &&
    property.property.type === AST_NODE_TYPES.Identifier
  ) {
    return `[Symbol.${property.property.name}]`;
  }
  return null;
}
