import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/**
 * Lifetime analysis over ESLint's code paths, the way `require-atomic-updates` follows segments:
 * a rule marks where something begins (a promise bound to a local, later a resource acquired) and
 * where it is settled (awaited, returned, released); at the end of each code path the tracker
 * searches every path from each beginning for an exit — return, throw, falling off the end, or the
 * same beginning reached again in a loop — that no settlement precedes.
 *
 * Shared by rules; it knows nothing about promises or resources, only keys and nodes.
 */

type Segment = TSESLint.CodePathSegment;

/** Which exit names a leak best: a statement the user wrote beats a loop, which beats the closing brace. */
const LEAK_PRIORITY: Record<Leak['kind'], number> = { return: 0, throw: 1, loop: 2, end: 3 };
type CodePath = TSESLint.CodePath;

type PathEvent<K> =
  | { type: 'begin'; key: K; node: TSESTree.Node }
  | { type: 'settle'; key: K; node: TSESTree.Node }
  | { type: 'exit'; node: TSESTree.ReturnStatement | TSESTree.ThrowStatement };

/** How an unsettled path leaves: where, and which exit it is. */
export interface Leak {
  kind: 'return' | 'throw' | 'end' | 'loop';
  /** The return/throw statement, or the repeated beginning for `loop`; null when the function just ends. */
  node: TSESTree.Node | null;
}

export interface FinishedCodePath<K> {
  /** The function (or Program) whose code path ended. */
  owner: TSESTree.Node;
  /** Every key that began in this code path, in source order. */
  keys: K[];
  /** The first exit reachable from the key's beginning without a settlement, or null if every path settles. */
  findLeak(key: K): Leak | null;
}

interface PathState<K> {
  codePath: CodePath;
  current: Set<Segment>;
  events: Map<Segment, PathEvent<K>[]>;
  keys: K[];
}

// Code path hooks are not in typescript-eslint's RuleListener type, so listeners are loosely typed here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listeners = Record<string, (...args: any[]) => void>;

export interface LifetimeTracker<K> {
  /** Merge these into the rule's listeners (see `mergeListeners`). */
  listeners: Listeners;
  begin(key: K, node: TSESTree.Node): void;
  settle(key: K, node: TSESTree.Node): void;
}

export function createLifetimeTracker<K>(onCodePathEnd: (path: FinishedCodePath<K>) => void): LifetimeTracker<K> {
  const stack: PathState<K>[] = [];
  const top = () => stack[stack.length - 1];

  function record(event: PathEvent<K>): void {
    const state = top();
    if (!state) return;
    for (const segment of state.current) {
      let list = state.events.get(segment);
      if (!list) state.events.set(segment, (list = []));
      list.push(event);
    }
  }

  function findLeak(state: PathState<K>, key: K): Leak | null {
    const thrown = new Set(state.codePath.thrownSegments);
    const starts: [Segment, number][] = [];
    for (const [segment, events] of state.events) {
      events.forEach((event, index) => {
        if (event.type === 'begin' && event.key === key) starts.push([segment, index + 1]);
      });
    }
    let best: Leak | null = null;
    for (const [segment, index] of starts) {
      const leak = walk(state, key, segment, index, thrown);
      if (leak && (!best || LEAK_PRIORITY[leak.kind] < LEAK_PRIORITY[best.kind])) best = leak;
    }
    return best;
  }

  /** Every unsettled exit from one beginning; the most telling one is kept (see LEAK_PRIORITY). */
  function walk(state: PathState<K>, key: K, from: Segment, fromIndex: number, thrown: Set<Segment>): Leak | null {
    type Item = [Segment, number, TSESTree.ReturnStatement | TSESTree.ThrowStatement | null];
    const work: Item[] = [[from, fromIndex, null]];
    const visited = new Set<Segment>([from]);
    let best: Leak | null = null;
    const found = (leak: Leak) => {
      if (!best || LEAK_PRIORITY[leak.kind] < LEAK_PRIORITY[best.kind]) best = leak;
    };
    while (work.length > 0) {
      const [segment, index, previousExit] = work.pop()!;
      let exit = previousExit;
      let settled = false;
      const events = state.events.get(segment) ?? [];
      for (let i = index; i < events.length; i++) {
        const event = events[i];
        if (event.type === 'exit') exit = event.node;
        else if (event.key !== key) continue;
        else if (event.type === 'settle') {
          settled = true;
          break;
        } else {
          found({ kind: 'loop', node: event.node });
          settled = true;
          break;
        }
      }
      if (settled) continue;
      if (segment.nextSegments.length === 0) {
        if (thrown.has(segment)) found({ kind: 'throw', node: exit?.type === AST_NODE_TYPES.ThrowStatement ? exit : null });
        else found(exit ? { kind: 'return', node: exit } : { kind: 'end', node: null });
        continue;
      }
      for (const next of segment.nextSegments) {
        if (next === from) {
          // Back at the beginning's own segment: the events before it in that segment still count.
          const loopEvents = state.events.get(next) ?? [];
          if (!loopEvents.slice(0, fromIndex - 1).some((e) => e.type === 'settle' && e.key === key)) {
            found({ kind: 'loop', node: (loopEvents[fromIndex - 1] as { node: TSESTree.Node }).node });
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

  const listeners: Listeners = {
    onCodePathStart(codePath: CodePath) {
      stack.push({ codePath, current: new Set(), events: new Map(), keys: [] });
    },
    onCodePathEnd(_codePath: CodePath, node: TSESTree.Node) {
      const state = stack.pop();
      if (!state || state.keys.length === 0) return;
      onCodePathEnd({ owner: node, keys: state.keys, findLeak: (key) => findLeak(state, key) });
    },
    onCodePathSegmentStart(segment: Segment) {
      top()?.current.add(segment);
    },
    onCodePathSegmentEnd(segment: Segment) {
      top()?.current.delete(segment);
    },
    ReturnStatement(node: TSESTree.ReturnStatement) {
      record({ type: 'exit', node });
    },
    ThrowStatement(node: TSESTree.ThrowStatement) {
      record({ type: 'exit', node });
    },
  };

  return {
    listeners,
    begin(key, node) {
      const state = top();
      if (!state || state.current.size === 0) return; // unreachable code begins nothing
      state.keys.push(key);
      record({ type: 'begin', key, node });
    },
    settle(key, node) {
      record({ type: 'settle', key, node });
    },
  };
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
