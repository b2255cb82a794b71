import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode } from './bindings';

/**
 * Lifetime analysis over ESLint's code paths, the way `require-atomic-updates` follows segments:
 * a rule marks where something begins (a promise bound to a local, a resource acquired) and where
 * it is settled (awaited, returned, released); at the end of each code path the tracker searches
 * every path from each beginning for an exit that no settlement precedes — a return, a throw, a
 * break or continue, falling off the end, the same beginning reached again in a loop — and, when
 * the rule asks, a call or `await` that may throw on the way (ESLint's code paths do not model
 * those implicit exceptions, so the tracker records them itself).
 *
 * Shared by rules; it knows nothing about promises or resources, only keys and nodes.
 */

type Segment = TSESLint.CodePathSegment;
type CodePath = TSESLint.CodePath;

/** A statement that leaves the normal flow. */
export type ExitStatement =
  | TSESTree.ReturnStatement
  | TSESTree.ThrowStatement
  | TSESTree.BreakStatement
  | TSESTree.ContinueStatement;

/** Something that may throw: a call, a `new` or an `await`. */
export type RiskNode = TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AwaitExpression;

type PathEvent<K> =
  | { type: 'begin'; key: K; node: TSESTree.Node }
  /** `synthetic`: added by the tracker where ESLint's exception paths run ahead of evaluation (see TryFrame). */
  | { type: 'settle'; key: K; node: TSESTree.Node; synthetic?: boolean }
  | { type: 'exit'; node: ExitStatement }
  | { type: 'risk'; node: RiskNode };

/** How an unsettled path leaves: where, and which exit it is. */
export type Leak =
  | { kind: 'return' | 'throw' | 'break' | 'continue'; node: ExitStatement }
  /** Thrown out of a `try` without a statement of our own (ESLint's try/finally paths). */
  | { kind: 'throw'; node: null }
  /** The beginning is reached again (the next loop iteration) before a settlement. */
  | { kind: 'loop'; node: TSESTree.Node; via: ExitStatement | null }
  /** The function ends; `via` is the last break/continue on the way, if any. */
  | { kind: 'end'; node: null; via: ExitStatement | null }
  /** A call or await between beginning and settlement that may throw, unprotected. */
  | { kind: 'exception'; node: RiskNode };

/** Which exit names a leak best: a statement the user wrote beats a loop, the closing brace, or a hypothetical throw. */
const LEAK_PRIORITY: Record<Leak['kind'], number> = {
  return: 0,
  throw: 1,
  break: 2,
  continue: 2,
  loop: 3,
  end: 4,
  exception: 5,
};

export interface LeakQuery<K> {
  /** Keys whose settlement also settles this one (a page is closed with its browser). */
  settledBy?: readonly K[];
  /**
   * Report calls and awaits that may throw between beginning and settlement. The callback says
   * which are protected (inside a `try` whose `finally` or `catch` settles the key).
   */
  exceptions?: (risk: RiskNode) => boolean;
  /** Only these kinds of leak are of interest (e.g. `['exception']` to find a call reached unsettled). */
  kinds?: readonly Leak['kind'][];
}

export interface FinishedCodePath<K> {
  /** The function (or Program) whose code path ended. */
  owner: TSESTree.Node;
  /** Every key that began in this code path, in source order. */
  keys: K[];
  /** The most telling exit reachable from one of the key's beginnings without a settlement, or null. */
  findLeak(key: K, query?: LeakQuery<K>): (Leak & { begin: TSESTree.Node }) | null;
  /** A settlement reached on a path that already settled the key (a permit given back twice), or null. */
  findDoubleSettle(key: K): TSESTree.Node | null;
}

interface PathState<K> {
  codePath: CodePath;
  current: Set<Segment>;
  events: Map<Segment, PathEvent<K>[]>;
  keys: K[];
  /** The `try` blocks being walked, innermost last. */
  tries: TryFrame<K>[];
  /** Finished `try` blocks, for their `catch` clause. */
  triedBlocks: Map<TSESTree.TryStatement, TryFrame<K>>;
}

