import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { childNodes, enclosingFunction, findVariable, isFunctionNode, singleValueOf, skipTypeWrappers, type FunctionNode } from './bindings';
import { isRequestHandler } from './callbackPositions';
import { REQUEST_INPUTS, REQUEST_NAMES } from './readCatalogue';

/**
 * Where data comes from, for reads that must be bounded: a URL the program does not fully choose,
 * an incoming request or socket, a path taken from a request; and whether a read is already
 * bounded by a byte count or a `Content-Length` check that also refuses a missing length.
 */
export interface ReadModel {
  /** The URL of a request is not a constant, or its origin is not one of the trusted ones. */
  isUntrustedUrl(url: TSESTree.Node | undefined): boolean;
  /** An incoming request or socket: a handler's request parameter, or a value read from one. */
  isRequestSource(expression: TSESTree.Expression): boolean;
  /** A value (a path) computed from a request's inputs (`req.params.name`, `path.join(dir, req.query.f)`). */
  derivesFromRequest(expression: TSESTree.Node): boolean;
  /** Before `at` in its function, a `Content-Length` check on `response`: `bounded` when it also refuses a missing length. */
  contentLengthCheck(response: string, at: TSESTree.Node): 'bounded' | 'partial' | null;
  /** The function around `at` counts bytes against a cap and stops the read (a bounded reader). */
  inBoundedReader(at: TSESTree.Node): boolean;
}

