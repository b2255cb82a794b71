import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  childNodes,
  enclosingFunction,
  findDescendant,
  findVariable,
  isFunctionNode,
  resolveFunction,
  singleValueOf,
  skipTypeWrappers,
  visitDescendants,
  type FunctionNode,
} from './bindings';
import { isRequestHandler } from './callbackPositions';
import { REQUEST_INPUTS, REQUEST_NAMES, WHOLE_BODY_METHODS } from './readCatalogue';
import { useOf, type ValueUse } from './valueUses';

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
  /** Before (or around) `at`, a `Content-Length` check on the response `creation` made: `bounded` when it also refuses a missing length. */
  contentLengthCheck(creation: TSESTree.Node, at: TSESTree.Node): 'bounded' | 'partial' | null;
  /** The function around `at` counts bytes against a cap and stops the read (a bounded reader). */
  inBoundedReader(at: TSESTree.Node): boolean;
  /** Where the body collects chunks — `+=` on a string, `.push(…)`, `.concat(…)` — or null. */
  accumulation(body: TSESTree.Node): TSESTree.AssignmentExpression | TSESTree.CallExpression | null;
  /** A running byte count compared against a cap that stops the read. */
  counts(body: TSESTree.Node): boolean;
  /**
   * Where a function reads its parameter `index` whole, with no cap, if it does: a body method
   * (`p.json()`), `p.toArray()`, a stream consumer (`text(p)`), chunks collected from `for await`
   * or `p.on('data')`, or a helper it hands the parameter to that does (a few calls deep).
   */
  wholeReadOf(fn: FunctionNode, index: number, isConsumer: (call: TSESTree.CallExpression) => boolean): TSESTree.Node | null;
}

