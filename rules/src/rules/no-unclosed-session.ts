import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { canAwaitAt, enclosingFunction, findDescendant, findVariable, importSource, isFunctionNode, memberName, resolveFunction, singleValueOf, skipTypeWrappers, type FunctionNode } from '../analysis/bindings';
import { isRequestHandler } from '../analysis/callbackPositions';
import {
  correlatedGuard,
  createLifetimeTracker,
  describeExit,
  isRiskCovered,
  mergeListeners,
  type FinishedCodePath,
  type Leak,
  type RiskNode,
} from '../analysis/lifetimes';
import type { ResourceKind } from '../analysis/resourceCatalogue';
import { calleePath, getSummaryModel } from '../analysis/functionSummaries';
import { effectSettles, getResourceModel, isReleaseMethod, TYPED_PREFIX, type ResourceOrigin } from '../analysis/resourceModel';
import { fieldOf, fieldOfDefinition, isFieldReleased, type OwnedField } from '../analysis/ownedFields';
import { useOf, type ValueUse } from '../analysis/valueUses';
import { describeExpression } from '../fix/describe';
import { hoistToModuleScope } from '../fix/hoist';
import { wrapRestInTryFinally } from '../fix/tryFinally';
import { createRule } from '../util/createRule';
import { addRelated, resetRelated } from '../util/relatedLocations';

export interface UserResource {
  /** How messages name it. */
  label: string;
  /** The module its creator is imported or required from (`globalThis` for a global). */
  module: string;
  /** `{ "construct": ["Pool"] }`, `{ "call": ["open"] }` or `{ "method": "acquire", "on": ["<id of another entry>"] }`. */
  create: ({ construct: string[] } | { call: string[] } | { method: string; on?: string[] })[];
  /** Methods that release it. */
  release: string[];
  /** Functions that release it when given it as first argument. */
  releaseFunctions?: string[];
  /** Whether its release returns a promise. */
  async?: boolean;
  /** A session meant to be created once and reused (pool, agent, client). */
  reusable?: boolean;
  /** Id other entries may use in `on`; default `<module>.<label>`. */
  id?: string;
}

export type Options = [
  {
    resources?: UserResource[];
    checkExceptionPaths?: boolean;
    checkSessionsPerRequest?: boolean;
    ownershipTransfer?: 'any-call' | 'listed';
    ownershipFunctions?: string[];
  },
];

export type MessageId =
  | 'neverReleased'
  | 'notReleasedOnException'
  | 'notReleasedOnEarlyExit'
  | 'fieldNeverReleased'
  | 'notDisposable'
  | 'notReleasedOnEvent'
  | 'bodyNotConsumed'
  | 'sessionPerRequest'
  | 'useAwaitUsing'
  | 'wrapInTryFinally'
  | 'cancelBody'
  | 'hoistToModule';

const DEFAULT_OPTIONS: Options[0] = {
  resources: [],
  checkExceptionPaths: true,
  checkSessionsPerRequest: true,
  ownershipTransfer: 'any-call',
  ownershipFunctions: [],
};

interface Tracked {
  name: string;
  variable: TSESLint.Scope.Variable;
  origin: ResourceOrigin;
  /** Where the report goes: the creating expression. */
  reportNode: TSESTree.Node;
  /** The declarator that binds it, when it is `const|let x = <creation>` (for the fixes). */
  declarator: TSESTree.VariableDeclarator | null;
  /** The binding is the body itself (`const { body } = await request(url)`). */
  isBody: boolean;
  /** References that release it or hand it on. */
  settles: TSESTree.Node[];
  /** Every reference to it, aliases included. */
  uses: TSESTree.Node[];
  /** The resource it was derived from, when that is tracked too. */
  parent: Tracked | null;
  /** Where the lifetime tracker settles it: reference identifiers and nested functions. */
  settlePoints: TSESTree.Node[];
}

const RULE_NAME = 'no-unclosed-session';

