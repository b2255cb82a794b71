import { isBuiltin } from 'node:module';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { findVariable, importSource, isFunctionNode, resolveFunction, skipTypeWrappers, visitDescendants, type FunctionNode } from './bindings';
import { NON_OWNING_CALLEES, NON_THROWING_CALLEES, OPTION_KEEPING_CALLEES, THROWING_CALLEES } from './effectCatalogue';
import { useOf, type ValueUse } from './valueUses';

/**
 * "What does passing `x` to `f` do to `x`?" — function summaries. For each function of the file,
 * what it does to each parameter: the methods it calls on it (directly or through further calls
 * it makes), the functions it passes it to, the properties it reads, whether it keeps it
 * (stores, returns, hands it to code we cannot see), and whether a call of it can throw
 * synchronously. Which methods *release* depends on the resource: the resource model decides
 * from the effect (`effectSettles`). A callee with no summary gives `null`, and the caller keeps
 * its conservative answer. Lazy, cached per file version (per SourceCode), recursion-safe.
 */
export interface ValueEffect {
  /** Methods called on it, as member paths: `close`, `body.cancel`. */
  readonly methods: ReadonlySet<string>;
  /** Callees it is passed to, by their last name: `clearInterval`, `closeSync`. */
  readonly passedTo: ReadonlySet<string>;
  /** Properties read as values (not only tested): `body`. */
  readonly reads: ReadonlySet<string>;
  /** It is iterated (`for … of x`): a directory or a body read to the end. */
  readonly iterated: boolean;
  /** Ownership may leave: stored, returned, put in a container, or passed where we cannot see. */
  readonly escapes: boolean;
}

export interface FunctionSummary {
  /** One effect per positional parameter; a destructured or rest parameter escapes. */
  readonly params: readonly ValueEffect[];
  /** A synchronous call of it may throw (a `throw`, a throwing built-in, a helper that may). Async functions reject instead. */
  readonly canThrow: boolean;
}

