import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { typeMatchesSomeSpecifier } from '@typescript-eslint/type-utils';
import { CALL, CONSTRUCT, traceReferences, type TraceMap, type TraceMaps } from './apiReferences';
import { classFieldValue, enclosingFunction, findDescendant, findVariable, isFunctionNode, isSingleAssignment, memberName, singleValueOf, skipTypeWrappers, visitDescendants, type FunctionNode } from './bindings';
import { limitedCalls, limiterCatalogue, type LimiterKind } from './limiterCatalogue';
import { getTypeServices, type TypeServices } from './typeServices';

/**
 * "Is this a concurrency limiter, and what is this call doing with it?" — creations from the
 * catalogue (imports, requires, `withTimeout(new Mutex())`), bindings and class fields that hold
 * one, and typed, receivers whose type is a limiter's.
 */
export type LimiterUseType = 'acquire' | 'release' | 'run' | 'call' | 'wait' | 'limitedCall';

export interface LimiterUse {
  type: LimiterUseType;
  kind: LimiterKind | null;
  /** The expression that holds the limiter (`mutex` in `mutex.acquire()`, `limit` in `limit(fn)`); null for `pMap(…)`. */
  limiter: TSESTree.Expression | null;
  call: TSESTree.CallExpression;
  /** Arguments that must be functions (the work to run under the limit). */
  work: TSESTree.Expression[];
  /** For `pMap(input, …)`: the input, whose elements must not be started work. */
  input?: TSESTree.Expression;
  /** How messages name the limiter call: `limit`, `queue.add`, `pMap`. */
  label: string;
  /** A wait for every permit (`drain()`): it cannot end while the caller holds one. */
  waitsForAll?: boolean;
  /** Through a wrapper that never waits (`tryAcquire(mutex).acquire()`): it rejects instead of deadlocking. */
  failsFast?: boolean;
}

/** What the question "was this work started before the job?" needs to know, from the rule's promise and I/O models. */
export interface WorkOracle {
  /** The call starts asynchronous work: it returns a promise, or does I/O. */
  startsWork(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean;
  /** The expression is an array of promises: work already started, one per element. */
  isPromiseArray(node: TSESTree.Expression): boolean;
}

export interface LimiterModel {
  /** The limiter a creation expression makes (`new Mutex()`, `pLimit(2)`), or null. */
  creationAt(expression: TSESTree.Expression): LimiterKind | null;
  /** The limiter kind an expression holds. */
  kindOf(expression: TSESTree.Expression): LimiterKind | null;
  /**
   * Whether the file's text names any acquire method at all. When it does not, no permit is taken
   * by hand anywhere in it, and a rule can skip looking for one (a text search, not a tree walk).
   */
  readonly mayAcquireByHand: boolean;
  /** What a call does with a limiter, if anything. */
  useOf(call: TSESTree.CallExpression): LimiterUse | null;
  /** A mutex, or a one-permit semaphore: taking it again inside its own section deadlocks. */
  isExclusive(expression: TSESTree.Expression): boolean;
  /**
   * A stable identity for the limiter an expression holds (its binding, or `this.<field>` of a
   * class), for "same limiter" questions. A wrapper (`tryAcquire(mutex)`, `withTimeout(mutex, ms)`,
   * or a binding of one) is the limiter it wraps: its permits are that limiter's.
   */
  identityOf(expression: TSESTree.Expression): object | null;
  /**
   * A job (a function handed to a limiter) that starts no work of its own and only returns or awaits
   * a promise started before it: the name of that promise, else null. Started means a binding
   * written only outside the job, each time with a call that starts work (`const p = fetch(url)`),
   * or an element of an array of promises (`ps.map((p) => limit(() => p))`, `for (const p of ps)`).
   * A parameter of the enclosing function is not: nothing says it has started.
   */
  startedBeforeJob(fn: FunctionNode, work: WorkOracle): TSESTree.Identifier | null;
  /** The limiter a wrapper call wraps (`tryAcquire(mutex)` → `mutex`), for naming its release; else the expression itself. */
  unwrap(expression: TSESTree.Expression): TSESTree.Expression;
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

const cache = new WeakMap<object, Map<string, LimiterModel>>();
/** One combined catalogue (and its trace maps) per distinct set of user entries. */
const catalogues = new Map<string, { kinds: LimiterKind[]; maps: TraceMaps }>();

/** The model for this file and these user entries; built once and shared by the rules that ask. */
export function getLimiterModel(context: Context, userKinds: readonly LimiterKind[] = []): LimiterModel {
  const key = JSON.stringify(userKinds);
  let perKinds = cache.get(context.sourceCode);
  if (!perKinds) cache.set(context.sourceCode, (perKinds = new Map()));
  let model = perKinds.get(key);
  if (!model) {
    let catalogue = catalogues.get(key);
    if (!catalogue) {
      const kinds = [...limiterCatalogue, ...userKinds];
      catalogues.set(key, (catalogue = { kinds, maps: buildTraceMaps(kinds) }));
    }
    perKinds.set(key, (model = createLimiterModel(context.sourceCode, getTypeServices(context), catalogue.kinds, catalogue.maps)));
  }
  return model;
}

const LIMITED_CALL = Symbol('limitedCall');
/** Methods that chain onto a promise: the work is the promise's, not the chain's. */
const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);
/** Array methods whose callback receives each element as its first parameter. */
const ELEMENT_CALLBACKS = new Set(['map', 'flatMap', 'forEach']);

/** `Promise.resolve(x)`, `Promise.reject(e)`: a promise, but no work. */
function isSettledPromise(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const callee = call.callee;
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'Promise' &&
    ['resolve', 'reject'].includes(memberName(callee) ?? '')
  );
}