export default createRule<Options, MessageId>({
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description: 'Require connections, pools, handles, sockets and response bodies to be released on every path',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    defaultOptions: [DEFAULT_OPTIONS],
    messages: {
      neverReleased: '{{what}} is never released: call `{{release}}` when done, in a `finally`.',
      notReleasedOnException:
        '{{what}} is not released when `{{risk}}` at line {{line}} throws: release it in a `finally`.',
      notReleasedOnEarlyExit: '{{what}} is not released {{exit}}.',
      notDisposable:
        '`{{keyword}}` needs a value with `{{method}}`, and {{what}} has none: the declaration throws a TypeError and nothing is released{{release}}.',
      notReleasedOnEvent:
        '{{what}} is not released when it emits `{{event}}`: the handler at line {{line}} leaves it open; call `{{release}}` there.',
      fieldNeverReleased:
        '{{what}} is stored in `this.{{field}}`, but no method of {{owner}} releases it: call `{{release}}` in its `close()` or `[Symbol.asyncDispose]()`.',
      bodyNotConsumed:
        'The body of {{what}} is neither consumed nor cancelled {{exit}}, so its connection stays checked out.',
      sessionPerRequest: '{{what}} creates a new {{label}} {{where}}: create it once, at module scope, and reuse it.',
      useAwaitUsing: 'Declare it with `await using` so it is disposed on every path.',
      wrapInTryFinally: 'Wrap its uses in `try { … } finally { {{release}}; }`.',
      cancelBody: 'Cancel the body before leaving: `{{cancel}}`.',
      hoistToModule: 'Create it once at module scope.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          resources: {
            type: 'array',
            description: 'Extra resources: where they come from, how they are made and released.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['label', 'module', 'create', 'release'],
              properties: {
                id: { type: 'string', description: 'Id other entries refer to in `on`; default `<module>.<label>`.' },
                label: { type: 'string', description: 'How messages name the resource.' },
                module: { type: 'string', description: 'Module its creator comes from (`globalThis` for a global).' },
                create: {
                  type: 'array',
                  minItems: 1,
                  description: 'How it is made.',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    properties: {
                      construct: { type: 'array', items: { type: 'string' }, description: 'Path of a class: `new X()`.' },
                      call: { type: 'array', items: { type: 'string' }, description: 'Path of a factory function.' },
                      method: { type: 'string', description: 'A method of another resource that makes this one.' },
                      on: { type: 'array', items: { type: 'string' }, description: 'Ids of the resources `method` is called on.' },
                    },
                  },
                },
                release: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Methods that release it.' },
                releaseFunctions: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Functions that release it when given it as first argument.',
                },
                async: { type: 'boolean', description: 'Whether the release returns a promise.' },
                reusable: { type: 'boolean', description: 'A session meant to be created once and reused.' },
              },
            },
          },
          checkExceptionPaths: {
            type: 'boolean',
            description: 'Report resources that a call or `await` between creation and release can leak by throwing.',
          },
          checkSessionsPerRequest: {
            type: 'boolean',
            description: 'Report pools, agents and clients created inside a request handler or a loop.',
          },
          ownershipTransfer: {
            type: 'string',
            enum: ['any-call', 'listed'],
            description:
              'What passing a resource to a function means: `any-call` (default) takes it as handing ownership over; `listed` only for `ownershipFunctions`.',
          },
          ownershipFunctions: {
            type: 'array',
            items: { type: 'string' },
            description: 'Functions that take ownership of a resource passed to them (with `ownershipTransfer: "listed"`).',
          },
        },
      },
    ],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    resetRelated(context.filename, RULE_NAME);
    const model = getResourceModel(context, userKinds(options.resources ?? []));
    const summaries = getSummaryModel(sourceCode);
    const checkExceptions = options.checkExceptionPaths !== false;
    const trackedByVariable = new Map<TSESLint.Scope.Variable, Tracked>();
    /** Reference identifier → what it settles, collected when a resource is bound. */
    const settlingReferences = new Map<TSESTree.Node, Tracked[]>();
    /** One reference may settle several resources (a `cleanup()` helper that closes two sockets). */
    const settleAt = (node: TSESTree.Node, tracked: Tracked) => {
      const list = settlingReferences.get(node) ?? [];
      if (!list.includes(tracked)) list.push(tracked);
      settlingReferences.set(node, list);
      tracked.settlePoints.push(node);
    };
    /** Nested function → the resources it releases, settled where the function appears. */
    const settlingClosures = new Map<TSESTree.Node, Tracked[]>();
    const pendingBegins = new Map<TSESTree.Node, Tracked>();
    /** Which creation each beginning (declarator or assignment) made: a rebound binding has several. */
    const beginOrigins = new Map<TSESTree.Node, ResourceOrigin>();
    /** Creations already reported as sessions made per request or per iteration. */
    const perRequest = new Set<TSESTree.Node>();
    /** Resources reported as left open after an event. */
    const reportedEvents = new Set<Tracked>();
    /** Creations reported as fields no method releases. */
    const reportedFields = new Set<TSESTree.Node>();
    /** Statements that settle a resource when entered: `if (!res.body) return` has no body to cancel. */
    const settleOnEnter = new Map<TSESTree.Node, Tracked[]>();

    const tracker = createLifetimeTracker<Tracked>(reportLeaks, { recordRisks: checkExceptions });

    // ---- naming ----

    function what(tracked: Pick<Tracked, 'name' | 'origin'>, startsSentence = true, withNote = true): string {
      const creation = describeExpression(sourceCode, tracked.origin.creation);
      const note = withNote && tracked.origin.kind.leakNote ? ` (${tracked.origin.kind.leakNote})` : '';
      if (tracked.name) return `\`${tracked.name}\` from ${creation}${note}`;
      return `${startsSentence ? 'The' : 'the'} ${tracked.origin.kind.label} from ${creation}${note}`;
    }

    /** The release to recommend, as code: what messages name and what fixes write. */
    function releaseText(tracked: Pick<Tracked, 'name' | 'origin'>): string {
      const kind = tracked.origin.kind;
      const name = tracked.name || '…';
      if (kind.releaseFunctions?.length) {
        // `fs.openSync(…)` is released with `fs.closeSync(fd)`: through the same module object.
        const callee = skipTypeWrappers(tracked.origin.creation.callee as TSESTree.Expression);
        const module =
          callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier && importSource(sourceCode, callee.object)
            ? `${callee.object.name}.`
            : '';
        return `${module}${kind.releaseFunctions[0]}(${name})`;
      }
      const method = kind.releaseMethods?.[0] ?? 'close';
      return method.startsWith('[') ? `${name}${method}()` : `${name}.${method}()`;
    }

    // ---- finding resources ----

    function originOf(init: TSESTree.Expression): ResourceOrigin | null {
      const node = skipTypeWrappers(init);
      if (node.type === AST_NODE_TYPES.ConditionalExpression) return originOf(node.consequent) ?? originOf(node.alternate);
      if (node.type === AST_NODE_TYPES.LogicalExpression) return originOf(node.right);
      return model.resourceAt(node);
    }

    function isModuleLevel(node: TSESTree.Node): boolean {
      return enclosingFunction(node) === null;
    }

    /** A reusable session made per request or per loop iteration: reported instead of its leaks. */
    function checkSessionPerRequest(origin: ResourceOrigin, name: string, declarator: TSESTree.VariableDeclarator | null): boolean {
      if (perRequest.has(origin.creation)) return true;
      if (!origin.kind.reusable || options.checkSessionsPerRequest === false) return false;
      const where = perRequestWhere(origin.creation);
      if (!where) return false;
      perRequest.add(origin.creation);
      context.report({
        node: origin.creation,
        messageId: 'sessionPerRequest',
        data: { what: describeExpression(sourceCode, origin.creation), label: origin.kind.label, where },
        suggest: hoistSuggestion(declarator),
      });
      return true;
    }

    function perRequestWhere(node: TSESTree.Node): string | null {
      for (let current = node.parent; current; current = current.parent) {
        if (isFunctionNode(current)) return isRequestHandler(current) ? 'on every request' : null;
        if (ASTUtils.isLoop(current) && !isLoopHeadOnly(current, node)) return 'on every loop iteration';
      }
      return null;
    }

    function trackBinding(
      variable: TSESLint.Scope.Variable,
      origin: ResourceOrigin,
      beginAt: TSESTree.Node,
      declarator: TSESTree.VariableDeclarator | null,
      isBody: boolean,
    ): void {
      if (checkSessionPerRequest(origin, variable.name, declarator)) return;
      beginOrigins.set(beginAt, origin);
      const owner = enclosingFunction(beginAt);
      let tracked = trackedByVariable.get(variable);
      if (!tracked) {
        const receiver = origin.receiver && skipTypeWrappers(origin.receiver);
        const parentVariable = receiver?.type === AST_NODE_TYPES.Identifier ? findVariable(sourceCode, receiver) : null;
        tracked = {
          name: variable.name,
          variable,
          origin,
          reportNode: origin.creation,
          declarator,
          isBody,
          settles: [],
          uses: [],
          parent: (parentVariable && trackedByVariable.get(parentVariable)) ?? null,
          settlePoints: [],
        };
        trackedByVariable.set(variable, tracked);
        collectSettles(tracked, variable, owner);
      }
      checkEventReleases(tracked);
      // `if (pooled) client = await pool.connect(); … finally { if (pooled) client.release(); }`: one path.
      for (const settle of [...tracked.settles]) {
        const test = correlatedGuard(sourceCode, origin.creation, settle);
        const first = test && findDescendant<TSESTree.Identifier>(sourceCode, test, (node) => node.type === AST_NODE_TYPES.Identifier);
        if (first) settleAt(first, tracked);
      }
      // `const socket = net.connect(opts, () => resolve(socket))`: the creating call's own callback
      // hands the resource on (or releases it), so it is never left open by this function.
      if (tracked.settlePoints.some((point) => isInside(point, origin.creation))) return;
      pendingBegins.set(beginAt, tracked);
    }

    /** Classify every use of the binding (and of its aliases): which ones release or hand it on. */
    function collectSettles(tracked: Tracked, variable: TSESLint.Scope.Variable, owner: TSESTree.Node | null): void {
      for (const reference of variable.references) {
        if (reference.init || reference.isWrite()) continue;
        const identifier = reference.identifier as TSESTree.Identifier;
        tracked.uses.push(identifier);
        const closure = outermostFunctionBelow(identifier, owner);
        const verdict = classify(tracked, identifier, owner);
        if (verdict === 'alias') continue;
        if (!verdict) continue;
        tracked.settles.push(identifier);
        if (closure) settleThroughClosure(tracked, closure, owner);
        else settleAt(identifier, tracked);
      }
      for (const reference of variable.references) {
        if (reference.init || reference.isWrite() || outermostFunctionBelow(reference.identifier, owner)) continue;
        guardSettles(tracked, reference.identifier as TSESTree.Identifier);
      }
    }

    /**
     * Event-driven lifetimes: when every release sits in a listener of the resource's own events,
     * each event after which it stays open (a socket's `timeout`) that the code listens for must
     * lead to a release too — in its handler, or a helper the handler calls.
     */
    function checkEventReleases(tracked: Tracked): void {
      const events = tracked.origin.kind.staysOpenAfter;
      if (!events?.length || reportedEvents.has(tracked) || tracked.settles.length === 0) return;
      const handlers: { event: string; handler: TSESTree.Node }[] = [];
      const listeners: TSESTree.Node[] = [];
      for (const use of tracked.uses) {
        const listened = listenerOf(useOf(use), events);
        if (!listened) continue;
        listeners.push(listened.handler);
        if (listened.event) handlers.push({ event: listened.event, handler: listened.handler });
      }
      // A release outside the listeners (a `finally`) does not wait for an event.
      const insideListener = (settle: TSESTree.Node) => listeners.some((listener) => isInside(settle, listener)) || isInside(settle, tracked.origin.creation);
      if (handlers.length === 0 || !tracked.settles.every(insideListener)) return;
      const missing = handlers.find(({ handler }) => !tracked.settles.some((settle) => isInside(settle, handler)));
      if (!missing) return;
      reportedEvents.add(tracked);
      context.report({
        node: tracked.reportNode,
        messageId: 'notReleasedOnEvent',
        data: { what: what(tracked), event: missing.event, line: String(missing.handler.loc.start.line), release: releaseText(tracked) },
      });
    }

    /** `x.on('timeout', fn)`, `x.once(…)`, `x.setTimeout(ms, fn)`: the listener, and the event when it is one of `events`. */
    function listenerOf(use: ValueUse, events: readonly string[]): { event: string | null; handler: TSESTree.Node } | null {
      if (use.type !== 'method') return null;
      const [first, second] = use.call.arguments;
      if (use.name === 'setTimeout' && second && isFunctionNode(second)) return { event: events.includes('timeout') ? 'timeout' : null, handler: second };
      if (!['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'].includes(use.name) || !second) return null;
      const handler = isFunctionNode(second) ? second : second.type === AST_NODE_TYPES.Identifier ? resolveFunction(sourceCode, second) : null;
      if (!handler) return null;
      const event = first?.type === AST_NODE_TYPES.Literal && typeof first.value === 'string' ? first.value : null;
      return { event: event && events.includes(event) ? event : null, handler };
    }

    /**
     * A test on the resource itself guards its release: `if (client) client.release()` and
     * `client && client.release()` release it whenever there is one. `if (!res.body) return` has
     * no body to consume on the way out.
     */
    function guardSettles(tracked: Tracked, identifier: TSESTree.Identifier): void {
      const within = (outer: TSESTree.Node | null | undefined) =>
        !!outer && tracked.settles.some((settle) => settle.range[0] >= outer.range[0] && settle.range[1] <= outer.range[1]);
      let test: TSESTree.Node = identifier;
      const bodyField = tracked.origin.kind.body?.bodyField ?? 'body';
      if (
        tracked.origin.kind.body &&
        identifier.parent?.type === AST_NODE_TYPES.MemberExpression &&
        identifier.parent.object === identifier &&
        memberName(identifier.parent) === bodyField
      ) {
        test = identifier.parent; // `res.body`
      }
      let negated = false;
      if (test.parent?.type === AST_NODE_TYPES.UnaryExpression && test.parent.operator === '!') {
        test = test.parent;
        negated = true;
      } else if (test.parent?.type === AST_NODE_TYPES.BinaryExpression && /^[!=]==?$/.test(test.parent.operator)) {
        const other = test.parent.left === test ? test.parent.right : test.parent.left;
        const nullish = (other.type === AST_NODE_TYPES.Literal && other.value === null) || (other.type === AST_NODE_TYPES.Identifier && other.name === 'undefined');
        if (!nullish) return;
        negated = test.parent.operator.startsWith('=');
        test = test.parent;
      }
      const parent = test.parent;
      if (parent?.type === AST_NODE_TYPES.IfStatement && parent.test === test) {
        if (!negated && within(parent.consequent)) {
          settleAt(identifier, tracked);
          tracked.settles.push(identifier);
        } else if (negated && tracked.origin.kind.body && test !== identifier) {
          // No body: whatever the consequent does leaks nothing.
          settleOnEnter.set(parent.consequent, [...(settleOnEnter.get(parent.consequent) ?? []), tracked]);
        } else if (negated && within(parent.alternate)) {
          settleAt(identifier, tracked);
          tracked.settles.push(identifier);
        }
      } else if (parent?.type === AST_NODE_TYPES.LogicalExpression && parent.left === test && parent.operator === '&&' && !negated && within(parent.right)) {
        settleAt(identifier, tracked);
        tracked.settles.push(identifier);
      }
    }

    /**
     * A nested function that releases the resource releases it where it takes effect: a named
     * helper (`function cleanup() { client.release() }`) where it is called or passed, a callback
     * (`.finally(() => client.release())`) where it is written.
     */
    function settleThroughClosure(tracked: Tracked, closure: TSESTree.Node, owner: TSESTree.Node | null): void {
      const name =
        closure.type === AST_NODE_TYPES.FunctionDeclaration
          ? closure.id
          : closure.parent?.type === AST_NODE_TYPES.VariableDeclarator && closure.parent.id.type === AST_NODE_TYPES.Identifier
            ? closure.parent.id
            : null;
      const helper = name ? findVariable(sourceCode, name) : null;
      if (helper) {
        for (const reference of helper.references) {
          if (reference.init || enclosingFunction(reference.identifier) !== owner) continue;
          settleAt(reference.identifier, tracked);
          tracked.settles.push(reference.identifier);
        }
        return;
      }
      const list = settlingClosures.get(closure) ?? [];
      if (!list.includes(tracked)) list.push(tracked);
      settlingClosures.set(closure, list);
      tracked.settlePoints.push(closure);
    }

    /** Whether this use releases or hands on the resource; 'alias' when it binds another name to it. */
    function classify(tracked: Tracked, identifier: TSESTree.Identifier, owner: TSESTree.Node | null): boolean | 'alias' {
      const use = useOf(identifier);
      if (use.type !== 'alias') return settles(use, tracked.origin.kind, tracked.isBody);
      // `const alias = client`: the alias's uses count as the original's.
      const [alias] = sourceCode.scopeManager?.getDeclaredVariables(use.declarator) ?? [];
      if (!alias || enclosingFunction(use.declarator) !== owner) return true;
      collectSettles(tracked, alias, owner);
      return 'alias';
    }

    /** Whether a use of a resource of this kind releases it or takes it over (`isBody`: the value is the body itself). */
    function settles(use: ValueUse, kind: ResourceKind, isBody: boolean): boolean {
      switch (use.type) {
        case 'method': {
          if (kind.body) {
            if (isBody) return kind.body.consumeMethods.includes(use.name);
            // `res.text()`, `res.body.cancel()`, `res.body.getReader()`: the body is read or let go.
            return kind.body.consumeMethods.includes(use.name) || use.path[0] === (kind.body.bodyField ?? 'body');
          }
          return isReleaseMethod(kind, use.name) || returnsItsReceiver(use.call);
        }
        case 'read':
          // `pipeline(res.body, …)`: the body is used as a stream, not just tested.
          return !!kind.body && !isBody && use.name === (kind.body.bodyField ?? 'body') && useOf(use.member).type !== 'look';
        case 'argument': {
          const callee = calleePath(use.call);
          if (kind.releaseFunctions?.includes(callee.split('.').pop()!)) return true;
          // A helper of this file says what it does: releases it, keeps it, or only uses it.
          const effect = summaries.effectOnArgument(use.call, use.index);
          if (effect) return effectSettles(effect, kind);
          if (kind.body) return true; // a body handed to `pipeline`, `text()`… is consumed there
          if (summaries.isNonOwningCall(use.call)) return false;
          if (options.ownershipTransfer === 'listed') {
            const bare = callee.split('.').pop();
            return (options.ownershipFunctions ?? []).some((f) => f === callee || f === bare);
          }
          return true;
        }
        case 'option':
          // `https.get(url, { agent })` uses the agent; `new Kysely({ dialect })` or `resolve({ client })` keeps it.
          return !!kind.body || summaries.optionIsKept(use.call, use.index);
        case 'look':
        case 'called':
          return false;
        case 'alias': // an alias in another function: it lives on there
        case 'iterate': // iterating a directory or a body consumes it
        case 'store':
        case 'return':
        case 'escape':
          // returned, yielded, stored on an object or outer binding, put in an array…
          return true;
      }
    }

    /**
     * `return client.connect()` where the method hands back its receiver (typed: the result's type
     * is the receiver's) returns the resource itself. `return client.query(…)` does not: that leaks.
     */
    function returnsItsReceiver(call: TSESTree.CallExpression): boolean {
      const types = model.types;
      if (!types || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      let outer: TSESTree.Node = call;
      if (outer.parent?.type === AST_NODE_TYPES.AwaitExpression) outer = outer.parent;
      const returned =
        outer.parent?.type === AST_NODE_TYPES.ReturnStatement ||
        (outer.parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && outer.parent.body === outer);
      if (!returned) return false;
      const receiver = types.checker.getApparentType(types.typeOf(call.callee.object));
      const result = types.checker.getAwaitedType(types.typeOf(call));
      return result !== undefined && types.checker.isTypeAssignableTo(receiver, result);
    }

    // ---- listeners' work ----

    function onDeclarator(declarator: TSESTree.VariableDeclarator): void {
      const declaration = declarator.parent;
      if (!declarator.init) return;
      if (declaration.kind === 'using' || declaration.kind === 'await using') {
        checkDisposable(declarator, declaration.kind);
        return;
      }
      const inForHead =
        (declaration.parent.type === AST_NODE_TYPES.ForOfStatement || declaration.parent.type === AST_NODE_TYPES.ForInStatement) &&
        declaration.parent.left === declaration;
      if (inForHead) return;
      const origin = originOf(declarator.init);
      if (!origin) return;
      if (isModuleLevel(declarator)) return; // a module-level singleton lives as long as the process
      if (declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return;
      if (declarator.id.type === AST_NODE_TYPES.Identifier) {
        const [variable] = sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? [];
        if (variable) trackBinding(variable, origin, declarator, declarator, false);
        return;
      }
      // `const { body } = await request(url)`: the body is the resource to consume.
      if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && origin.kind.body?.bodyField) {
        const field = origin.kind.body.bodyField;
        for (const property of declarator.id.properties) {
          if (
            property.type === AST_NODE_TYPES.Property &&
            !property.computed &&
            ASTUtils.getPropertyName(property) === field &&
            property.value.type === AST_NODE_TYPES.Identifier
          ) {
            const variable = findVariable(sourceCode, property.value);
            if (variable) trackBinding(variable, origin, declarator, null, true);
          }
        }
      }
    }

    function onAssignment(assignment: TSESTree.AssignmentExpression): void {
      if (assignment.operator !== '=') return;
      if (assignment.left.type === AST_NODE_TYPES.MemberExpression) {
        const field = fieldOf(assignment.left);
        if (field) checkOwnedField(field, assignment.right);
        return;
      }
      if (assignment.left.type !== AST_NODE_TYPES.Identifier) return;
      const origin = originOf(assignment.right);
      if (!origin || isModuleLevel(assignment)) return;
      const variable = findVariable(sourceCode, assignment.left);
      // Assigned to a binding of an outer function or the module: it escapes this one.
      if (!variable || variable.scope.variableScope !== sourceCode.getScope(assignment).variableScope) return;
      trackBinding(variable, origin, assignment, null, false);
    }

    /**
     * `await using` disposes only a value that has a disposer: on anything else the declaration
     * throws a TypeError, and a resource it was meant to release leaks.
     */
    function checkDisposable(declarator: TSESTree.VariableDeclarator, keyword: 'using' | 'await using'): void {
      const verdict = model.isDisposable(declarator.init!, keyword === 'await using');
      if (!verdict || verdict.disposable) return;
      const name = declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : '';
      const origin = verdict.origin;
      context.report({
        node: declarator,
        messageId: 'notDisposable',
        data: {
          keyword,
          what: origin ? what({ name, origin }, false, false) : `\`${name || sourceCode.getText(declarator.id)}\``,
          method: keyword === 'await using' ? '[Symbol.asyncDispose]()' : '[Symbol.dispose]()',
          release: origin ? `: release it with \`${releaseText({ name, origin })}\` in a \`finally\` instead` : '',
        },
      });
    }

    /**
     * A resource delivered to a callback (`pool.connect().then((client) => …)`, `pool.connect((err,
     * client, done) => …)`) is the callback's to release, on every path out of it; `done()` releases
     * it, and a branch on the error (`if (err) return …`) has none.
     */
    function trackDelivered(fn: FunctionNode): void {
      const delivered = model.deliveredTo(fn);
      if (!delivered) return;
      const declared = sourceCode.scopeManager?.getDeclaredVariables(fn) ?? [];
      const variableOf = (param: TSESTree.Identifier | null) => (param ? declared.find((v) => v.defs.some((def) => def.name === param)) : undefined);
      const variable = variableOf(delivered.param);
      if (!variable || trackedByVariable.has(variable)) return;
      const errorReferences = variableOf(delivered.error)?.references ?? [];
      const errorGuards: TSESTree.Statement[] = [];
      for (const reference of errorReferences) {
        const test = reference.identifier.parent;
        if (test?.type === AST_NODE_TYPES.IfStatement && test.test === reference.identifier) errorGuards.push(test.consequent);
      }
      // Only `if (err) …` is understood (the error may be used inside it): anything else about the
      // error, and we cannot say when there is a resource.
      if (!errorReferences.every((reference) => errorGuards.some((guard) => guard.parent === reference.identifier.parent || isInside(reference.identifier, guard)))) return;
      const tracked: Tracked = {
        name: variable.name,
        variable,
        origin: delivered.origin,
        reportNode: delivered.origin.creation,
        declarator: null,
        isBody: false,
        settles: [],
        uses: [],
        parent: null,
        settlePoints: [],
      };
      trackedByVariable.set(variable, tracked);
      collectSettles(tracked, variable, fn);
      for (const reference of variableOf(delivered.releaseParam)?.references ?? []) {
        const use = useOf(reference.identifier);
        if (use.type !== 'called' && use.type !== 'argument') continue;
        tracked.settles.push(reference.identifier);
        const closure = outermostFunctionBelow(reference.identifier, fn);
        if (closure) settleThroughClosure(tracked, closure, fn);
        else settleAt(reference.identifier, tracked);
      }
      for (const guard of errorGuards) settleOnEnter.set(guard, [...(settleOnEnter.get(guard) ?? []), tracked]);
      tracker.begin(tracked, fn);
    }

    /**
     * A resource stored in a field of a class (made there, or made into a local and stored) is the
     * instance's to release: report it at its creation when nothing in the class ever does.
     */
    function checkOwnedField(field: OwnedField, value: TSESTree.Expression): void {
      let origin = originOf(value);
      const stored = skipTypeWrappers(value);
      if (!origin && stored.type === AST_NODE_TYPES.Identifier) {
        // `const pool = new Pool(); this.pool = pool;` — the local was made in the same function to be stored.
        const variable = findVariable(sourceCode, stored);
        const init = variable && singleValueOf(variable);
        if (!init || enclosingFunction(init) !== enclosingFunction(value)) return;
        origin = isFunctionNode(init) || init.type === AST_NODE_TYPES.ClassDeclaration ? null : originOf(init as TSESTree.Expression);
      }
      // A page or context made from a browser closes with it: the browser's own field is the one to check.
      if (!origin || origin.kind.body || (origin.kind.derived && origin.receiver) || perRequest.has(origin.creation) || reportedFields.has(origin.creation)) return;
      if (checkSessionPerRequest(origin, '', null)) return;
      if (isFieldReleased(sourceCode, field, (use) => settles(use, origin.kind, false)) !== false) return;
      reportedFields.add(origin.creation);
      const tracked = { name: '', origin };
      context.report({
        node: origin.creation,
        messageId: 'fieldNeverReleased',
        data: {
          what: what(tracked),
          field: field.name,
          owner: field.className ? `\`${field.className}\`` : 'the class',
          release: releaseText({ name: `this.${field.name}`, origin }),
        },
      });
    }

    /** `await fetch(url);`, `setInterval(tick, 1000);`: made and dropped on the spot. */
    function onStatement(statement: TSESTree.ExpressionStatement): void {
      const expression = skipTypeWrappers(statement.expression);
      // A dropped promise of a creation is no-unawaited-promise's report; an awaited one is ours.
      if (expression.type === AST_NODE_TYPES.CallExpression && !isSyncCreation(expression)) return;
      const origin = originOf(expression);
      // A value known only by its type may be the receiver handed back (`await client.connect()`).
      if (!origin || isModuleLevel(statement) || origin.kind.id.startsWith(TYPED_PREFIX)) return;
      if (checkSessionPerRequest(origin, '', null)) return;
      const tracked = { name: '', origin };
      if (origin.kind.body) {
        context.report({
          node: origin.creation,
          messageId: 'bodyNotConsumed',
          data: { what: what(tracked, false), exit: 'anywhere' },
        });
        return;
      }
      context.report({ node: origin.creation, messageId: 'neverReleased', data: { what: what(tracked), release: releaseText(tracked) } });
    }

    /** Calls whose result is the resource itself, not a promise of it (`setInterval`, `fs.openSync`, `net.connect`). */
    function isSyncCreation(call: TSESTree.CallExpression): boolean {
      const origin = model.resourceAt(call);
      return origin !== null && !origin.kind.releaseIsAsync && !origin.kind.body && origin.kind.id !== 'fs.Dir' && !origin.kind.id.endsWith('Browser');
    }

    // ---- reports ----

    function reportLeaks(path: FinishedCodePath<Tracked>): void {
      for (const tracked of path.keys) {
        // A page or context leaks exactly where its tracked browser does: that report covers it.
        if (tracked.origin.kind.derived && tracked.parent) continue;
        const parents: Tracked[] = [];
        for (let p = tracked.parent; p; p = p.parent) parents.push(p);
        const leak = path.findLeak(tracked, {
          settledBy: parents,
          exceptions: checkExceptions && !tracked.origin.kind.body ? (risk) => isProtected(risk, tracked, parents) : undefined,
        });
        if (!leak) continue;
        const origin = beginOrigins.get(leak.begin) ?? tracked.origin;
        report({ ...tracked, origin, reportNode: origin.creation }, leak, path.owner);
      }
    }

    function report(tracked: Tracked, leak: Leak, owner: TSESTree.Node): void {
      const kind = tracked.origin.kind;
      const exitNode = leak.kind === 'loop' || leak.kind === 'end' ? leak.via : leak.node;
      const related = (messageId: MessageId) => {
        if (exitNode) {
          const message = leak.kind === 'exception' ? 'this may throw past the release' : 'the resource leaks when this runs';
          addRelated(context.filename, RULE_NAME, { messageId, node: tracked.reportNode }, { node: exitNode, message });
        }
      };
      const data = { what: what(tracked), release: releaseText(tracked) };
      if (kind.body) {
        const exit = leak.kind === 'exception' ? '' : exitText(tracked, leak, owner);
        related('bodyNotConsumed');
        context.report({
          node: tracked.reportNode,
          messageId: 'bodyNotConsumed',
          data: { what: data.what, exit },
          suggest: cancelSuggestion(tracked, leak),
        });
        return;
      }
      const suggest = [...awaitUsingSuggestion(tracked), ...tryFinallySuggestion(tracked)];
      if (tracked.settles.length === 0) {
        context.report({ node: tracked.reportNode, messageId: 'neverReleased', data: { what: data.what, release: data.release }, suggest });
      } else if (leak.kind === 'exception') {
        const risk = leak.node.type === AST_NODE_TYPES.AwaitExpression ? leak.node.argument : leak.node;
        related('notReleasedOnException');
        context.report({
          node: tracked.reportNode,
          messageId: 'notReleasedOnException',
          data: { what: data.what, risk: describeExpression(sourceCode, risk, { bare: true }), line: String(leak.node.loc.start.line) },
          suggest,
        });
      } else {
        related('notReleasedOnEarlyExit');
        context.report({
          node: tracked.reportNode,
          messageId: 'notReleasedOnEarlyExit',
          data: { what: data.what, exit: exitText(tracked, leak, owner) },
          suggest,
        });
      }
    }

    /** A binding given a new resource before the old one is released: name the reassignment. */
    function exitText(tracked: Tracked, leak: Exclude<Leak, { kind: 'exception' }>, owner: TSESTree.Node): string {
      if (leak.kind === 'loop' && leak.node.type === AST_NODE_TYPES.AssignmentExpression && !leak.via) {
        return `when \`${tracked.name}\` is reassigned at line ${leak.node.loc.start.line}`;
      }
      return describeExit(leak, owner);
    }

    /**
     * A call that may throw is harmless when the release runs anyway: a `finally` or `catch` around
     * it releases. Synchronous calls count when the exception model says they throw (`JSON.parse`,
     * `new URL`, a helper whose summary can throw) or, unknown, when they do I/O on the resource
     * (`fs.readSync(fd, …)`); a call whose summary cannot throw never does.
     */
    function isProtected(risk: RiskNode, tracked: Tracked, parents: Tracked[]): boolean {
      const uses = [tracked, ...parents].flatMap((t) => t.uses);
      if (risk.type === AST_NODE_TYPES.AwaitExpression) {
        // `await connecting` rejects when there is no connection: nothing to release.
        if (tracked.uses.includes(skipTypeWrappers(risk.argument))) return true;
      } else {
        const verdict = summaries.throwsSynchronously(risk);
        if (verdict === 'no') return true;
        if (verdict === 'unknown' && !risk.arguments.some((argument) => uses.includes(argument))) return true;
      }
      return isRiskCovered(risk, [tracked, ...parents].flatMap((t) => t.settles));
    }

    // ---- suggestions ----

    function awaitUsingSuggestion(tracked: Tracked): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const declarator = tracked.declarator;
      if (!declarator || !tracked.origin.asyncDisposable || !canAwaitAt(sourceCode, declarator, context.filename)) return [];
      const declaration = declarator.parent;
      if (declaration.declarations.length !== 1 || declaration.kind === 'var' || isRebound(tracked)) return [];
      const releases = releaseStatements(tracked);
      if (releases === null) return [];
      return [
        {
          messageId: 'useAwaitUsing',
          fix: (fixer) => [
            fixer.replaceText(sourceCode.getFirstToken(declaration)!, 'await using'),
            ...releases.map((statement) => fixer.remove(statement)),
          ],
        },
      ];
    }

    function isRebound(tracked: Tracked): boolean {
      return tracked.variable.references.filter((reference) => reference.isWrite()).length > 1;
    }

    /**
     * The release calls of the resource, when every use that settles it is a plain release
     * statement (`client.release();`, `await fh.close();`, `fs.closeSync(fd);`) with nothing else to
     * say: a fix may then move or drop them. Null when it escapes (returned, stored, passed on), is
     * released in a callback, or a release carries more (`socket.end('bye')`, `ws.close(1000)`).
     */
    function releaseStatements(tracked: Tracked): TSESTree.ExpressionStatement[] | null {
      const kind = tracked.origin.kind;
      const statements: TSESTree.ExpressionStatement[] = [];
      for (const settle of tracked.settles) {
        const call = releaseCallAround(settle);
        if (!call) return null;
        const argumentsBeyond = call.arguments.filter((argument) => argument !== settle);
        if (argumentsBeyond.length > 0) return null;
        const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
        const name = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : null;
        const isRelease = callee.type === AST_NODE_TYPES.MemberExpression && callee.object === settle
          ? kind.releaseMethods?.includes(name ?? '')
          : kind.releaseFunctions?.includes(name ?? '') && call.arguments[0] === settle;
        if (!isRelease) return null;
        let statement: TSESTree.Node = call;
        if (statement.parent?.type === AST_NODE_TYPES.AwaitExpression) statement = statement.parent;
        if (statement.parent?.type !== AST_NODE_TYPES.ExpressionStatement) return null;
        statements.push(statement.parent);
      }
      return statements;
    }

    function releaseCallAround(settle: TSESTree.Node): TSESTree.CallExpression | null {
      const parent = settle.parent;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(settle as TSESTree.Expression)) return parent;
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === settle && parent.parent?.type === AST_NODE_TYPES.CallExpression && parent.parent.callee === parent) {
        return parent.parent;
      }
      return null;
    }

    function tryFinallySuggestion(tracked: Tracked): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const declarator = tracked.declarator;
      if (!declarator || isRebound(tracked) || declarator.parent.declarations.length !== 1) return [];
      const releases = releaseStatements(tracked);
      if (releases === null) return [];
      const awaitRelease = tracked.origin.kind.releaseIsAsync && canAwaitAt(sourceCode, declarator, context.filename);
      const release = `${awaitRelease ? 'await ' : ''}${releaseText(tracked)}`;
      const fix = wrapRestInTryFinally(sourceCode, declarator.parent, releases, release);
      return fix ? [{ messageId: 'wrapInTryFinally', data: { release }, fix }] : [];
    }

    function cancelSuggestion(tracked: Tracked, leak: Leak): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      const kind = tracked.origin.kind;
      const exit =
        leak.kind === 'return' || leak.kind === 'throw' || leak.kind === 'break' || leak.kind === 'continue'
          ? leak.node
          : leak.kind === 'loop' || leak.kind === 'end'
            ? leak.via
            : null;
      if (!kind.body || !exit || !canAwaitAt(sourceCode, exit, context.filename)) return [];
      // A return that reads the body on one branch (`return res.ok ? res.json() : null`) cannot be preceded by a cancel.
      if (tracked.settles.some((use) => use.range[0] >= exit.range[0] && use.range[1] <= exit.range[1])) return [];
      const target = tracked.isBody ? tracked.name : `${tracked.name}.${kind.body.bodyField ?? 'body'}`;
      const method = kind.body.cancel.split('.').pop()!;
      const cancel = kind.body.bodyField ? `await ${target}.${method}()` : `await ${target}?.${method}()`;
      const parent = exit.parent;
      const indent = /^\s*/.exec(sourceCode.lines[exit.loc.start.line - 1])![0];
      const inBlock = parent?.type === AST_NODE_TYPES.BlockStatement || parent?.type === AST_NODE_TYPES.SwitchCase;
      return [
        {
          messageId: 'cancelBody',
          data: { cancel },
          fix: (fixer) =>
            inBlock
              ? fixer.insertTextBefore(exit, `${cancel};\n${indent}`)
              : fixer.replaceText(exit, `{\n${indent}  ${cancel};\n${indent}  ${sourceCode.getText(exit)}\n${indent}}`),
        },
      ];
    }

    /**
     * Move a session made per request to module scope — unless the function ends it or hands it
     * on (an ended pool cannot serve the next call), or it is awaited into being.
     */
    function hoistSuggestion(declarator: TSESTree.VariableDeclarator | null): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      if (!declarator?.init || skipTypeWrappers(declarator.init).type === AST_NODE_TYPES.AwaitExpression) return [];
      const [variable] = sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? [];
      if (!variable || variable.references.some((reference) => !reference.init && (reference.isWrite() || releasesOrHandsOn(reference.identifier)))) {
        return [];
      }
      const fix = hoistToModuleScope(sourceCode, declarator);
      return fix ? [{ messageId: 'hoistToModule', fix }] : [];
    }

    /** A use that ends the session or gives it away for good (`pool.end()`, `return pool`, `this.pool = pool`). */
    function releasesOrHandsOn(identifier: TSESTree.Node): boolean {
      const parent = identifier.parent;
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) {
        const name = memberName(parent);
        return name !== null && ['end', 'close', 'destroy', 'quit', 'disconnect', 'release', 'terminate'].includes(name);
      }
      return (
        parent?.type === AST_NODE_TYPES.ReturnStatement ||
        parent?.type === AST_NODE_TYPES.YieldExpression ||
        (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === identifier)
      );
    }

    return mergeListeners(tracker.listeners, {
      VariableDeclarator: onDeclarator,
      'VariableDeclarator:exit'(node: TSESTree.VariableDeclarator) {
        const tracked = pendingBegins.get(node);
        if (tracked) tracker.begin(tracked, node);
      },
      AssignmentExpression: onAssignment,
      PropertyDefinition(definition: TSESTree.PropertyDefinition) {
        const field = definition.value && fieldOfDefinition(definition);
        if (field) checkOwnedField(field, definition.value!);
      },
      'AssignmentExpression:exit'(node: TSESTree.AssignmentExpression) {
        const tracked = pendingBegins.get(node);
        if (tracked) tracker.begin(tracked, node);
      },
      ExpressionStatement: onStatement,
      'CallExpression, NewExpression'(node: TSESTree.CallExpression | TSESTree.NewExpression) {
        // A session made anywhere in a request handler or loop, bound or not (`createClient().connect()`).
        if (perRequest.has(node) || isModuleLevel(node)) return;
        // Where first (a walk up the tree), what second (may ask the checker): most calls are in neither.
        if (options.checkSessionsPerRequest === false || !perRequestWhere(node)) return;
        const origin = model.resourceAt(node);
        if (origin?.kind.reusable) checkSessionPerRequest(origin, '', null);
      },
      'ReturnStatement, ThrowStatement, BlockStatement, ContinueStatement, BreakStatement, ExpressionStatement'(node: TSESTree.Node) {
        for (const tracked of settleOnEnter.get(node) ?? []) tracker.settle(tracked, node);
      },
      Identifier(node: TSESTree.Identifier) {
        for (const tracked of settlingReferences.get(node) ?? []) tracker.settle(tracked, node);
      },
      ':function'(node: FunctionNode) {
        for (const tracked of settlingClosures.get(node) ?? []) tracker.settle(tracked, node, { enclosing: true });
        trackDelivered(node);
      },
    }) as TSESLint.RuleListener;
  },
});

