import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  enclosingFunction,
  findDescendant,
  findVariable,
  isFunctionNode,
  memberName,
  resolveFunction,
  skipTypeWrappers,
  visitDescendants,
  type FunctionNode,
} from '../analysis/bindings';
import {
  createLifetimeTracker,
  describeExit,
  isRiskCovered,
  mergeListeners,
  type FinishedCodePath,
} from '../analysis/lifetimes';
import { userLimiterKinds, type LimiterKind, type UserLimiter } from '../analysis/limiterCatalogue';
import { getIoModel } from '../analysis/ioModel';
import { callsOfLocalFunction, getLimiterModel, isGuardedCall, isWaitedFor, runsInPlace, type LimiterUse, type WorkOracle } from '../analysis/limiterModel';
import { getPromiseModel } from '../analysis/promiseModel';
import { readPromiseExports } from '../io/moduleExports';
import { describeExpression } from '../fix/describe';
import { hoistToModuleScope } from '../fix/hoist';
import { wrapRestInTryFinally } from '../fix/tryFinally';
import { createRule } from '../util/createRule';
import { addRelated, resetRelated } from '../util/relatedLocations';

export type { UserLimiter };

export type Options = [{ limiters?: UserLimiter[] }];

export type MessageId =
  | 'releaseNotGuaranteed'
  | 'releaseWithoutAcquire'
  | 'doubleRelease'
  | 'promiseInsteadOfFunction'
  | 'startedWorkInsteadOfFunction'
  | 'startedWorkAsInput'
  | 'workEscapesSection'
  | 'reentrantLock'
  | 'perCallLimiter'
  | 'moveReleaseToFinally'
  | 'wrapInArrow'
  | 'hoistLimiter';

const DEFAULT_OPTIONS: Options[0] = { limiters: [] };

/** What a use of the same limiter does that waits for a permit (or, exclusive, for the one held). */
const TAKES = new Set(['wait', 'acquire', 'run', 'call']);

/**
 * "No permit held yet" in a function that both acquires and releases a limiter by method: begun
 * at the function's start, settled by an acquire; a release reached before any is one too many.
 */
interface Unheld {
  unheld: true;
  identity: object;
  kind: LimiterKind;
  owner: FunctionNode;
}

/** An acquired permit being followed to its release. */
interface Permit {
  kind: LimiterKind;
  identity: object | null;
  acquire: TSESTree.CallExpression;
  /** The statement that takes the permit (declaration or `await sema.acquire();`). */
  statement: TSESTree.Statement;
  /** The binding of the release function, when `acquire()` returns one. */
  releaseVariable: TSESLint.Scope.Variable | null;
  settles: TSESTree.Node[];
}

const RULE_NAME = 'no-semaphore-misuse';