function createLimiterModel(
  sourceCode: Readonly<TSESLint.SourceCode>,
  types: TypeServices | undefined,
  kinds: readonly LimiterKind[],
  maps: TraceMaps,
): LimiterModel {
  const byId = new Map(kinds.map((kind) => [kind.id, kind]));
  let traced: Map<TSESTree.Node, unknown> | undefined;
  const creations = () => (traced ??= traceReferences(sourceCode, maps));
  const identities = new WeakMap<object, object>();

  function creationAt(expression: TSESTree.Expression): LimiterKind | null {
    let node = skipTypeWrappers(expression);
    if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
    if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return null;
    const id = creations().get(node);
    if (typeof id !== 'string') return null;
    const kind = byId.get(id) ?? null;
    // `withTimeout(new Mutex(), 500)` is a mutex still; `withTimeout(new Semaphore(2), …)` a semaphore.
    if (kind?.wraps && node.arguments[0] && node.arguments[0].type !== AST_NODE_TYPES.SpreadElement) {
      return kindOf(node.arguments[0]) ?? kind;
    }
    return kind;
  }

  function kindOf(expression: TSESTree.Expression): LimiterKind | null {
    const known = kindOfSyntactic(expression);
    if (known || !types) return known;
    const type = types.typeOf(skipTypeWrappers(expression));
    for (const kind of kinds) {
      if (kind.types && typeMatchesSomeSpecifier(type, kind.types.map((t) => ({ from: 'package' as const, ...t })), types.program)) return kind;
    }
    return null;
  }

  function kindOfSyntactic(expression: TSESTree.Expression): LimiterKind | null {
    const node = skipTypeWrappers(expression);
    const created = creationAt(node);
    if (created) return created;
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, node);
      const value = variable && singleValueOf(variable);
      if (value && value.type !== AST_NODE_TYPES.FunctionDeclaration && value.type !== AST_NODE_TYPES.ClassDeclaration) {
        const kind = creationAt(value as TSESTree.Expression);
        if (kind) return kind;
      }
    }
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      const value = classFieldValue(node);
      const kind = value && creationAt(value);
      if (kind) return kind;
    }
    return null;
  }

  /** The limiter a wrapper creation wraps (`tryAcquire(mutex)` → `mutex`), and that wrapper's kind. */
  function wrapped(expression: TSESTree.Node | null): { inner: TSESTree.Expression; kind: LimiterKind } | null {
    if (!expression || expression.type === AST_NODE_TYPES.FunctionDeclaration || expression.type === AST_NODE_TYPES.ClassDeclaration) return null;
    let node = skipTypeWrappers(expression as TSESTree.Expression);
    if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
    if (node.type !== AST_NODE_TYPES.CallExpression) return null;
    const id = creations().get(node);
    const kind = typeof id === 'string' ? byId.get(id) : undefined;
    const inner = node.arguments[0];
    return kind?.wraps && inner && inner.type !== AST_NODE_TYPES.SpreadElement ? { inner, kind } : null;
  }

  /** The wrapper an expression is, or holds (`const quick = tryAcquire(mutex)`). */
  function wrapperOf(node: TSESTree.Expression): { inner: TSESTree.Expression; kind: LimiterKind } | null {
    const direct = wrapped(node);
    if (direct || node.type !== AST_NODE_TYPES.Identifier) return direct;
    const variable = findVariable(sourceCode, node);
    return wrapped(variable && singleValueOf(variable));
  }

  function identityOf(expression: TSESTree.Expression, depth = 0): object | null {
    const node = skipTypeWrappers(expression);
    const wrapper = depth < 4 ? wrapperOf(node) : null;
    const inner = wrapper && identityOf(wrapper.inner, depth + 1);
    if (inner) return inner;
    if (node.type === AST_NODE_TYPES.Identifier) return findVariable(sourceCode, node);
    if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.ThisExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
      // `this.lock` in any method of the same class is the same limiter.
      let classBody: TSESTree.Node | undefined = node.parent;
      while (classBody && classBody.type !== AST_NODE_TYPES.ClassBody) classBody = classBody.parent;
      if (!classBody) return null;
      let perClass = identities.get(classBody) as Map<string, object> | undefined;
      if (!perClass) identities.set(classBody, (perClass = new Map()));
      const key = node.property.name;
      if (!perClass.has(key)) perClass.set(key, { field: key });
      return perClass.get(key)!;
    }
    return null;
  }

  /** Method names any limiter answers to: other member calls need no type lookup. */
  const methodNames = new Set(
    kinds.flatMap((kind) => [
      ...(kind.acquire ? [kind.acquire.method, kind.acquire.releaseMethod ?? ''] : []),
      ...(kind.runs ?? []).map((run) => run.method),
      ...(kind.waitMethods ?? []),
      ...(kind.drainMethods ?? []),
    ]),
  );

  // Asked of every call by more than one rule (and twice by no-semaphore-misuse): computed once.
  const uses = new WeakMap<TSESTree.CallExpression, LimiterUse | null>();
  function useOf(call: TSESTree.CallExpression): LimiterUse | null {
    let use = uses.get(call);
    if (use === undefined) uses.set(call, (use = computeUseOf(call)));
    return use;
  }

  function computeUseOf(call: TSESTree.CallExpression): LimiterUse | null {
    const args = call.arguments.filter((a): a is TSESTree.Expression => a.type !== AST_NODE_TYPES.SpreadElement);
    const limited = creations().get(call);
    if (limited && typeof limited === 'object' && LIMITED_CALL in limited) {
      const spec = (limited as { [LIMITED_CALL]: (typeof limitedCalls)[number] })[LIMITED_CALL];
      return {
        type: 'limitedCall',
        kind: null,
        limiter: null,
        call,
        work: args[spec.fnIndex] ? [args[spec.fnIndex]] : [],
        input: spec.inputIndex !== undefined ? args[spec.inputIndex] : undefined,
        label: spec.label,
      };
    }
    const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      const method = callee.property.name;
      const kind = methodNames.has(method) ? kindOf(callee.object) : null;
      if (kind) return methodUse(kind, method, callee, call, args);
    }
    // A limiter called with the work (`limit(fn)`, `this.limit(fn)`) is known from its binding or
    // class field; typed, a parameter's declared type too. Asking the type of every called name is
    // not worth it.
    const kind =
      callee.type === AST_NODE_TYPES.Identifier || callee.type === AST_NODE_TYPES.MemberExpression
        ? (kindOfSyntactic(callee) ?? (isTypedParameter(callee) ? kindOf(callee) : null))
        : null;
    if (kind?.callable) {
      const argument = args[kind.callable.index];
      return { type: 'call', kind, limiter: callee, call, work: argument ? [argument] : [], label: sourceCode.getText(callee) };
    }
    return null;
  }

  function isTypedParameter(callee: TSESTree.Expression): boolean {
    if (!types || callee.type !== AST_NODE_TYPES.Identifier) return false;
    return findVariable(sourceCode, callee)?.defs[0]?.type === 'Parameter';
  }

  function methodUse(
    kind: LimiterKind,
    method: string,
    callee: TSESTree.MemberExpression,
    call: TSESTree.CallExpression,
    args: TSESTree.Expression[],
  ): LimiterUse | null {
    {
      const label = `${sourceCode.getText(callee.object).replace(/\s+/g, '')}.${method}`;
      const base = { kind, limiter: callee.object, call, label, ...(failsFast(callee.object) ? { failsFast: true } : {}) };
      if (kind.acquire?.method === method) return { ...base, type: 'acquire', work: [] };
      if (kind.acquire?.releaseMethod === method) return { ...base, type: 'release', work: [] };
      if (kind.waitMethods?.includes(method)) return { ...base, type: 'wait', work: [] };
      if (kind.drainMethods?.includes(method)) return { ...base, type: 'wait', work: [], waitsForAll: true };
      const run = kind.runs?.find((r) => r.method === method);
      if (run) {
        const argument = args[run.index];
        const work = !argument ? [] : run.list && argument.type === AST_NODE_TYPES.ArrayExpression
          ? argument.elements.filter((e): e is TSESTree.Expression => e !== null && e.type !== AST_NODE_TYPES.SpreadElement)
          : run.list ? [] : [argument];
        // `addAll(ids.map((id) => work(id)))`: the list itself is the input to check.
        return { ...base, type: 'run', work, input: run.list && argument && argument.type !== AST_NODE_TYPES.ArrayExpression ? argument : undefined };
      }
      return null;
    }
  }

  /**
   * A mutex, or a limiter made with a single permit (`new Semaphore(1)`, `pLimit(1)`,
   * `new PQueue({ concurrency: 1 })`): work waited for under it, inside its own section, deadlocks.
   */
  function isExclusive(expression: TSESTree.Expression): boolean {
    const kind = kindOf(expression);
    if (!kind) return false;
    if (kind.exclusive) return true;
    const node = skipTypeWrappers(expression);
    let value: TSESTree.Node | null = null;
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(sourceCode, node);
      value = variable && singleValueOf(variable);
    } else if (node.type === AST_NODE_TYPES.MemberExpression) {
      value = classFieldValue(node);
    }
    let creation = value && value.type !== AST_NODE_TYPES.FunctionDeclaration && value.type !== AST_NODE_TYPES.ClassDeclaration ? skipTypeWrappers(value as TSESTree.Expression) : null;
    // `withTimeout(new Semaphore(1), …)`
    const wrapper = wrapped(creation);
    if (wrapper) creation = skipTypeWrappers(wrapper.inner);
    if (creation?.type !== AST_NODE_TYPES.NewExpression && creation?.type !== AST_NODE_TYPES.CallExpression) return false;
    if (!kind.capacity) return false;
    const argument = creation.arguments[kind.capacity.index];
    let capacity: TSESTree.Node | undefined = argument;
    if (argument?.type === AST_NODE_TYPES.ObjectExpression && kind.capacity.option) {
      const option = kind.capacity.option;
      const property = argument.properties.find(
        (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === option,
      );
      capacity = property?.value;
    }
    return capacity?.type === AST_NODE_TYPES.Literal && capacity.value === 1;
  }

  /** `tryAcquire(mutex)`, or a binding of it: takes a permit at once or rejects, never waits. */
  function failsFast(expression: TSESTree.Expression): boolean {
    return !!wrapperOf(skipTypeWrappers(expression))?.kind.failsFast;
  }

  function startedBeforeJob(fn: FunctionNode, work: WorkOracle): TSESTree.Identifier | null {
    // What the job hands back or waits for: its expression body, each `return` and `await`.
    const handed: TSESTree.Expression[] = fn.body.type === AST_NODE_TYPES.BlockStatement ? [] : [fn.body];
    visitDescendants(sourceCode, fn.body, (node) => {
      if (node !== fn.body && (isFunctionNode(node) || node.type === AST_NODE_TYPES.ClassBody)) return false;
      if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) handed.push(node.argument);
      if (node.type === AST_NODE_TYPES.AwaitExpression) handed.push(node.argument);
      return true;
    });
    let started: TSESTree.Identifier | null = null;
    // `pending.then((r) => r.json())`: chained onto the started promise, not work of the job's own.
    const chained = new Set<TSESTree.Node>();
    for (const expression of handed) {
      let node = skipTypeWrappers(expression);
      if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
      const chain: TSESTree.Node[] = [];
      while (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression && CHAIN_METHODS.has(memberName(node.callee) ?? '')) {
        chain.push(node);
        node = skipTypeWrappers(node.callee.object);
      }
      if (node.type !== AST_NODE_TYPES.Identifier || !startedOutside(node, fn, work)) continue;
      started ??= node;
      for (const call of chain) chained.add(call);
    }
    if (!started) return null;
    const own = findDescendant(
      sourceCode,
      fn.body,
      (node) => (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) && !chained.has(node) && work.startsWork(node),
    );
    return own ? null : started;
  }

  function startedOutside(name: TSESTree.Identifier, fn: FunctionNode, work: WorkOracle): boolean {
    const variable = findVariable(sourceCode, name);
    if (!variable || variable.defs.length !== 1) return false;
    const inside = (node: TSESTree.Node) => node.range[0] >= fn.range[0] && node.range[1] <= fn.range[1];
    const def = variable.defs[0];
    if (inside(def.name)) return false;
    if (def.type === 'Parameter') {
      // `ps.map((p) => limit(() => p))`: the element of an array of promises.
      const callback = def.node;
      const call = callback.parent;
      if (!isFunctionNode(callback) || callback.params[0] !== def.name || call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== callback) return false;
      const callee = call.callee;
      return callee.type === AST_NODE_TYPES.MemberExpression && ELEMENT_CALLBACKS.has(memberName(callee) ?? '') && work.isPromiseArray(callee.object);
    }
    if (def.type !== 'Variable') return false;
    const loop = def.parent?.parent;
    // `for (const p of ps) limit(() => p)`
    if (loop?.type === AST_NODE_TYPES.ForOfStatement && loop.left === def.parent) return work.isPromiseArray(loop.right);
    if (def.node.id.type !== AST_NODE_TYPES.Identifier) return false;
    const values: TSESTree.Expression[] = def.node.init ? [def.node.init] : [];
    for (const reference of variable.references) {
      if (!reference.isWrite() || reference.init) continue;
      const assignment = reference.identifier.parent;
      if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=' || assignment.left !== reference.identifier || inside(assignment)) return false;
      values.push(assignment.right);
    }
    return (
      values.length > 0 &&
      values.every((value) => {
        const node = skipTypeWrappers(value);
        return (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) && !isSettledPromise(node) && work.startsWork(node);
      })
    );
  }

  const acquireMethods = [...new Set(kinds.flatMap((kind) => (kind.acquire ? [kind.acquire.method] : [])))];
  const mayAcquireByHand = acquireMethods.some((method) => new RegExp(`\\b${method}\\b`, 'u').test(sourceCode.text));

  function unwrap(expression: TSESTree.Expression): TSESTree.Expression {
    let node = expression;
    for (let depth = 0; depth < 4; depth++) {
      const inner = wrapped(node)?.inner;
      // Only a limiter with a name: `withTimeout(new Mutex(), 100)` is not given back through `new Mutex()`.
      const named = inner && skipTypeWrappers(inner);
      if (!named || (named.type !== AST_NODE_TYPES.Identifier && named.type !== AST_NODE_TYPES.MemberExpression && named.type !== AST_NODE_TYPES.CallExpression)) break;
      node = named;
    }
    return node;
  }

  return { creationAt, kindOf, useOf, identityOf: (expression) => identityOf(expression), isExclusive, mayAcquireByHand, startedBeforeJob, unwrap };
}