export interface SummaryModel {
  summaryOf(fn: FunctionNode): FunctionSummary;
  /** What `call` does to its argument at `index`, or null when the callee has no summary. */
  effectOnArgument(call: TSESTree.CallExpression | TSESTree.NewExpression, index: number): ValueEffect | null;
  /**
   * Whether this call can throw synchronously: `yes` (a throwing built-in or a helper whose
   * summary can throw), `no` (catalogued as safe, or a helper that cannot), `unknown`.
   */
  throwsSynchronously(call: TSESTree.CallExpression | TSESTree.NewExpression): 'yes' | 'no' | 'unknown';
  /** The effect of every use of `variable`, its aliases followed. */
  effectOfVariable(variable: TSESLint.Scope.Variable): ValueEffect;
  /** A call that only looks at what it is given (`console.log`, `assert`, Node.js's own functions). */
  isNonOwningCall(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean;
  /** Whether a callee keeps what an options object passed to it as argument `index` holds. */
  optionIsKept(call: TSESTree.CallExpression | TSESTree.NewExpression, index: number): boolean;
}

interface MutableEffect {
  methods: Set<string>;
  passedTo: Set<string>;
  reads: Set<string>;
  iterated: boolean;
  escapes: boolean;
}

const ESCAPES: ValueEffect = { methods: new Set(), passedTo: new Set(), reads: new Set(), iterated: false, escapes: true };
const emptyEffect = (): MutableEffect => ({ methods: new Set(), passedTo: new Set(), reads: new Set(), iterated: false, escapes: false });

const cache = new WeakMap<object, SummaryModel>();

export function getSummaryModel(sourceCode: Readonly<TSESLint.SourceCode>): SummaryModel {
  let model = cache.get(sourceCode);
  if (!model) cache.set(sourceCode, (model = createSummaryModel(sourceCode)));
  return model;
}

/** The name a callee starts from: `fs` of `fs.promises.open`, `once` of `once(…)`; null for `this.x()` or `f()()`. */
function calleeRoot(call: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.Identifier | null {
  let root = skipTypeWrappers(call.callee as TSESTree.Expression);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = skipTypeWrappers(root.object);
  return root.type === AST_NODE_TYPES.Identifier ? root : null;
}

/** `console.log`, `this.pool.end`, `release` — the callee as dotted text, `?` where a part is not a name. */
export function calleePath(call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const parts: string[] = [];
  let node = skipTypeWrappers(call.callee as TSESTree.Expression);
  while (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
    parts.unshift(node.property.name);
    node = skipTypeWrappers(node.object);
  }
  if (node.type === AST_NODE_TYPES.Identifier) parts.unshift(node.name);
  else if (node.type === AST_NODE_TYPES.ThisExpression) parts.unshift('this');
  else parts.unshift('?');
  return `${call.type === AST_NODE_TYPES.NewExpression && parts.length === 1 ? 'new ' : ''}${parts.join('.')}`;
}

function createSummaryModel(sourceCode: Readonly<TSESLint.SourceCode>): SummaryModel {
  const summaries = new Map<FunctionNode, FunctionSummary>();
  /** Summaries being computed: a recursive call sees what is known so far (nothing kept, cannot throw). */
  const inProgress = new Set<FunctionNode>();

  function summaryOf(fn: FunctionNode): FunctionSummary {
    const known = summaries.get(fn);
    if (known) return known;
    if (inProgress.has(fn)) return { params: fn.params.map(() => emptyEffect()), canThrow: false };
    inProgress.add(fn);
    try {
      const declared = sourceCode.scopeManager?.getDeclaredVariables(fn) ?? [];
      const params = fn.params.map((param) => {
        const pattern = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
        if (pattern.type !== AST_NODE_TYPES.Identifier) return ESCAPES; // destructured, rest, `private pool: Pool`
        const variable = declared.find((candidate) => candidate.name === pattern.name && candidate.defs.some((def) => def.type === 'Parameter'));
        return variable ? effectOfVariable(variable) : ESCAPES;
      });
      const summary: FunctionSummary = { params, canThrow: !fn.async && !fn.generator && bodyCanThrow(fn) };
      summaries.set(fn, summary);
      return summary;
    } finally {
      inProgress.delete(fn);
    }
  }

  function effectOfVariable(variable: TSESLint.Scope.Variable): ValueEffect {
    const effect = emptyEffect();
    addVariable(effect, variable, new Set());
    return effect;
  }

  function addVariable(effect: MutableEffect, variable: TSESLint.Scope.Variable, seen: Set<TSESLint.Scope.Variable>): void {
    if (seen.has(variable)) return;
    seen.add(variable);
    for (const reference of variable.references) {
      if (reference.init || !reference.isRead()) continue;
      addUse(effect, useOf(reference.identifier), seen);
      if (effect.escapes) return;
    }
  }

  function addUse(effect: MutableEffect, use: ValueUse, seen: Set<TSESLint.Scope.Variable>): void {
    switch (use.type) {
      case 'method':
        effect.methods.add(use.name);
        return;
      case 'read':
        // A property only tested (`if (res.ok)`) says nothing; one used as a value (`pipe(res.body)`) is read.
        if (use.name !== null && useOf(use.member).type !== 'look') effect.reads.add(use.name);
        return;
      case 'argument': {
        const inner = effectOnArgument(use.call, use.index);
        if (inner) return merge(effect, inner);
        const name = calleePath(use.call);
        effect.passedTo.add(name.split('.').pop()!);
        if (!isNonOwningCall(use.call)) effect.escapes = true;
        return;
      }
      case 'option':
        if (optionIsKept(use.call, use.index)) effect.escapes = true;
        return;
      case 'alias': {
        const [alias] = sourceCode.scopeManager?.getDeclaredVariables(use.declarator) ?? [];
        if (alias) addVariable(effect, alias, seen);
        else effect.escapes = true;
        return;
      }
      case 'iterate':
        effect.iterated = true;
        return;
      case 'look':
      case 'called':
        return;
      case 'store':
      case 'return':
      case 'escape':
        effect.escapes = true;
        return;
    }
  }

  function effectOnArgument(call: TSESTree.CallExpression | TSESTree.NewExpression, index: number): ValueEffect | null {
    if (call.arguments.slice(0, index + 1).some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) return null;
    const fn = calleeFunction(call);
    if (!fn) return null;
    const param = fn.params[index];
    if (!param) return emptyEffect(); // not a parameter: only `arguments` could see it
    if (param.type === AST_NODE_TYPES.RestElement) return ESCAPES;
    return summaryOf(fn).params[index];
  }

  /** The local function a call runs: `helper(x)`, `this.cleanup(x)`, `obj.m(x)`; not a constructor. */
  function calleeFunction(call: TSESTree.CallExpression | TSESTree.NewExpression): FunctionNode | null {
    if (call.type !== AST_NODE_TYPES.CallExpression) return null;
    const fn = resolveFunction(sourceCode, call.callee as TSESTree.Expression);
    // A function that mentions `arguments` may read any argument by position.
    if (!fn || fn.type === AST_NODE_TYPES.ArrowFunctionExpression) return fn;
    let usesArguments = false;
    visitDescendants(sourceCode, fn.body ?? fn, (node) => {
      if (usesArguments || (node !== fn.body && isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression)) return false;
      if (node.type === AST_NODE_TYPES.Identifier && node.name === 'arguments') usesArguments = true;
      return undefined;
    });
    return usesArguments ? null : fn;
  }

  /** A resource in an options object is only used by the call (`https.get(url, { agent })`) unless the callee keeps it. */
  function optionIsKept(call: TSESTree.CallExpression | TSESTree.NewExpression, index: number): boolean {
    const fn = calleeFunction(call);
    if (fn) {
      const param = fn.params[index];
      if (!param) return false;
      // A local callee that keeps the whole options object keeps what it holds; one that destructures it, we cannot say.
      return param.type !== AST_NODE_TYPES.Identifier && param.type !== AST_NODE_TYPES.AssignmentPattern ? true : summaryOf(fn).params[index].escapes;
    }
    // A constructor keeps its options (`new Kysely({ dialect })`, `new Redlock([client])`).
    if (call.type === AST_NODE_TYPES.NewExpression) return true;
    return OPTION_KEEPING_CALLEES.has(calleePath(call).split('.').pop()!);
  }

  function isNonOwningCall(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    if (NON_OWNING_CALLEES.test(calleePath(call))) return true;
    // `fs.writeSync(fd, …)`, `once(socket, 'open')`: Node's own APIs use a resource, they do not keep it.
    const root = calleeRoot(call);
    const source = root && importSource(sourceCode, root);
    return !!source && isBuiltin(source);
  }

  function throwsSynchronously(call: TSESTree.CallExpression | TSESTree.NewExpression): 'yes' | 'no' | 'unknown' {
    const name = calleePath(call);
    if (NON_THROWING_CALLEES.test(name)) return 'no';
    if (THROWING_CALLEES.test(name)) return isGlobalOrBuiltin(call) ? 'yes' : 'unknown';
    const fn = calleeFunction(call);
    if (fn) return summaryOf(fn).canThrow ? 'yes' : 'no';
    return 'unknown';
  }

  /** `JSON.parse` is the global one, `fs.readFileSync` Node's: a local `parse` is judged by its summary. */
  function isGlobalOrBuiltin(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const root = calleeRoot(call);
    if (!root) return false;
    const variable = findVariable(sourceCode, root);
    if (!variable || variable.defs.length === 0) return true;
    const source = importSource(sourceCode, root);
    return source !== null && (isBuiltin(source) || source === 'assert' || source.startsWith('zod'));
  }

  /** A `throw` not caught in the function, or a call that throws, outside nested functions. */
  function bodyCanThrow(fn: FunctionNode): boolean {
    let throws = false;
    visitDescendants(sourceCode, fn.body ?? fn, (node) => {
      if (throws || (node !== fn.body && isFunctionNode(node))) return false;
      if (node.type === AST_NODE_TYPES.TryStatement && node.handler) {
        // Whatever the block throws is caught; the handler and finalizer still run here.
        if (node.handler.body && subtreeCanThrow(node.handler.body)) throws = true;
        if (node.finalizer && subtreeCanThrow(node.finalizer)) throws = true;
        return false;
      }
      if (node.type === AST_NODE_TYPES.ThrowStatement) throws = true;
      else if ((node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) && !inProgressCall(node) && throwsSynchronously(node) === 'yes') {
        throws = true;
      }
      return undefined;
    });
    return throws;
  }

  function subtreeCanThrow(root: TSESTree.Node): boolean {
    let throws = false;
    visitDescendants(sourceCode, root, (node) => {
      if (throws || isFunctionNode(node)) return false;
      if (node.type === AST_NODE_TYPES.ThrowStatement) throws = true;
      else if ((node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) && !inProgressCall(node) && throwsSynchronously(node) === 'yes') {
        throws = true;
      }
      return undefined;
    });
    return throws;
  }

  function inProgressCall(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const fn = calleeFunction(call);
    return fn !== null && inProgress.has(fn);
  }

  function merge(into: MutableEffect, from: ValueEffect): void {
    for (const method of from.methods) into.methods.add(method);
    for (const callee of from.passedTo) into.passedTo.add(callee);
    for (const read of from.reads) into.reads.add(read);
    into.iterated ||= from.iterated;
    into.escapes ||= from.escapes;
  }

  return { summaryOf, effectOnArgument, throwsSynchronously, effectOfVariable, isNonOwningCall, optionIsKept };
}