export function createReadModel(sourceCode: Readonly<TSESLint.SourceCode>, allowedOrigins: readonly string[]): ReadModel {
  const constantValue = (node: TSESTree.Node) => ASTUtils.getStaticValue(node as TSESTree.Expression, sourceCode.getScope(node));

  function isUntrustedUrl(url: TSESTree.Node | undefined): boolean {
    if (!url || url.type === AST_NODE_TYPES.SpreadElement) return false;
    const value = constantValue(url);
    if (value && (typeof value.value === 'string' || value.value instanceof URL)) return false;
    const origin = constantOrigin(url);
    return !(origin && allowedOrigins.some((allowed) => sameOrigin(allowed, origin)));
  }

  /** The literal start of a template or concatenation, when it fixes the origin: `https://api.example.com/…`. */
  function constantOrigin(url: TSESTree.Node): string | null {
    let node = skipTypeWrappers(url as TSESTree.Expression);
    if (node.type === AST_NODE_TYPES.NewExpression && node.arguments[0]) node = node.arguments[0] as TSESTree.Expression;
    let prefix: string | null = null;
    if (node.type === AST_NODE_TYPES.TemplateLiteral) prefix = node.quasis[0].value.cooked ?? null;
    else if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+') {
      const left = constantValue(node.left);
      prefix = typeof left?.value === 'string' ? left.value : null;
    }
    const match = prefix && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(prefix);
    return match && (prefix!.length > match[0].length || node.type !== AST_NODE_TYPES.TemplateLiteral || node.quasis.length === 1) ? match[0] : null;
  }

  function sameOrigin(allowed: string, origin: string): boolean {
    const normalise = (text: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).replace(/\/+$/, '').toLowerCase();
    return normalise(allowed) === normalise(origin) || normalise(origin).endsWith(`//${allowed.toLowerCase()}`);
  }

  /**
   * A handler's request (or connection) parameter. `req`/`request` as the first parameter of any
   * function is one by convention (`readBody(req)`); other names (`socket`, `ctx`) only in a function
   * registered as a request or connection handler.
   */
  function isRequestParameter(identifier: TSESTree.Identifier): boolean {
    const def = findVariable(sourceCode, identifier)?.defs[0];
    if (def?.type !== 'Parameter' || !REQUEST_NAMES.test(identifier.name)) return false;
    const fn = def.node as FunctionNode;
    const first = fn.params.indexOf(def.name as TSESTree.Parameter) === 0;
    if (/^(req|request)$/.test(identifier.name) && first) return true;
    return isRequestHandler(fn) && first;
  }

  function isRequestSource(expression: TSESTree.Expression): boolean {
    const node = skipTypeWrappers(expression);
    if (node.type === AST_NODE_TYPES.Identifier) {
      if (isRequestParameter(node)) return true;
      const variable = findVariable(sourceCode, node);
      const value = variable && singleValueOf(variable);
      return !!value && value.type !== AST_NODE_TYPES.FunctionDeclaration && value.type !== AST_NODE_TYPES.ClassDeclaration && isRequestSource(value as TSESTree.Expression);
    }
    // `ctx.req` (koa), `request.raw` (fastify)
    if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
      return ['req', 'raw'].includes(node.property.name) && node.object.type === AST_NODE_TYPES.Identifier && isRequestParameter(node.object);
    }
    return false;
  }

  function derivesFromRequest(expression: TSESTree.Node): boolean {
    const stack: TSESTree.Node[] = [expression];
    const seen = new Set<TSESTree.Node>();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (seen.has(node) || isFunctionNode(node)) continue;
      seen.add(node);
      if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
        if (REQUEST_INPUTS.has(node.property.name) && node.object.type === AST_NODE_TYPES.Identifier && isRequestParameter(node.object)) return true;
      }
      if (node.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariable(sourceCode, node);
        const def = variable?.defs[0];
        if (def?.type === 'Variable' && def.node.init) stack.push(def.node.init);
        continue;
      }
      stack.push(...childNodes(sourceCode, node));
    }
    return false;
  }

  function contentLengthCheck(response: string, at: TSESTree.Node): 'bounded' | 'partial' | null {
    const fn = enclosingFunction(at);
    if (!fn) return null;
    let result: 'bounded' | 'partial' | null = null;
    const stack: TSESTree.Node[] = [fn.body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.range[0] >= at.range[0]) continue;
      if (isFunctionNode(node) && node !== fn) continue;
      if (node.type === AST_NODE_TYPES.IfStatement && mentionsContentLength(node.test, response)) {
        result = refusesMissing(node) ? 'bounded' : (result ?? 'partial');
      }
      stack.push(...childNodes(sourceCode, node));
    }
    return result;
  }

  /** `res.headers.get('content-length')`, directly or through a binding. */
  function mentionsContentLength(test: TSESTree.Node, response: string): boolean {
    const text = sourceCode.getText(test);
    if (/content-length/i.test(text)) return true;
    const stack: TSESTree.Node[] = [test];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === AST_NODE_TYPES.Identifier) {
        const def = findVariable(sourceCode, node)?.defs[0];
        if (def?.type === 'Variable' && def.node.init && /content-length/i.test(sourceCode.getText(def.node.init)) && sourceCode.getText(def.node.init).includes(response)) {
          return true;
        }
      }
      stack.push(...childNodes(sourceCode, node));
    }
    return false;
  }

  /** The check's test or a sibling check also rejects a missing length (`!len`, `len === null`, `Number.isNaN`). */
  function refusesMissing(check: TSESTree.IfStatement): boolean {
    const text = sourceCode.getText(check.test);
    const exits = /\b(throw|return)\b/.test(sourceCode.getText(check.consequent));
    return exits && /(!\s*\w|===?\s*(null|undefined)|==\s*null|isNaN|isFinite|\?\?)/.test(text);
  }

  function inBoundedReader(at: TSESTree.Node): boolean {
    const fn = enclosingFunction(at);
    if (!fn) return false;
    const text = sourceCode.getText(fn.body);
    // Counts bytes (`+= chunk.length`), compares them, and stops the read.
    return /\+=\s*[\w.]+\.(byteLength|length)/.test(text) && /[<>]=?/.test(text) && /\.(cancel|destroy|abort)\(|controller\.abort/.test(text);
  }

  return { isUntrustedUrl, isRequestSource, derivesFromRequest, contentLengthCheck, inBoundedReader };
}