/**
 * A function bound once to a local name and only ever called by that name (`const unlock = () =>
 * release()`, `function unlock() { … }`): its calls, where what it does happens. Null when it is not
 * named, or passed on, stored or reassigned (it may then run anywhere, or never).
 */
export function callsOfLocalFunction(sourceCode: Readonly<TSESLint.SourceCode>, fn: TSESTree.Node): TSESTree.CallExpression[] | null {
  let variable: TSESLint.Scope.Variable | undefined;
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) {
    const name = fn.id.name;
    variable = sourceCode.scopeManager?.getDeclaredVariables(fn).find((v) => v.name === name);
  } else if (isFunctionNode(fn) && fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn && fn.parent.id.type === AST_NODE_TYPES.Identifier) {
    variable = sourceCode.scopeManager?.getDeclaredVariables(fn.parent)[0];
  }
  if (!variable || !isSingleAssignment(variable)) return null;
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of variable.references) {
    if (reference.init) continue;
    const parent = reference.identifier.parent;
    if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.callee !== reference.identifier) return null;
    calls.push(parent);
  }
  return calls;
}

/**
 * `if (release) release()`, `release && release()`: a call guarded by a test of the same binding.
 * The test already counts as the use; the call is not a second one.
 */
export function isGuardedCall(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Node, variable: TSESLint.Scope.Variable): boolean {
  const call = identifier.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== identifier) return false;
  const tests = (test: TSESTree.Node): boolean => {
    if (test.type === AST_NODE_TYPES.Identifier) return findVariable(sourceCode, test) === variable;
    if (test.type === AST_NODE_TYPES.BinaryExpression) return tests(test.left) || tests(test.right);
    if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === 'typeof') return tests(test.argument);
    return false;
  };
  let child: TSESTree.Node = call;
  for (let parent: TSESTree.Node | undefined = call.parent; parent && !isFunctionNode(parent); child = parent, parent = parent.parent) {
    if (parent.type === AST_NODE_TYPES.IfStatement && parent.consequent === child && tests(parent.test)) return true;
    if (parent.type === AST_NODE_TYPES.LogicalExpression && parent.operator === '&&' && parent.right === child && tests(parent.left)) return true;
  }
  return false;
}