export function createReadModel(sourceCode: Readonly<TSESLint.SourceCode>, allowedOrigins: readonly string[]): ReadModel {
  const constantValue = (node: TSESTree.Node) => ASTUtils.getStaticValue(node as TSESTree.Expression, sourceCode.getScope(node));

  function isUntrustedUrl(url: TSESTree.Node | undefined): boolean {
    if (!url || url.type === AST_NODE_TYPES.SpreadElement) return false;
    const node = skipTypeWrappers(url as TSESTree.Expression);
    // `new URL('https://…')` with constant arguments is as constant as the string.
    const literal = node.type === AST_NODE_TYPES.NewExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'URL' ? node.arguments : [node];
    if (literal.every((part) => part.type !== AST_NODE_TYPES.SpreadElement && typeof constantValue(part)?.value === 'string')) return false;
    const origin = constantOrigin(node);
    return !(origin && allowedOrigins.some((allowed) => sameOrigin(allowed, origin)));
  }

  /**
   * The origin a URL's constant start fixes: `https://api.example.com/…`, from a template's leading
   * text and constant expressions, a concatenation's constant left side, or `new URL(path, base)`.
   * The host is fixed only when the constant text goes on past it (`/`, `?`, `#`).
   */
  function constantOrigin(url: TSESTree.Expression): string | null {
    let node = url;
    if (node.type === AST_NODE_TYPES.NewExpression && node.arguments.length > 0) {
      const base = node.arguments[1] ?? node.arguments[0];
      node = base as TSESTree.Expression;
    }
    const prefix = constantPrefix(node);
    const match = prefix && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(prefix);
    return match && prefix!.length > match[0].length ? match[0] : null;
  }

  function constantPrefix(node: TSESTree.Expression): string | null {
    const whole = constantValue(node);
    if (typeof whole?.value === 'string') return whole.value;
    if (node.type === AST_NODE_TYPES.TemplateLiteral) {
      let prefix = '';
      for (let i = 0; i < node.quasis.length; i++) {
        prefix += node.quasis[i].value.cooked ?? '';
        const expression = node.expressions[i];
        if (!expression) break;
        const value = constantValue(expression);
        if (typeof value?.value !== 'string' && typeof value?.value !== 'number') return prefix;
        prefix += String(value.value);
      }
      return prefix;
    }
    if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+') {
      return constantPrefix(node.left);
    }
    return null;
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

  function contentLengthCheck(creation: TSESTree.Node, at: TSESTree.Node): 'bounded' | 'partial' | null {
    let declarator: TSESTree.Node | undefined = creation.parent;
    while (declarator && declarator.type !== AST_NODE_TYPES.VariableDeclarator && !isFunctionNode(declarator)) declarator = declarator.parent;
    const fn = enclosingFunction(at);
    if (!fn || declarator?.type !== AST_NODE_TYPES.VariableDeclarator) return null;
    const response = declarator;
    let result: 'bounded' | 'partial' | null = null;
    visitDescendants(sourceCode, fn.body, (node) => {
      // Checks written before the read, or around it; not in nested functions.
      if (node.range[0] >= at.range[0] || isFunctionNode(node)) return false;
      if (node.type === AST_NODE_TYPES.IfStatement) {
        const names = lengthNames(node.test, response);
        if (names.length > 0) result = refusesMissing(node, names, at) ? 'bounded' : (result ?? 'partial');
      }
      return true;
    });
    return result;
  }

  /** `res.headers.get('content-length')`, or `headers['content-length']` destructured from the same `request()`. */
  function isLengthHeaderOf(response: TSESTree.VariableDeclarator, node: TSESTree.Node): boolean {
    if ((node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.MemberExpression) || !/content-length/i.test(sourceCode.getText(node))) {
      return false;
    }
    let root: TSESTree.Node = node;
    while (root.type === AST_NODE_TYPES.MemberExpression || root.type === AST_NODE_TYPES.CallExpression) {
      root = root.type === AST_NODE_TYPES.MemberExpression ? root.object : root.callee;
    }
    return root.type === AST_NODE_TYPES.Identifier && findVariable(sourceCode, root)?.defs[0]?.node === response;
  }

  /** The expressions in a test that stand for this response's declared length: its header read, or a binding to one. */
  function lengthNames(test: TSESTree.Node, response: TSESTree.VariableDeclarator): string[] {
    const names: string[] = [];
    const isHeader = (node: TSESTree.Node) => isLengthHeaderOf(response, node);
    visitDescendants(sourceCode, test, (node) => {
      if (isHeader(node)) {
        names.push(sourceCode.getText(node));
        return false;
      }
      if (node.type !== AST_NODE_TYPES.Identifier) return true;
      const def = findVariable(sourceCode, node)?.defs[0];
      if (def?.type === 'Variable' && def.node.init && findDescendant(sourceCode, def.node.init, isHeader, () => true)) names.push(node.name);
      return false;
    });
    return names;
  }

  /**
   * The check also rejects a missing length: a test on the length itself (`!len`, `len == null`,
   * `Number.isNaN(len)`, `len ?? …`), or, when the read sits inside the check, a lower bound
   * (`len > 0 && len <= MAX`) that a missing length fails.
   */
  function refusesMissing(check: TSESTree.IfStatement, lengths: string[], at: TSESTree.Node): boolean {
    const test = sourceCode.getText(check.test);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const names = lengths.map(escape);
    const name = `(?:${names.join('|')})`;
    const missing = new RegExp(`!\\s*(?:Number\\()?${name}|${name}\\s*[!=]==?\\s*(?:null|undefined)|isNaN\\(\\s*(?:Number\\()?${name}|isFinite\\(\\s*(?:Number\\()?${name}|${name}\\s*\\?\\?`);
    const exits = /\b(throw|return)\b/.test(sourceCode.getText(check.consequent));
    if (exits && missing.test(test)) return true;
    const inside = at.range[0] >= check.consequent.range[0] && at.range[1] <= check.consequent.range[1];
    return inside && new RegExp(`${name}\\s*>\\s*0\\b|${name}\\s*>=\\s*1\\b`).test(test);
  }

  function inBoundedReader(at: TSESTree.Node): boolean {
    const fn = enclosingFunction(at);
    if (!fn) return false;
    const text = sourceCode.getText(fn.body);
    // Counts bytes (`+= chunk.length`), compares them, and stops the read.
    return /\+=\s*[\w.]+\.(byteLength|length)/.test(text) && /[<>]=?/.test(text) && /\.(cancel|destroy|abort)\(|controller\.abort/.test(text);
  }

  function accumulation(body: TSESTree.Node): TSESTree.AssignmentExpression | TSESTree.CallExpression | null {
    const sizeOnly = (node: TSESTree.Node) =>
      (node.type === AST_NODE_TYPES.MemberExpression && node.property.type === AST_NODE_TYPES.Identifier && ['length', 'byteLength'].includes(node.property.name)) ||
      (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number');
    return findDescendant<TSESTree.AssignmentExpression | TSESTree.CallExpression>(sourceCode, body, (node) =>
      (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '+=' && !sizeOnly(node.right)) ||
      (node.type === AST_NODE_TYPES.CallExpression &&
        node.callee.type === AST_NODE_TYPES.MemberExpression &&
        node.callee.property.type === AST_NODE_TYPES.Identifier &&
        ['push', 'concat'].includes(node.callee.property.name)),
    );
  }

  function accumulates(body: TSESTree.Node): boolean {
    return accumulation(body) !== null;
  }

  function counts(body: TSESTree.Node): boolean {
    const text = sourceCode.getText(body);
    return /\.(length|byteLength)\b/.test(text) && /[<>]=?/.test(text) && /\b(destroy|cancel|abort|pause|throw|reject|return|break)\b/.test(text);
  }

  function wholeReadOf(fn: FunctionNode, index: number, isConsumer: (call: TSESTree.CallExpression) => boolean, depth = 0): TSESTree.Node | null {
    const param = fn.params[index];
    if (param?.type !== AST_NODE_TYPES.Identifier || depth > 3) return null;
    const variable = (sourceCode.scopeManager?.getDeclaredVariables(fn) ?? []).find((candidate) => candidate.name === param.name);
    const pending: TSESLint.Scope.Variable[] = variable ? [variable] : [];
    const seen = new Set(pending);
    for (let current = pending.pop(); current; current = pending.pop()) {
      for (const reference of current.references) {
        if (reference.init || !reference.isRead()) continue;
        const found = wholeReadAt(useOf(reference.identifier), isConsumer, depth, (alias: TSESLint.Scope.Variable) => {
          if (seen.has(alias)) return;
          seen.add(alias);
          pending.push(alias);
        });
        if (found && !inBoundedReader(found)) return found;
      }
    }
    return null;
  }

  function wholeReadAt(
    use: ValueUse,
    isConsumer: (call: TSESTree.CallExpression) => boolean,
    depth: number,
    follow: (alias: TSESLint.Scope.Variable) => void,
  ): TSESTree.Node | null {
    switch (use.type) {
      case 'method': {
        if (Object.hasOwn(WHOLE_BODY_METHODS, use.name) || use.name === 'toArray') return use.call;
        const [event, listener] = use.call.arguments;
        if ((use.name === 'on' || use.name === 'addListener') && event?.type === AST_NODE_TYPES.Literal && event.value === 'data' && isFunctionNode(listener)) {
          return accumulates(listener.body) && !counts(listener.body) ? use.call : null;
        }
        return null;
      }
      case 'iterate':
        return accumulates(use.loop.body) && !counts(use.loop.body) ? use.loop : null;
      case 'argument': {
        if (use.call.type !== AST_NODE_TYPES.CallExpression) return null;
        if (use.index === 0 && isConsumer(use.call)) return use.call;
        const inner = resolveFunction(sourceCode, use.call.callee as TSESTree.Expression);
        return inner ? wholeReadOf(inner, use.index, isConsumer, depth + 1) : null;
      }
      case 'alias': {
        const [alias] = sourceCode.scopeManager?.getDeclaredVariables(use.declarator) ?? [];
        if (alias) follow(alias);
        return null;
      }
      default:
        return null;
    }
  }

  return { isUntrustedUrl, isRequestSource, derivesFromRequest, contentLengthCheck, inBoundedReader, accumulation, counts, wholeReadOf };
}