export default createRule<Options, MessageId>({
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description: 'Require mutexes, semaphores and limiters to guard the work they are meant to limit',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    defaultOptions: [DEFAULT_OPTIONS],
    messages: {
      releaseNotGuaranteed:
        'The {{label}} permit taken by `{{acquire}}` is not given back {{exit}}: everything waiting for it then waits forever. Release it in a `finally`.',
      releaseWithoutAcquire: '`{{release}}` gives back a {{label}} permit {{why}}: each such release lets one more task in.',
      doubleRelease: '`{{release}}` gives the {{label}} permit back a second time on this path: one more task gets in than the limit allows.',
      promiseInsteadOfFunction:
        '`{{limiter}}` is given a promise, not a function: `{{work}}` has already started, outside the limit.',
      startedWorkInsteadOfFunction:
        'This function hands `{{limiter}}` the promise `{{work}}`, started before the limiter runs it: that work is outside the limit.',
      startedWorkAsInput: 'The input of `{{limiter}}` holds work that has already started; map the inputs, not promises of them.',
      workEscapesSection:
        '`{{work}}` is started inside the {{label}}\'s section but not awaited there: it runs after the permit is given back, so the limit guards nothing.',
      reentrantLock: '`{{inner}}` waits for the {{label}} this section already holds{{via}}: it never gets it (deadlock).',
      perCallLimiter:
        'This {{label}} is created on every call of {{fn}} and used once per call: nothing is shared, so nothing is limited. Create it once, outside the function.',
      moveReleaseToFinally: 'Give the permit back in a `finally`: `{{release}}`.',
      wrapInArrow: 'Pass a function that starts the work: `() => {{work}}`.',
      hoistLimiter: 'Create the {{label}} once, at module scope.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          limiters: {
            type: 'array',
            description: 'Extra limiters: where they come from, how they are made, and how work goes through them.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['label', 'module', 'create'],
              properties: {
                label: { type: 'string', description: 'How messages name the limiter.' },
                module: { type: 'string', description: 'Module its creator comes from.' },
                create: {
                  type: 'array',
                  minItems: 1,
                  description: 'How it is made: `{ "construct": [path] }` or `{ "call": [path] }`.',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    properties: {
                      construct: { type: 'array', items: { type: 'string' }, description: 'Path of a class.' },
                      call: { type: 'array', items: { type: 'string' }, description: 'Path of a factory function.' },
                    },
                  },
                },
                acquire: { type: 'string', description: 'Method that takes a permit.' },
                release: { type: 'string', description: 'Method that gives a permit back.' },
                acquireReturnsRelease: { type: 'boolean', description: '`acquire()` resolves to the release function.' },
                runs: { type: 'array', items: { type: 'string' }, description: 'Methods that run a function under the limit.' },
                callable: { type: 'boolean', description: 'The limiter is itself called with the work.' },
                exclusive: { type: 'boolean', description: 'A mutex: entering it inside its own section deadlocks.' },
              },
            },
          },
        },
      },
    ],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    resetRelated(context.filename, RULE_NAME);
    const sourceCode = context.sourceCode;
    const limiters = getLimiterModel(context, userLimiterKinds(options.limiters ?? []));
    const promises = getPromiseModel(context, { checkThenables: false, promiseExportsOf: readPromiseExports });
    const io = getIoModel(context, { promises });
    const workOracle: WorkOracle = {
      startsWork: (call) => promises.isPromise(call) || io.ioOfCall(call) !== null,
      isPromiseArray: (node) => promises.isPromiseArray(node),
    };
    const permitsByVariable = new Map<TSESLint.Scope.Variable, Permit>();
    const permitsByStatement = new Map<TSESTree.Node, Permit>();
    const permitsByOwner = new Map<TSESTree.Node | null, Permit[]>();
    const settleAtNode = new Map<TSESTree.Node, Permit[]>();
    const unheldKeys: Unheld[] = [];
    const reportedUnmatched = new Set<TSESTree.Node>();
    const acquiredIdentities = new Set<object>();
    const releaseUses: LimiterUse[] = [];

    const tracker = createLifetimeTracker<Permit | Unheld>(onPathEnd, { recordRisks: true });

    // ---- permits: acquire … release ----

    function onAcquire(use: LimiterUse, statement: TSESTree.Statement, releaseBinding: TSESTree.Node | null): void {
      const kind = use.kind!;
      const identity = use.limiter ? limiters.identityOf(use.limiter) : null;
      if (identity) acquiredIdentities.add(identity);
      let releaseVariable: TSESLint.Scope.Variable | null = null;
      if (releaseBinding?.type === AST_NODE_TYPES.Identifier) releaseVariable = findVariable(sourceCode, releaseBinding);
      const permit: Permit = { kind, identity, acquire: use.call, statement, releaseVariable, settles: [] };
      const owner = enclosingFunction(statement);
      permitsByOwner.set(owner, [...(permitsByOwner.get(owner) ?? []), permit]);
      if (releaseVariable) {
        permitsByVariable.set(releaseVariable, permit);
        for (const reference of releaseVariable.references) {
          if (reference.init || reference.isWrite() || isGuardedCall(sourceCode, reference.identifier, releaseVariable)) continue;
          settleAt(reference.identifier, permit, owner);
        }
      }
      permitsByStatement.set(statement, permit);
    }

    /**
     * Any use of the release function settles the permit: calling it, passing it on, or a callback
     * that does. A local wrapper only ever called by name (`const unlock = () => release()`) settles
     * it where it is called.
     */
    function settleAt(node: TSESTree.Node, permit: Permit, owner: TSESTree.Node | null, depth = 0): void {
      let closure: TSESTree.Node | null = null;
      for (let current = node.parent; current && current !== owner; current = current.parent) {
        if (isFunctionNode(current)) closure = current;
      }
      const wrapperCalls = closure && depth < 3 ? callsOfLocalFunction(sourceCode, closure) : null;
      if (wrapperCalls) {
        for (const call of wrapperCalls) settleAt(call.callee, permit, owner, depth + 1);
        return;
      }
      permit.settles.push(node);
      let at: TSESTree.Node = closure ?? node;
      // `.then(release, release)`: only one callback runs; the call is where the permit goes back.
      if (at.parent?.type === AST_NODE_TYPES.CallExpression && at.parent.arguments.includes(at as TSESTree.Expression)) at = at.parent;
      const list = settleAtNode.get(at) ?? [];
      if (!list.includes(permit)) list.push(permit);
      settleAtNode.set(at, list);
    }

    /** `const release = await mutex.acquire()`, `const [, release] = await sem.acquire()`, `await sema.acquire();`. */
    function acquireOf(expression: TSESTree.Expression | null | undefined): LimiterUse | null {
      if (!expression) return null;
      let node = skipTypeWrappers(expression);
      if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
      if (node.type !== AST_NODE_TYPES.CallExpression) return null;
      const use = limiters.useOf(node);
      return use?.type === 'acquire' ? use : null;
    }

    function releaseBindingOf(id: TSESTree.Node, kind: LimiterKind): TSESTree.Node | null {
      if (id.type === AST_NODE_TYPES.Identifier && kind.acquire?.returnsRelease) return id;
      if (id.type === AST_NODE_TYPES.ArrayPattern && kind.acquire?.returnsTuple) return id.elements[1] ?? null;
      return null;
    }

    function onPathEnd(path: FinishedCodePath<Permit | Unheld>): void {
      for (const key of path.keys) {
        if ('unheld' in key) {
          const leak = path.findLeak(key, {
            kinds: ['exception'],
            exceptions: (risk) => !(risk.type === AST_NODE_TYPES.CallExpression && isReleaseOf(risk, key.identity)),
          });
          if (leak?.kind === 'exception') {
            reportedUnmatched.add(leak.node);
            context.report({
              node: leak.node,
              messageId: 'releaseWithoutAcquire',
              data: { release: describeExpression(sourceCode, leak.node, { bare: true }), label: key.kind.label, why: 'on a path that never took one' },
            });
          }
          continue;
        }
        const permit = key;
        const label = permit.kind.label;
        const acquireText = describeExpression(sourceCode, permit.acquire, { bare: true });
        const double = path.findDoubleSettle(permit);
        if (double) {
          const call = double.parent?.type === AST_NODE_TYPES.CallExpression ? double.parent : double;
          addRelated(context.filename, RULE_NAME, { messageId: 'doubleRelease', node: call }, { node: permit.acquire, message: 'the permit was taken here, once' });
          context.report({
            node: call,
            messageId: 'doubleRelease',
            data: { release: describeExpression(sourceCode, call as TSESTree.Expression, { bare: true }), label },
          });
        }
        const leak = path.findLeak(permit, { exceptions: (risk) => risk.type !== AST_NODE_TYPES.AwaitExpression || isRiskCovered(risk, permit.settles) });
        if (!leak) continue;
        const exit =
          leak.kind === 'exception'
            ? `when \`${describeExpression(sourceCode, leak.node.type === AST_NODE_TYPES.AwaitExpression ? leak.node.argument : leak.node, { bare: true })}\` at line ${leak.node.loc.start.line} throws`
            : describeExit(leak, path.owner);
        const exitNode = leak.kind === 'loop' ? (leak.via ?? leak.node) : leak.kind === 'end' ? leak.via : leak.node;
        if (exitNode) {
          const message = leak.kind === 'exception' ? 'this may throw before the permit is given back' : 'the permit is not given back when this runs';
          addRelated(context.filename, RULE_NAME, { messageId: 'releaseNotGuaranteed', node: permit.acquire }, { node: exitNode, message });
        }
        context.report({
          node: permit.acquire,
          messageId: 'releaseNotGuaranteed',
          data: { label, acquire: acquireText, exit },
          suggest: moveToFinally(permit),
        });
      }
    }

    function isReleaseOf(call: TSESTree.CallExpression, identity: object): boolean {
      const use = limiters.useOf(call);
      return use?.type === 'release' && use.limiter !== null && limiters.identityOf(use.limiter) === identity;
    }

    /** At a function's start: the limiters it both acquires and releases by method get an "unheld" key. */
    function beginUnheld(fn: FunctionNode): void {
      if (!limiters.mayAcquireByHand) return;
      const acquired = new Map<object, LimiterKind>();
      const released = new Set<object>();
      visitDescendants(sourceCode, fn.body, (node) => {
        if (isFunctionNode(node)) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const use = limiters.useOf(node);
          const identity = use?.limiter ? limiters.identityOf(use.limiter) : null;
          if (identity && use?.kind && use.type === 'acquire') acquired.set(identity, use.kind);
          if (identity && use?.type === 'release') released.add(identity);
        }
        return true;
      });
      for (const [identity, kind] of acquired) {
        if (!released.has(identity)) continue;
        const key: Unheld = { unheld: true, identity, kind, owner: fn };
        tracker.begin(key, fn);
        unheldKeys.push(key);
      }
    }

    function releaseText(permit: Permit): string | null {
      if (permit.releaseVariable) return `${permit.releaseVariable.name}()`;
      const callee = skipTypeWrappers(permit.acquire.callee as TSESTree.Expression);
      if (callee.type !== AST_NODE_TYPES.MemberExpression || !permit.kind.acquire?.releaseMethod) return null;
      // `tryAcquire(mutex).acquire()` is given back with `mutex.release()`.
      return `${sourceCode.getText(limiters.unwrap(callee.object))}.${permit.kind.acquire.releaseMethod}()`;
    }

    function moveToFinally(permit: Permit): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const release = releaseText(permit);
      if (!release) return [];
      // Every settlement must be a bare release statement, so it can move into the finally.
      const statements: TSESTree.Statement[] = [];
      for (const settle of permit.settles) {
        let node: TSESTree.Node = settle;
        if (node.parent?.type === AST_NODE_TYPES.CallExpression && node.parent.callee === node) node = node.parent;
        else if (node.type !== AST_NODE_TYPES.CallExpression) return [];
        if (node.parent?.type !== AST_NODE_TYPES.ExpressionStatement) return [];
        statements.push(node.parent);
      }
      const fix = wrapRestInTryFinally(sourceCode, permit.statement, statements, release);
      return fix ? [{ messageId: 'moveReleaseToFinally', data: { release }, fix }] : [];
    }

    // ---- work handed to a limiter ----

    function checkWork(use: LimiterUse): void {
      for (const work of use.work) {
        const inner = skipTypeWrappers(work);
        if (isFunctionNode(inner)) {
          const started = limiters.startedBeforeJob(inner, workOracle);
          if (started) {
            context.report({
              node: started,
              messageId: 'startedWorkInsteadOfFunction',
              data: { limiter: use.label, work: describeExpression(sourceCode, started, { bare: true }) },
            });
          }
          checkSection(use, inner);
          continue;
        }
        if (promises.returnsPromise(inner) || !promises.isPromise(inner)) continue;
        // Wrapping helps only where the work starts: `limit(job())`, not `limit(pending)`.
        const startsHere = inner.type === AST_NODE_TYPES.CallExpression || inner.type === AST_NODE_TYPES.NewExpression;
        context.report({
          node: work,
          messageId: 'promiseInsteadOfFunction',
          data: { limiter: use.label, work: describeExpression(sourceCode, work, { bare: true }) },
          suggest: startsHere
            ? [
                {
                  messageId: 'wrapInArrow',
                  data: { work: describeExpression(sourceCode, work, { bare: true }) },
                  fix: (fixer) => fixer.replaceText(work, `() => ${sourceCode.getText(work)}`),
                },
              ]
            : [],
        });
      }
      if (use.input && promises.isPromiseArray(use.input)) {
        context.report({ node: use.input, messageId: 'startedWorkAsInput', data: { limiter: use.label } });
      }
    }

    /** Work started in a section and let go unawaited: pushed out, assigned out, or `void`ed. */
    function escapingWork(root: TSESTree.Node | readonly TSESTree.Node[], limiterUse: TSESTree.Node | null): TSESTree.Expression | null {
      const roots = Array.isArray(root) ? root : [root];
      const ranges = roots.map((r) => r.range);
      const within = (node: TSESTree.Node) => ranges.some(([start, end]) => node.range[0] >= start && node.range[1] <= end);
      for (const start of roots) {
        const escaped = findDescendant<TSESTree.CallExpression>(
          sourceCode,
          start,
          // Work queued on a limiter (`void limit(() => …)`) is that limiter's to bound, not the section's.
          (node) => node.type === AST_NODE_TYPES.CallExpression && node !== limiterUse && !limiters.useOf(node)?.work.length && promises.isPromise(node) && escapes(node, within),
          (node) => roots.includes(node) || !isFunctionNode(node),
        );
        if (escaped) return escaped;
      }
      return null;
    }

    function escapes(call: TSESTree.CallExpression, within: (node: TSESTree.Node) => boolean): boolean {
      const parent = call.parent;
      if (!parent) return false;
      if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void') return true;
      if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(call)) {
        const callee = parent.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression || !['push', 'unshift', 'add', 'set'].includes(memberName(callee) ?? '')) return false;
        // Into a collection made inside the section, the work is still the section's to await.
        const collection = skipTypeWrappers(callee.object);
        const variable = collection.type === AST_NODE_TYPES.Identifier ? findVariable(sourceCode, collection) : null;
        return !(variable?.defs[0] && within(variable.defs[0].node));
      }
      if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === call) {
        if (parent.left.type === AST_NODE_TYPES.MemberExpression) return true;
        const variable = parent.left.type === AST_NODE_TYPES.Identifier ? findVariable(sourceCode, parent.left) : null;
        // `p = work(); return p;`: an outer binding, but read back and waited for inside the section.
        return !!variable?.defs[0] && !within(variable.defs[0].node) && !isReadInside(variable, within);
      }
      if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === call && parent.id.type === AST_NODE_TYPES.Identifier) {
        // `const p = work()` must be awaited (or passed on) inside the section.
        const variable = findVariable(sourceCode, parent.id);
        return !variable || !isReadInside(variable, within);
      }
      return false;
    }

    function isReadInside(variable: TSESLint.Scope.Variable, within: (node: TSESTree.Node) => boolean): boolean {
      return variable.references.some((ref) => ref.isRead() && within(ref.identifier) && ref.identifier.parent?.type !== AST_NODE_TYPES.ExpressionStatement);
    }

    /** The section of a limiter callback: escaping work, and re-entering the same mutex. */
    function checkSection(use: LimiterUse, fn: FunctionNode): void {
      const escaped = escapingWork(fn.body, null);
      if (escaped) {
        context.report({
          node: use.call,
          messageId: 'workEscapesSection',
          data: { work: describeExpression(sourceCode, escaped, { bare: true }), label: use.kind?.label ?? use.label },
        });
      }
      if ((use.type === 'run' || use.type === 'call') && use.kind && use.limiter) checkReentry(use.kind, use.limiter, [fn.body], fn);
    }

    /**
     * Inside a section (a job, or the statements between acquire and release), waiting for the same
     * limiter: for every permit, or, exclusive, for the one held. Waiting means awaited or returned
     * to the limiter (`isWaitedFor`); a `tryAcquire` rejects instead of waiting.
     */
    function checkReentry(kind: LimiterKind, limiter: TSESTree.Expression, section: readonly TSESTree.Node[], job: FunctionNode | null): void {
      const identity = limiters.identityOf(limiter);
      if (!identity) return;
      const exclusive = limiters.isExclusive(limiter);
      const visitSection = (node: TSESTree.Node): boolean => {
        if (isFunctionNode(node) && !section.includes(node) && !runsInPlace(node)) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const inner = limiters.useOf(node);
          const same = inner?.limiter && !inner.failsFast && limiters.identityOf(inner.limiter) === identity;
          if (same && (inner.waitsForAll || (exclusive && TAKES.has(inner.type))) && isWaitedFor(node, job)) {
            context.report({ node, messageId: 'reentrantLock', data: { inner: inner.label, label: kind.label, via: '' } });
          } else if (!inner) {
            const through = exclusive && isWaitedFor(node, job) ? reentryThrough(node, identity) : null;
            if (through) {
              const name = describeExpression(sourceCode, node, { bare: true });
              context.report({ node, messageId: 'reentrantLock', data: { inner: through, label: kind.label, via: ` (through \`${name}\`)` } });
            }
          }
        }
        return true;
      };
      for (const start of section) visitDescendants(sourceCode, start, visitSection);
    }

    /** A local function or method called in the section that itself waits for the same limiter. */
    function reentryThrough(call: TSESTree.CallExpression, identity: object): string | null {
      const fn = resolveFunction(sourceCode, call.callee as TSESTree.Expression);
      if (!fn?.body) return null;
      const takesSame = (node: TSESTree.Node) => {
        const inner = node.type === AST_NODE_TYPES.CallExpression ? limiters.useOf(node) : null;
        return !!inner?.limiter && !inner.failsFast && limiters.identityOf(inner.limiter) === identity && TAKES.has(inner.type) && isWaitedFor(node, fn);
      };
      const enter = (node: TSESTree.Node) => node === fn.body || !isFunctionNode(node) || runsInPlace(node);
      const inner = findDescendant<TSESTree.CallExpression>(sourceCode, fn.body, takesSame, enter);
      return inner ? (limiters.useOf(inner)?.label ?? null) : null;
    }

    /** Between an acquire statement and the release statement in the same block. */
    function within(node: TSESTree.Node, outer: TSESTree.Node): boolean {
      return node.range[0] >= outer.range[0] && node.range[1] <= outer.range[1];
    }

    function checkAcquireRegion(permit: Permit): void {
      const block = permit.statement.parent;
      if (block?.type !== AST_NODE_TYPES.BlockStatement && block?.type !== AST_NODE_TYPES.Program) return;
      const body = block.body as TSESTree.Statement[];
      const start = body.indexOf(permit.statement);
      const releaseIndex = body.findIndex((statement, index) => index > start && permit.settles.some((s) => s.range[0] >= statement.range[0] && s.range[1] <= statement.range[1]));
      const section: TSESTree.Node[] = body.slice(start + 1, releaseIndex === -1 ? body.length : releaseIndex);
      const releasing = releaseIndex === -1 ? null : body[releaseIndex];
      if (releasing?.type === AST_NODE_TYPES.TryStatement && releasing.finalizer && permit.settles.some((s) => within(s, releasing.finalizer!))) {
        section.push(releasing.block); // `try { …section… } finally { release(); }`
      }
      if (section.length === 0) return;
      const escaped = releaseIndex === -1 ? null : escapingWork(section, null);
      if (escaped) {
        context.report({
          node: permit.acquire,
          messageId: 'workEscapesSection',
          data: { work: describeExpression(sourceCode, escaped, { bare: true }), label: permit.kind.label },
        });
      }
      const callee = skipTypeWrappers(permit.acquire.callee as TSESTree.Expression);
      if (callee.type === AST_NODE_TYPES.MemberExpression) checkReentry(permit.kind, callee.object, section, null);
    }

    // ---- limiters made per call ----

    function checkPerCall(declarator: TSESTree.VariableDeclarator): void {
      if (!declarator.init || declarator.id.type !== AST_NODE_TYPES.Identifier) return;
      const kind = limiters.creationAt(declarator.init);
      const owner = enclosingFunction(declarator);
      if (!kind || !owner) return;
      const [variable] = sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? [];
      // Its uses other than giving permits back (`sema.release()` after `sema.acquire()`).
      const references = (variable?.references.filter((reference) => !reference.init) ?? []).filter((reference) => {
        const call = reference.identifier.parent?.parent;
        return !(call?.type === AST_NODE_TYPES.CallExpression && limiters.useOf(call)?.type === 'release');
      });
      if (references.length !== 1) return;
      const [only] = references;
      // Used once, straight through: not in a loop, not in a callback (a `.map` would share it).
      for (let node: TSESTree.Node | undefined = only.identifier.parent; node && node !== owner; node = node.parent) {
        if (isFunctionNode(node) || ASTUtils.isLoop(node)) return;
      }
      const parent = only.identifier.parent;
      const isUse =
        (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === only.identifier) ||
        (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === only.identifier);
      if (!isUse) return;
      const fix = hoistToModuleScope(sourceCode, declarator);
      context.report({
        node: declarator.init,
        messageId: 'perCallLimiter',
        data: { label: kind.label, fn: functionName(owner) },
        suggest: fix ? [{ messageId: 'hoistLimiter', data: { label: kind.label }, fix }] : [],
      });
    }

    function functionName(fn: FunctionNode): string {
      if (fn.id) return `\`${fn.id.name}\``;
      const parent = fn.parent;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return `\`${parent.id.name}\``;
      if ((parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property) && !parent.computed) {
        const name = ASTUtils.getPropertyName(parent);
        if (name) return `\`${name}\``;
      }
      return 'this function';
    }

    return mergeListeners(tracker.listeners, {
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        checkPerCall(node);
        const use = acquireOf(node.init);
        if (use?.kind && node.parent.parent.type !== AST_NODE_TYPES.ForOfStatement) {
          onAcquire(use, node.parent, releaseBindingOf(node.id, use.kind));
        }
      },
      'VariableDeclarator:exit'(node: TSESTree.VariableDeclarator) {
        const permit = permitsByStatement.get(node.parent);
        if (permit) tracker.begin(permit, node.parent);
      },
      ExpressionStatement(node: TSESTree.ExpressionStatement) {
        const expression = skipTypeWrappers(node.expression);
        if (expression.type === AST_NODE_TYPES.AssignmentExpression) {
          const use = acquireOf(expression.right);
          if (use?.kind) onAcquire(use, node, releaseBindingOf(expression.left, use.kind));
          return;
        }
        const use = acquireOf(expression);
        if (use?.kind && expression.type === AST_NODE_TYPES.AwaitExpression) onAcquire(use, node, null);
      },
      'ExpressionStatement:exit'(node: TSESTree.ExpressionStatement) {
        const permit = permitsByStatement.get(node);
        if (permit) tracker.begin(permit, node);
      },
      CallExpression(node: TSESTree.CallExpression) {
        const use = limiters.useOf(node);
        if (!use) return;
        if (use.type === 'acquire' && use.limiter) {
          const identity = limiters.identityOf(use.limiter);
          if (identity) acquiredIdentities.add(identity);
        }
        if (use.type === 'release') {
          releaseUses.push(use);
          // `sema.release()` gives back the permit of this function last taken before it from the
          // same limiter — where it is called, when it is in a local wrapper (`const done = () => sema.release()`).
          const identity = use.limiter && limiters.identityOf(use.limiter);
          const inWrapper = enclosingFunction(node);
          const wrapperCalls = inWrapper && callsOfLocalFunction(sourceCode, inWrapper);
          const owner = inWrapper && wrapperCalls?.length ? enclosingFunction(inWrapper) : inWrapper;
          const permits = (permitsByOwner.get(owner) ?? []).filter((permit) => identity && permit.identity === identity);
          for (const at of wrapperCalls?.length ? wrapperCalls.map((call) => call.callee) : [node]) {
            const before = permits.filter((permit) => permit.acquire.range[0] < at.range[0]);
            const latest = Math.max(...before.map((permit) => permit.acquire.range[0]));
            for (const permit of before.length ? before.filter((p) => p.acquire.range[0] === latest) : permits) settleAt(at, permit, owner);
          }
        }
        checkWork(use);
      },
      Identifier(node: TSESTree.Identifier) {
        for (const permit of settleAtNode.get(node) ?? []) tracker.settle(permit, node);
      },
      'CallExpression:exit'(node: TSESTree.CallExpression) {
        for (const permit of settleAtNode.get(node) ?? []) tracker.settle(permit, node);
        // An acquire (once it has resolved) is what the "unheld" keys of its limiter wait for.
        const use = limiters.useOf(node);
        const identity = use?.type === 'acquire' && use.limiter ? limiters.identityOf(use.limiter) : null;
        if (identity) for (const key of unheldKeys) if (key.identity === identity) tracker.settle(key, node);
      },
      ':function'(node: FunctionNode) {
        for (const permit of settleAtNode.get(node) ?? []) tracker.settle(permit, node, { enclosing: true });
        beginUnheld(node);
      },
      'Program:exit'() {
        for (const permits of permitsByOwner.values()) permits.forEach(checkAcquireRegion);
        for (const use of releaseUses) {
          const identity = use.limiter && limiters.identityOf(use.limiter);
          if (!identity || acquiredIdentities.has(identity) || reportedUnmatched.has(use.call)) continue;
          context.report({
            node: use.call,
            messageId: 'releaseWithoutAcquire',
            data: { release: describeExpression(sourceCode, use.call, { bare: true }), label: use.kind?.label ?? 'limiter', why: 'that nothing in this file takes' },
          });
        }
      },
    }) as TSESLint.RuleListener;
  },
});