/**
 * ESLint approximates "anything in a `try` may throw" with two edges into the `catch` (or the
 * `finally`): one from just before the block's first throwable node (in ESLint 10 even an
 * identifier reference) and one from the block's end. Both run ahead of what can really throw:
 * `try { return await Promise.race([work, timeout]) }` hands `timeout` on before anything in it
 * can throw, and `try { client = new Client() } catch { … }` enters the catch only when the
 * constructor threw, before there was a client. A frame follows a `try` block to correct both:
 * - a settlement before any call, `new`, `await`, `yield` or `throw` of the block has finished is
 *   also recorded on the segment that forks to the handler (it happened before anything threw);
 * - a key that began in the block with no such node after it is settled on entering the `catch`.
 */
interface TryFrame<K> {
  tryNode: TSESTree.TryStatement;
  /** Segments current when the block was entered. */
  enterSegments: Set<Segment>;
  /** A node that may throw has finished inside the block. */
  risky: boolean;
  begins: { key: K; riskyAfter: boolean }[];
}

// Code path hooks are not in typescript-eslint's RuleListener type, so listeners are loosely typed here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listeners = Record<string, (...args: any[]) => void>;

export interface LifetimeTracker<K> {
  /** Merge these into the rule's listeners (see `mergeListeners`). */
  listeners: Listeners;
  begin(key: K, node: TSESTree.Node): void;
  /**
   * The key is settled here. `enclosing`: the node is the head of a nested function (a callback
   * that releases later): record it in the code path that contains the function, not its own.
   */
  settle(key: K, node: TSESTree.Node, options?: { enclosing?: boolean }): void;
  /** Whether some key began in the current code path and may need risks recorded. */
  readonly tracking: boolean;
}