/** Array methods whose callbacks run synchronously, inside whatever section calls them. */
const IN_PLACE_CALLBACKS = new Set(['map', 'flatMap', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce']);

/** A callback of `map`/`forEach`/… runs at once, inside the section that calls it. */
export function runsInPlace(fn: TSESTree.Node): boolean {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.Expression)) return false;
  const callee = call.callee;
  return callee.type === AST_NODE_TYPES.MemberExpression && IN_PLACE_CALLBACKS.has(memberName(callee) ?? '');
}

/**
 * Whether the code around `node` waits for it to settle before the section ends: it is awaited, or
 * returned by `job` (a limiter waits for what its job returns) — also through `Promise.all([…])`,
 * a `map` callback that runs in place, `a ? x : y`, `x ?? y`. A section between an acquire and its
 * release (`job` null) waits only with `await`. Work not waited for (`void limit(…)`, `queue.add(…)`
 * as a statement) queues behind the section instead of deadlocking in it.
 */
export function isWaitedFor(node: TSESTree.Node, job: FunctionNode | null): boolean {
  let current = node;
  for (let parent = current.parent; parent; parent = current.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.AwaitExpression:
        return true;
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.LogicalExpression:
        break;
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === current) return false;
        break;
      case AST_NODE_TYPES.CallExpression:
        if (parent.callee === current || !isWaitAll(parent)) return false;
        break;
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ArrowFunctionExpression: {
        if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body !== current) return false;
        const fn = parent.type === AST_NODE_TYPES.ArrowFunctionExpression ? parent : enclosingFunction(parent);
        if (!fn) return false;
        if (fn === job) return true;
        if (!runsInPlace(fn) || !fn.parent) return false;
        current = fn.parent; // the `map(…)` call: does the section wait for what it makes?
        continue;
      }
      default:
        return false;
    }
    current = parent;
  }
  return false;
}

/** `Promise.all(…)` / `Promise.allSettled(…)`: settles only once every element has. */
function isWaitAll(call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'Promise' &&
    ['all', 'allSettled'].includes(memberName(callee) ?? '')
  );
}

// ---- trace maps ----

function buildTraceMaps(kinds: readonly LimiterKind[]): TraceMaps {
  const maps: TraceMaps = { modules: {}, globals: {} };
  const at = (module: string, path: string[]) => {
    let map: TraceMap = (maps.modules[module] ??= {});
    for (const name of path) map = (map[name] ??= {}) as TraceMap;
    return map;
  };
  for (const kind of kinds) {
    for (const creation of kind.create) {
      const [path, mark] = 'construct' in creation ? [creation.construct, CONSTRUCT] : [creation.call, CALL];
      for (const module of kind.modules) at(module, path)[mark] ??= kind.id;
    }
  }
  for (const spec of limitedCalls) at(spec.module, spec.path)[CALL] ??= { [LIMITED_CALL]: spec };
  return maps;
}
