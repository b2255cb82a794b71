import * as fs from 'node:fs';
import * as path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { parse } from '@typescript-eslint/typescript-estree';

/**
 * Untyped mode's one look beyond the file: which exports of a relative import are promise-returning
 * functions. Reads and parses (never runs) the imported file, once per version of it. Typed mode
 * does not need this; the checker already knows.
 */
export type ExportsReader = (fromFile: string, specifier: string) => ReadonlySet<string> | null;

const MAX_BYTES = 1_000_000;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface CacheEntry {
  mtimeMs: number;
  size: number;
  names: ReadonlySet<string>;
}
const cache = new Map<string, CacheEntry>();

export const readPromiseExports: ExportsReader = (fromFile, specifier) => {
  if (!specifier.startsWith('.') || !path.isAbsolute(fromFile)) return null;
  const file = resolve(path.resolve(path.dirname(fromFile), specifier));
  if (!file) return null;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_BYTES) return null;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.names;
    const names = promiseExports(fs.readFileSync(file, 'utf8'), /\.[cm]?tsx?$/.test(file), /x$/.test(file));
    cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, names });
    return names;
  } catch {
    return null; // unreadable or unparsable: know nothing rather than fail the lint
  }
};

/** `./store.js` may name `store.ts` (TypeScript's ESM convention), `store.js`, or `store/index.*`. */
function resolve(base: string): string | null {
  const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
  const candidates = [base, ...EXTENSIONS.map((ext) => stem + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  for (const candidate of candidates) {
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next
    }
  }
  return null;
}

/** Exported names bound to promise-returning functions, by their shape in the source. */
export function promiseExports(code: string, typescript: boolean, jsx: boolean): ReadonlySet<string> {
  const ast = parse(code, { jsx, loc: false, range: false, comment: false, tokens: false, suppressDeprecatedPropertyWarnings: true, ...(typescript ? {} : { allowInvalidAST: true }) });
  const local = new Map<string, boolean>();
  const names = new Set<string>();

  const isPromiseFunction = (node: TSESTree.Node | null | undefined): boolean => {
    if (!node) return false;
    if (
      node.type === AST_NODE_TYPES.FunctionDeclaration ||
      node.type === AST_NODE_TYPES.FunctionExpression ||
      node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
      node.type === AST_NODE_TYPES.TSDeclareFunction
    ) {
      if (node.generator) return false;
      const returnType = node.returnType?.typeAnnotation;
      return (
        node.async ||
        (returnType?.type === AST_NODE_TYPES.TSTypeReference &&
          returnType.typeName.type === AST_NODE_TYPES.Identifier &&
          (returnType.typeName.name === 'Promise' || returnType.typeName.name === 'PromiseLike'))
      );
    }
    if (node.type === AST_NODE_TYPES.Identifier) return local.get(node.name) === true;
    return false;
  };

  // Local bindings first, so `export { a }` and `module.exports = { a }` can refer to them.
  for (const statement of ast.body) {
    const declaration =
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id) {
      local.set(declaration.id.name, isPromiseFunction(declaration));
    } else if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier) local.set(declarator.id.name, isPromiseFunction(declarator.init));
      }
    }
  }

  for (const statement of ast.body) {
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      const declaration = statement.declaration;
      if ((declaration?.type === AST_NODE_TYPES.FunctionDeclaration || declaration?.type === AST_NODE_TYPES.TSDeclareFunction) && declaration.id) {
        if (isPromiseFunction(declaration)) names.add(declaration.id.name);
      } else if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === AST_NODE_TYPES.Identifier && isPromiseFunction(declarator.init)) names.add(declarator.id.name);
        }
      } else if (!statement.source) {
        for (const specifier of statement.specifiers) {
          if (specifier.local.type === AST_NODE_TYPES.Identifier && local.get(specifier.local.name)) {
            names.add(specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value));
          }
        }
      }
    } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      if (isPromiseFunction(statement.declaration)) names.add('default');
    } else if (statement.type === AST_NODE_TYPES.ExpressionStatement) {
      collectCommonJs(statement.expression, isPromiseFunction, names);
    }
  }
  return names;
}

/** `exports.a = async …`, `module.exports.a = …`, `module.exports = { a, b: async () => … }`. */
function collectCommonJs(
  expression: TSESTree.Expression,
  isPromiseFunction: (node: TSESTree.Node | null | undefined) => boolean,
  names: Set<string>,
): void {
  if (expression.type !== AST_NODE_TYPES.AssignmentExpression || expression.left.type !== AST_NODE_TYPES.MemberExpression) return;
  const target = expression.left;
  const isModuleExports = (node: TSESTree.Node) =>
    node.type === AST_NODE_TYPES.MemberExpression &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === 'module' &&
    node.property.type === AST_NODE_TYPES.Identifier &&
    node.property.name === 'exports';
  const isExports = (node: TSESTree.Node) =>
    (node.type === AST_NODE_TYPES.Identifier && node.name === 'exports') || isModuleExports(node);
  if (isModuleExports(target) && expression.right.type === AST_NODE_TYPES.ObjectExpression) {
    for (const property of expression.right.properties) {
      if (property.type === AST_NODE_TYPES.Property && property.key.type === AST_NODE_TYPES.Identifier && isPromiseFunction(property.value)) {
        names.add(property.key.name);
      }
    }
  } else if (isModuleExports(target) && isPromiseFunction(expression.right)) {
    names.add('default');
  } else if (isExports(target.object) && !target.computed && target.property.type === AST_NODE_TYPES.Identifier && isPromiseFunction(expression.right)) {
    names.add(target.property.name);
  }
}