export function createLifetimeTracker<K>(
  onCodePathEnd: (path: FinishedCodePath<K>) => void,
  options: { recordRisks?: boolean } = {},
): LifetimeTracker<K> {
  const stack: PathState<K>[] = [];
  const top = () => stack[stack.length - 1];

  function record(event: PathEvent<K>, state: PathState<K> | undefined = top()): void {
    if (!state) return;
    for (const segment of state.current) {
      let list = state.events.get(segment);
      if (!list) state.events.set(segment, (list = []));
      list.push(event);
    }
  }

  function findLeak(state: PathState<K>, key: K, query: LeakQuery<K>): (Leak & { begin: TSESTree.Node }) | null {
    const thrown = new Set(state.codePath.thrownSegments);
    const settledBy = new Set<K>([key, ...(query.settledBy ?? [])]);
    let best: (Leak & { begin: TSESTree.Node }) | null = null;
    const settles = [...state.events.values()]
      .flat()
      .filter((event) => event.type === 'settle' && !event.synthetic && settledBy.has(event.key))
      .map((event) => event.node);
    for (const [segment, events] of state.events) {
      events.forEach((event, index) => {
        if (event.type !== 'begin' || event.key !== key) return;
        const leak = walk(state, key, settledBy, segment, index + 1, thrown, query.exceptions, query.kinds);
        if (!leak || isRethrowAfterSettle(leak, settles)) return;
        if (!best || LEAK_PRIORITY[leak.kind] < LEAK_PRIORITY[best.kind]) best = { ...leak, begin: event.node };
      });
    }
    return best;
  }

  /**
   * ESLint enters a `catch` from the first call in its `try`, before that call's arguments are
   * evaluated; a rethrow there leaks nothing when the `try` itself settles the key
   * (`try { await merger.merge(cursor) } catch (e) { throw wrap(e) }`).
   */
  function isRethrowAfterSettle(leak: Leak, settles: readonly TSESTree.Node[]): boolean {
    if (leak.kind !== 'throw' || !leak.node) return false;
    for (let node: TSESTree.Node | undefined = leak.node; node && !isFunctionNode(node); node = node.parent) {
      if (node.type === AST_NODE_TYPES.CatchClause) {
        const block = (node.parent as TSESTree.TryStatement).block;
        return settles.some((settle) => settle.range[0] >= block.range[0] && settle.range[1] <= block.range[1]);
      }
    }
    return false;
  }

  function findDoubleSettle(state: PathState<K>, key: K): TSESTree.Node | null {
    for (const [segment, events] of state.events) {
      for (let index = 0; index < events.length; index++) {
        const event = events[index];
        if (event.type !== 'begin' || event.key !== key) continue;
        // Walk (segment, already-settled) states so a loop is followed once per state.
        const work: [Segment, number, boolean][] = [[segment, index + 1, false]];
        const seen = new Set<string>();
        while (work.length > 0) {
          const [current, from, settledBefore] = work.pop()!;
          let settled = settledBefore;
          let restarted = false;
          const list = state.events.get(current) ?? [];
          for (let i = from; i < list.length; i++) {
            const e = list[i];
            if (e.type === 'begin' && e.key === key) {
              restarted = true;
              break;
            }
            if (e.type !== 'settle' || e.key !== key || e.synthetic) continue;
            if (settled) return e.node;
            settled = true;
          }
          if (restarted) continue;
          for (const next of current.nextSegments) {
            const id = `${next.id}:${settled}`;
            if (!seen.has(id)) {
              seen.add(id);
              work.push([next, 0, settled]);
            }
          }
        }
      }
    }
    return null;
  }

  /** Every unsettled exit from one beginning; the most telling one is kept (see LEAK_PRIORITY). */
  function walk(
    state: PathState<K>,
    key: K,
    settledBy: Set<K>,
    from: Segment,
    fromIndex: number,
    thrown: Set<Segment>,
    isProtected: LeakQuery<K>['exceptions'],
    kinds: LeakQuery<K>['kinds'],
  ): Leak | null {
    type Item = [Segment, number, ExitStatement | null];
    const work: Item[] = [[from, fromIndex, null]];
    const visited = new Set<Segment>([from]);
    let best: Leak | null = null;
    const found = (leak: Leak) => {
      if (kinds && !kinds.includes(leak.kind)) return;
      if (!best || LEAK_PRIORITY[leak.kind] < LEAK_PRIORITY[best.kind]) best = leak;
    };
    const settlesHere = (event: PathEvent<K>) => event.type === 'settle' && settledBy.has(event.key);
    while (work.length > 0) {
      const [segment, index, previousExit] = work.pop()!;
      let exit = previousExit;
      let stopped = false;
      const events = state.events.get(segment) ?? [];
      for (let i = index; i < events.length; i++) {
        const event = events[i];
        if (event.type === 'exit') {
          exit = event.node;
        } else if (event.type === 'risk') {
          if (isProtected && !isProtected(event.node)) found({ kind: 'exception', node: event.node });
        } else if (settlesHere(event)) {
          stopped = true;
          break;
        } else if (event.type === 'begin' && event.key === key) {
          found({ kind: 'loop', node: event.node, via: exit });
          stopped = true;
          break;
        }
      }
      if (stopped) continue;
      if (segment.nextSegments.length === 0) {
        found(finalLeak(exit, thrown.has(segment)));
        continue;
      }
      for (const next of segment.nextSegments) {
        if (next === from) {
          // Back at the beginning's own segment: the events before it in that segment still count.
          const loopEvents = state.events.get(next) ?? [];
          if (!loopEvents.slice(0, fromIndex - 1).some(settlesHere)) {
            found({ kind: 'loop', node: (loopEvents[fromIndex - 1] as { node: TSESTree.Node }).node, via: exit });
          }
          continue;
        }
        if (!visited.has(next)) {
          visited.add(next);
          work.push([next, 0, exit]);
        }
      }
    }
    return best;
  }

  /** A node that may throw has finished: the open `try` blocks can no longer settle ahead of their fork. */
  const markRisky = () => {
    const state = top();
    if (!state || state.tries.length === 0) return;
    for (const frame of state.tries) {
      frame.risky = true;
      for (const begun of frame.begins) begun.riskyAfter = true;
    }
  };
  const listeners: Listeners = {
    onCodePathStart(codePath: CodePath) {
      stack.push({ codePath, current: new Set(), events: new Map(), keys: [], tries: [], triedBlocks: new Map() });
    },
    BlockStatement(node: TSESTree.BlockStatement) {
      const state = top();
      if (!state || !isTryBlock(node)) return;
      state.tries.push({ tryNode: node.parent, enterSegments: new Set(state.current), risky: false, begins: [] });
    },
    'BlockStatement:exit'(node: TSESTree.BlockStatement) {
      const state = top();
      if (!state || !isTryBlock(node)) return;
      const frame = state.tries.pop();
      if (frame) state.triedBlocks.set(frame.tryNode, frame);
    },
    CatchClause(node: TSESTree.CatchClause) {
      const state = top();
      const frame = state?.triedBlocks.get(node.parent as TSESTree.TryStatement);
      if (!state || !frame) return;
      for (const begun of frame.begins) {
        if (!begun.riskyAfter) record({ type: 'settle', key: begun.key, node, synthetic: true }, state);
      }
    },
    onCodePathEnd(_codePath: CodePath, node: TSESTree.Node) {
      const state = stack.pop();
      if (!state || state.keys.length === 0) return;
      onCodePathEnd({
        owner: node,
        keys: state.keys,
        findLeak: (key, query = {}) => findLeak(state, key, query),
        findDoubleSettle: (key) => findDoubleSettle(state, key),
      });
    },
    onCodePathSegmentStart(segment: Segment) {
      top()?.current.add(segment);
    },
    onCodePathSegmentEnd(segment: Segment) {
      top()?.current.delete(segment);
    },
    'ReturnStatement, ThrowStatement, BreakStatement, ContinueStatement'(node: ExitStatement) {
      if (node.type === AST_NODE_TYPES.ThrowStatement) markRisky();
      if (top()?.keys.length) record({ type: 'exit', node });
    },
  };
  // After the node's children: a call's arguments are evaluated (and may settle) before it runs.
  const risk = (node: RiskNode) => {
    markRisky();
    if (options.recordRisks && top()?.keys.length) record({ type: 'risk', node });
  };
  // `:exit` applies to a whole selector list, so each node type gets its own key.
  listeners['CallExpression:exit'] = risk;
  listeners['AwaitExpression:exit'] = risk;
  listeners['NewExpression:exit'] = risk;
  listeners['YieldExpression:exit'] = markRisky;
  listeners['TaggedTemplateExpression:exit'] = markRisky;

  return {
    listeners,
    get tracking() {
      return (top()?.keys.length ?? 0) > 0;
    },
    begin(key, node) {
      const state = top();
      if (!state || state.current.size === 0) return; // unreachable code begins nothing
      if (!state.keys.includes(key)) state.keys.push(key);
      record({ type: 'begin', key, node });
      for (const frame of state.tries) frame.begins.push({ key, riskyAfter: false });
    },
    settle(key, node, settleOptions) {
      const state = settleOptions?.enclosing ? stack[stack.length - 2] : top();
      record({ type: 'settle', key, node }, state);
      if (!state || settleOptions?.enclosing) return;
      for (const frame of state.tries) {
        if (frame.risky) continue;
        // Straight on from the block's first segment, ESLint has forked there (at the block's first
        // throwable): the settlement happened before anything could throw. After a branch, unknown.
        const forked = [...state.current].flatMap((segment) => segment.prevSegments).filter((segment) => frame.enterSegments.has(segment));
        for (const segment of forked) {
          const list = state.events.get(segment);
          if (list) list.push({ type: 'settle', key, node, synthetic: true });
          else state.events.set(segment, [{ type: 'settle', key, node, synthetic: true }]);
        }
      }
    },
  };
}