// ---- helpers that need no closure ----

function userKinds(resources: readonly UserResource[]): ResourceKind[] {
  return resources.map((resource) => ({
    id: resource.id ?? `${resource.module}.${resource.label}`,
    label: resource.label,
    modules: [resource.module],
    create: resource.create.map((creation) =>
      'method' in creation ? { method: creation.method, on: creation.on ?? [], anyReceiver: creation.on ? undefined : /./ } : creation,
    ),
    releaseMethods: resource.release,
    releaseFunctions: resource.releaseFunctions,
    releaseIsAsync: resource.async,
    reusable: resource.reusable,
  }));
}

function isInside(node: TSESTree.Node, outer: TSESTree.Node): boolean {
  return node.range[0] >= outer.range[0] && node.range[1] <= outer.range[1];
}

/** The outermost function between a node and its owner, if the node sits in a nested function. */
function outermostFunctionBelow(node: TSESTree.Node, owner: TSESTree.Node | null): TSESTree.Node | null {
  let found: TSESTree.Node | null = null;
  for (let current = node.parent; current && current !== owner; current = current.parent) {
    if (isFunctionNode(current)) found = current;
  }
  return found;
}

function isLoopHeadOnly(loop: TSESTree.Node, node: TSESTree.Node): boolean {
  // `for (const x of await list())`: the iterable is evaluated once, not per iteration.
  return (loop.type === AST_NODE_TYPES.ForOfStatement || loop.type === AST_NODE_TYPES.ForInStatement) && node.range[1] <= loop.right.range[1] && node.range[0] >= loop.right.range[0];
}