function isTryBlock(node: TSESTree.BlockStatement): node is TSESTree.BlockStatement & { parent: TSESTree.TryStatement } {
  return node.parent?.type === AST_NODE_TYPES.TryStatement && node.parent.block === node;
}

function finalLeak(exit: ExitStatement | null, thrown: boolean): Leak {
  if (exit?.type === AST_NODE_TYPES.ReturnStatement) return { kind: 'return', node: exit };
  if (exit?.type === AST_NODE_TYPES.ThrowStatement) return { kind: 'throw', node: exit };
  if (thrown) return { kind: 'throw', node: null };
  return { kind: 'end', node: null, via: exit };
}

/**
 * How messages name the exit of a leak: "when the function returns at line 12". An `exception`
 * leak is named by the rule, which knows how to describe the call that throws.
 */
export function describeExit(leak: Exclude<Leak, { kind: 'exception' }>, owner: TSESTree.Node): string {
  const line = (node: TSESTree.Node) => node.loc.start.line;
  switch (leak.kind) {
    case 'return':
      return `when the function returns at line ${line(leak.node)}`;
    case 'throw':
      return leak.node ? `when it throws at line ${line(leak.node)}` : 'when an error is thrown';
    case 'break':
      return `when the loop breaks at line ${line(leak.node)}`;
    case 'continue':
      return `when the loop continues at line ${line(leak.node)}`;
    case 'loop':
      return leak.via?.type === AST_NODE_TYPES.ContinueStatement
        ? `when the loop continues at line ${line(leak.via)}`
        : 'before the next iteration replaces it';
    case 'end':
      if (leak.via?.type === AST_NODE_TYPES.BreakStatement) return `when the loop breaks at line ${line(leak.via)}`;
      return owner.type === AST_NODE_TYPES.Program ? 'by the end of the module' : 'by the end of the function';
  }
}

/**
 * Whether a call or `await` that may throw is harmless for a key settled at `settles`: it is the
 * settlement itself, it sits in error handling (a `catch` or `finally`), or a `try` around it
 * settles in its `finally` or `catch`.
 */
export function isRiskCovered(risk: RiskNode, settles: readonly TSESTree.Node[]): boolean {
  const inside = (outer: TSESTree.Node | null | undefined, node: TSESTree.Node) =>
    outer !== null && outer !== undefined && node.range[0] >= outer.range[0] && node.range[1] <= outer.range[1];
  if (settles.some((settle) => inside(risk, settle))) return true;
  for (let node: TSESTree.Node | undefined = risk; node && !isFunctionNode(node); node = node.parent) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (parent?.type === AST_NODE_TYPES.CatchClause) return true;
    if (parent?.type === AST_NODE_TYPES.TryStatement) {
      if (parent.finalizer === node) return true;
      if (parent.block === node && settles.some((settle) => inside(parent.finalizer, settle) || inside(parent.handler, settle))) return true;
    }
  }
  return false;
}


/** Combine listener objects; handlers for the same selector all run, in order. */
export function mergeListeners(...all: Listeners[]): Listeners {
  const merged: Listeners = {};
  for (const listeners of all) {
    for (const [selector, handler] of Object.entries(listeners)) {
      const previous = merged[selector];
      merged[selector] = previous
        ? (...args: unknown[]) => {
            previous(...args);
            handler(...args);
          }
        : handler;
    }
  }
  return merged;
}

/**
 * Correlated conditions: a beginning under `if (C)` (or in the consequent of `C ? … : …`) and a
 * settlement under a later `if (C)` with the same unchanged test are one path — when C is false
 * there was nothing to settle. Returns the later `if`'s test, where the key can be settled (before
 * the branch is taken), or null. "Unchanged": C reads only constants, parameters and bindings never
 * reassigned, and their properties.
 */
export function correlatedGuard(
  sourceCode: Readonly<TSESLint.SourceCode>,
  begin: TSESTree.Node,
  settle: TSESTree.Node,
): TSESTree.Expression | null {
  const beginGuard = guardOf(begin, null);
  if (!beginGuard || !isStableTest(sourceCode, beginGuard)) return null;
  const text = sourceCode.getText(beginGuard);
  for (let node: TSESTree.Node | undefined = settle; node && !isFunctionNode(node); node = node.parent) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (parent?.type === AST_NODE_TYPES.IfStatement && parent.consequent === node && parent.test !== beginGuard && sourceCode.getText(parent.test) === text) {
      return parent.range[0] >= begin.range[1] ? parent.test : null;
    }
  }
  return null;
}

/** The test whose truth a node depends on, directly: `if (C) { … node … }` or `C ? node : …`. */
function guardOf(node: TSESTree.Node, stop: TSESTree.Node | null): TSESTree.Expression | null {
  for (let current: TSESTree.Node | undefined = node; current && current !== stop && !isFunctionNode(current); current = current.parent) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (parent?.type === AST_NODE_TYPES.IfStatement && parent.consequent === current) return parent.test;
    if (parent?.type === AST_NODE_TYPES.ConditionalExpression && parent.consequent === current) return parent.test;
  }
  return null;
}

function isStableTest(sourceCode: Readonly<TSESLint.SourceCode>, test: TSESTree.Node): boolean {
  switch (test.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return test.operator === '!' && isStableTest(sourceCode, test.argument);
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.BinaryExpression:
      return test.left.type !== AST_NODE_TYPES.PrivateIdentifier && isStableTest(sourceCode, test.left) && isStableTest(sourceCode, test.right);
    case AST_NODE_TYPES.MemberExpression:
      return !test.computed && isStableTest(sourceCode, test.object);
    case AST_NODE_TYPES.Identifier: {
      const variable = ASTUtils.findVariable(sourceCode.getScope(test), test);
      return !!variable && variable.defs.length > 0 && variable.references.every((reference) => !reference.isWrite() || reference.init === true);
    }
    default:
      return false;
  }
}
