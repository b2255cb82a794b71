import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { CALL, traceReferences, type TraceMaps } from '../analysis/apiReferences';
import { enclosingFunction, findVariable, isFunctionNode, memberName, resolveFunction, skipTypeWrappers } from '../analysis/bindings';
import { useOf } from '../analysis/valueUses';
import {
  BODY_PARSERS,
  DEFAULT_MAX_BYTES,
  FILE_READS,
  STREAM_CONSUMER_MODULES,
  STREAM_CONSUMERS,
  UPLOAD_PARSERS,
  WHOLE_BODY_METHODS,
} from '../analysis/readCatalogue';
import { createReadModel } from '../analysis/readModel';
import { getResourceModel } from '../analysis/resourceModel';
import { BOUNDED_READ_NAME, boundedReadCall, boundedReadHelper } from '../fix/boundedRead';
import { describeExpression } from '../fix/describe';
import { createRule } from '../util/createRule';

export type Options = [
  {
    maxBytes?: number;
    allowedOrigins?: string[];
    readFunctions?: string[];
    boundedReaders?: string[];
  },
];

export type MessageId =
  | 'unboundedBodyRead'
  | 'contentLengthNotEnough'
  | 'unboundedStreamRead'
  | 'unboundedAccumulation'
  | 'requestPathRead'
  | 'axiosWithoutLimit'
  | 'uploadWithoutLimits'
  | 'bodyParserWithoutLimit'
  | 'useBoundedRead'
  | 'addMaxContentLength'
  | 'addByteCount'
  | 'helperReadsWhole'
  | 'uploadWithoutFileSize';

/** The request methods of an axios instance. */
const AXIOS_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'postForm', 'putForm', 'patchForm']);

const DEFAULT_OPTIONS: Options[0] = { maxBytes: DEFAULT_MAX_BYTES, allowedOrigins: [], readFunctions: [], boundedReaders: [] };

type Decoding = 'text' | 'json' | 'arrayBuffer' | 'bytes';

export default createRule<Options, MessageId>({
  name: 'no-unbounded-read',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require reads of bodies and streams from outside the program to be bounded',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    defaultOptions: [DEFAULT_OPTIONS],
    messages: {
      unboundedBodyRead:
        '`{{read}}` reads the whole body of a response from {{source}} into memory, with no size limit: a peer can send gigabytes.',
      contentLengthNotEnough:
        '`{{read}}` is guarded by a `Content-Length` check that lets a missing length through: a chunked body carries none, so the read is still unbounded.',
      unboundedStreamRead: '`{{read}}` reads the whole incoming {{what}} into memory, with no size limit.',
      helperReadsWhole:
        '`{{call}}` hands the incoming {{what}} to `{{helper}}`, which reads it whole into memory with no size limit (line {{line}}).',
      unboundedAccumulation:
        'Every chunk of the incoming {{what}} is collected with no running byte count: a peer can send until memory runs out.',
      requestPathRead: '`{{read}}` reads a whole file whose path comes from the request: bound the size, and check the path.',
      axiosWithoutLimit: '`{{read}}` requests a URL the program does not choose, with no `maxContentLength`: the whole response is buffered.',
      uploadWithoutLimits: '`{{read}}` parses uploads without `limits`: files and fields of any size are accepted.',
      uploadWithoutFileSize: '`{{read}}` sets `limits` without `fileSize`: each uploaded file may be of any size.',
      bodyParserWithoutLimit: '`{{read}}` is given no size limit (`limit: Infinity`): bodies of any size are buffered.',
      useBoundedRead: 'Read at most {{max}} bytes with a bounded reader (`{{helper}}`).',
      addMaxContentLength: 'Cap the response at {{max}} bytes (`maxContentLength`).',
      addByteCount: 'Count the bytes and stop past {{max}}.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxBytes: { type: 'integer', minimum: 1, description: 'The cap the fixes write, in bytes (default 10 MiB).' },
          allowedOrigins: {
            type: 'array',
            items: { type: 'string' },
            description: 'Trusted origins (`https://api.example.com` or a host): responses from them may be read whole.',
          },
          readFunctions: { type: 'array', items: { type: 'string' }, description: 'Extra functions that read a whole body or stream given as first argument.' },
          boundedReaders: {
            type: 'array',
            items: { type: 'string' },
            description: 'Project functions that read a body with a byte cap (besides those the rule recognises in the same file).',
          },
        },
      },
    ],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const reads = createReadModel(sourceCode, options.allowedOrigins ?? []);
    const resources = getResourceModel(context);
    const boundedReaders = new Set([BOUNDED_READ_NAME, ...(options.boundedReaders ?? [])]);
    const typescript = /\.[cm]?tsx?$/.test(context.filename);
    let traced: Map<TSESTree.Node, unknown> | undefined;
    const apiCalls = () => (traced ??= traceReferences(sourceCode, traceMaps()));
    let helperInserted = false;

    // ---- responses ----

    /** The response (or undici body) a receiver holds, and the request that made it. */
    function responseOf(receiver: TSESTree.Expression): { creation: TSESTree.CallExpression | TSESTree.NewExpression; name: string; undiciBody: boolean } | null {
      let node = skipTypeWrappers(receiver);
      if (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
      // `res.body.json()` on an undici `request()` result
      if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === 'body') {
        const inner = responseOf(node.object);
        // undici's `request()` body reads itself (`body.json()`); a fetch body is a web stream of the response.
        const undici = inner ? resources.resourceAt(inner.creation)?.kind.id === 'undici.ResponseData' : false;
        return inner && { ...inner, name: `${inner.name}.body`, undiciBody: undici };
      }
      const direct = resources.resourceAt(node);
      if (direct?.kind.body) return { creation: direct.creation, name: sourceCode.getText(receiver), undiciBody: false };
      if (node.type !== AST_NODE_TYPES.Identifier) return null;
      const variable = findVariable(sourceCode, node);
      const def = variable?.defs[0];
      // `fetch(url).then((res) => res.json())`: the callback's parameter is the response.
      if (def?.type === 'Parameter' && isFunctionNode(def.node) && def.node.params[0] === def.name) {
        const then = def.node.parent;
        if (
          then?.type === AST_NODE_TYPES.CallExpression &&
          then.arguments[0] === def.node &&
          then.callee.type === AST_NODE_TYPES.MemberExpression &&
          !then.callee.computed &&
          then.callee.property.type === AST_NODE_TYPES.Identifier &&
          then.callee.property.name === 'then'
        ) {
          const origin = resources.resourceAt(then.callee.object);
          if (origin?.kind.body) return { creation: origin.creation, name: node.name, undiciBody: false };
        }
        return null;
      }
      if (def?.type !== 'Variable' || !def.node.init) return null;
      const origin = resources.resourceAt(def.node.init);
      if (!origin?.kind.body) return null;
      // `const { body } = await request(url)`: the binding is the body.
      const destructured = def.node.id.type === AST_NODE_TYPES.ObjectPattern;
      return { creation: origin.creation, name: node.name, undiciBody: destructured };
    }

    function checkBodyRead(call: TSESTree.CallExpression, member: TSESTree.MemberExpression, method: string): void {
      const response = responseOf(member.object);
      if (!response || response.creation.type !== AST_NODE_TYPES.CallExpression) return;
      if (!reads.isUntrustedUrl(response.creation.arguments[0])) return;
      if (reads.inBoundedReader(call) || isInBoundedHelper(call)) return;
      const check = reads.contentLengthCheck(response.creation, call);
      if (check === 'bounded') return;
      const read = describeExpression(sourceCode, call, { bare: true });
      const decoding = WHOLE_BODY_METHODS[method];
      const url = skipTypeWrappers(response.creation.arguments[0] as TSESTree.Expression);
      const source = url.type === AST_NODE_TYPES.Identifier || url.type === AST_NODE_TYPES.MemberExpression ? describeExpression(sourceCode, url) : 'a URL built at run time';
      context.report({
        node: call,
        messageId: check === 'partial' ? 'contentLengthNotEnough' : 'unboundedBodyRead',
        data: { read, source },
        suggest: decoding ? boundedReadSuggestion(call, sourceCode.getText(member.object), decoding) : [],
      });
    }

    function isInBoundedHelper(node: TSESTree.Node): boolean {
      for (let current = node.parent; current; current = current.parent) {
        if (isFunctionNode(current)) {
          const name = current.id?.name ?? (current.parent?.type === AST_NODE_TYPES.VariableDeclarator && current.parent.id.type === AST_NODE_TYPES.Identifier ? current.parent.id.name : null);
          if (name && boundedReaders.has(name)) return true;
        }
      }
      return false;
    }

    /** `await res.json()` → `await readBounded(res, N, 'json')`, with the helper added once per file. */
    function boundedReadSuggestion(call: TSESTree.CallExpression, receiverText: string, decoding: Decoding): TSESLint.SuggestionReportDescriptor<MessageId>[] {
      // The promise the original read gave must still be awaited or returned (an arrow's body returns it).
      const parent = call.parent;
      const handedOn =
        parent?.type === AST_NODE_TYPES.AwaitExpression ||
        parent?.type === AST_NODE_TYPES.ReturnStatement ||
        (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === call);
      if (!handedOn) return [];
      const program = sourceCode.ast;
      const hasHelper = helperInserted || sourceCode.getScope(program).set.has(BOUNDED_READ_NAME) || moduleScopeHas(BOUNDED_READ_NAME);
      return [
        {
          messageId: 'useBoundedRead',
          data: { max: String(maxBytes), helper: BOUNDED_READ_NAME },
          fix: (fixer) => {
            const fixes = [fixer.replaceText(call, boundedReadCall(receiverText, maxBytes, decoding))];
            if (!hasHelper) fixes.push(fixer.insertTextAfterRange([program.range[1], program.range[1]], `\n\n${boundedReadHelper({ typescript })}\n`));
            return fixes;
          },
        },
      ];
    }

    function moduleScopeHas(name: string): boolean {
      const globalScope = sourceCode.scopeManager?.globalScope;
      const moduleScope = globalScope?.childScopes.find((scope) => scope.type === 'module');
      return !!moduleScope?.set.has(name);
    }

    // ---- streams and requests ----

    function checkConsumer(call: TSESTree.CallExpression, name: string): void {
      const [source] = call.arguments;
      if (!source || source.type === AST_NODE_TYPES.SpreadElement) return;
      const fromRequest = reads.isRequestSource(source);
      const body = !fromRequest ? responseOf(source) : null;
      if (!fromRequest && !(body && body.creation.type === AST_NODE_TYPES.CallExpression && reads.isUntrustedUrl(body.creation.arguments[0]))) return;
      if (reads.inBoundedReader(call) || isInBoundedHelper(call)) return;
      const decoding = STREAM_CONSUMERS[name] ?? null;
      // `text(res.body!)`: the bounded reader takes the response itself.
      let receiver: TSESTree.Node = skipTypeWrappers(source);
      if (!fromRequest && receiver.type === AST_NODE_TYPES.MemberExpression && body && !body.undiciBody) receiver = receiver.object;
      context.report({
        node: call,
        messageId: 'unboundedStreamRead',
        data: { read: describeExpression(sourceCode, call, { bare: true }), what: fromRequest ? 'request' : 'response' },
        suggest: decoding ? boundedReadSuggestion(call, sourceCode.getText(receiver), decoding) : [],
      });
    }

    function checkToArray(call: TSESTree.CallExpression, member: TSESTree.MemberExpression): void {
      if (!reads.isRequestSource(member.object) || reads.inBoundedReader(call)) return;
      context.report({ node: call, messageId: 'unboundedStreamRead', data: { read: describeExpression(sourceCode, call, { bare: true }), what: 'request' } });
    }

    /** `req.on('data', (chunk) => { body += chunk; })` with no running count that stops. */
    function checkDataListener(call: TSESTree.CallExpression, member: TSESTree.MemberExpression): void {
      const [event, listener] = call.arguments;
      if (event?.type !== AST_NODE_TYPES.Literal || event.value !== 'data' || !listener || !isFunctionNode(listener)) return;
      if (!reads.isRequestSource(member.object)) return;
      const accumulation = reads.accumulation(listener.body);
      if (!accumulation || reads.counts(listener.body)) return;
      // At the statement that keeps every chunk, as DESIGN says: that is the line to change.
      context.report({ node: accumulation, messageId: 'unboundedAccumulation', data: { what: 'request' } });
    }

    /** `for await (const chunk of req) chunks.push(chunk)`, with the fix that counts and stops. */
    function checkForAwait(loop: TSESTree.ForOfStatement): void {
      const accumulation = loop.await && reads.isRequestSource(loop.right) ? reads.accumulation(loop.body) : null;
      if (!accumulation || reads.counts(loop.body)) return;
      const chunk = loop.left.type === AST_NODE_TYPES.VariableDeclaration ? loop.left.declarations[0]?.id : null;
      const suggest: TSESLint.SuggestionReportDescriptor<MessageId>[] = [];
      if (chunk?.type === AST_NODE_TYPES.Identifier && loop.body.type === AST_NODE_TYPES.BlockStatement && isStatementInBlock(loop)) {
        const indent = /^\s*/.exec(sourceCode.lines[loop.loc.start.line - 1])![0];
        const inner = `${indent}  `;
        const counter = freeName('received', loop);
        const source = sourceCode.getText(loop.right);
        suggest.push({
          messageId: 'addByteCount',
          data: { max: String(maxBytes) },
          fix: (fixer) => [
            fixer.insertTextBefore(loop, `let ${counter} = 0;\n${indent}`),
            fixer.insertTextAfter(
              sourceCode.getFirstToken(loop.body)!,
              `\n${inner}${counter} += ${chunk.name}.length;\n${inner}if (${counter} > ${maxBytes}) {\n${inner}  ${source}.destroy();\n${inner}  throw new Error('request body exceeds ${maxBytes} bytes');\n${inner}}`,
            ),
          ],
        });
      }
      context.report({ node: accumulation, messageId: 'unboundedAccumulation', data: { what: 'request' }, suggest });
    }

    /**
     * `readAll(req)`, `parse(res)`: an incoming request or an untrusted response handed to a helper
     * of this file whose summary reads that parameter whole, with no byte cap. A helper whose own
     * parameter already counts as a request (`readBody(req)`) is reported inside it instead.
     */
    function checkHelperRead(call: TSESTree.CallExpression): void {
      // Asked of every call: only a name or a member can hold a request or a response, and that is
      // known without a scope lookup, so most calls stop here before the callee is resolved.
      const candidate = (argument: TSESTree.CallExpressionArgument) => {
        const node = argument.type === AST_NODE_TYPES.SpreadElement ? argument : skipTypeWrappers(argument);
        return node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.MemberExpression;
      };
      if (!call.arguments.some(candidate)) return;
      const fn = resolveFunction(sourceCode, call.callee as TSESTree.Expression);
      if (!fn || fn === enclosingFunction(call) || isInBoundedHelper(call) || reads.inBoundedReader(call)) return;
      call.arguments.forEach((argument, index) => {
        if (argument.type === AST_NODE_TYPES.SpreadElement) return;
        const fromRequest = reads.isRequestSource(argument);
        const response = fromRequest ? null : responseOf(argument);
        if (!fromRequest && !(response && response.creation.type === AST_NODE_TYPES.CallExpression && reads.isUntrustedUrl(response.creation.arguments[0]))) return;
        const param = fn.params[index];
        if (param?.type !== AST_NODE_TYPES.Identifier || (fromRequest && reads.isRequestSource(param))) return;
        const read = reads.wholeReadOf(fn, index, isStreamConsumer);
        if (!read) return;
        const helper = describeExpression(sourceCode, call.callee as TSESTree.Expression, { bare: true });
        context.report({
          node: call,
          messageId: 'helperReadsWhole',
          data: { call: describeExpression(sourceCode, call, { bare: true }), helper, what: fromRequest ? 'request' : 'response', line: String(read.loc.start.line) },
        });
      });
    }

    function isStreamConsumer(call: TSESTree.CallExpression): boolean {
      const info = apiCalls().get(call);
      return typeof info === 'string' && info.startsWith('consumer:');
    }

    function isStatementInBlock(node: TSESTree.Node): boolean {
      return node.parent?.type === AST_NODE_TYPES.BlockStatement || node.parent?.type === AST_NODE_TYPES.Program;
    }

    /** A name free at `at` and not used anywhere in its function (the loop body may declare one later). */
    function freeName(base: string, at: TSESTree.Node): string {
      const scope = sourceCode.getScope(at);
      let fn: TSESTree.Node = at;
      while (fn.parent && !isFunctionNode(fn)) fn = fn.parent;
      const text = sourceCode.getText(fn);
      let name = base;
      for (let i = 2; ASTUtils.findVariable(scope, name) || new RegExp(`\\b${name}\\b`).test(text); i++) name = `${base}${i}`;
      return name;
    }

    // ---- files, HTTP clients, upload and body parsers ----

    function checkApiCall(call: TSESTree.CallExpression, info: string): void {
      const [first, second] = call.arguments;
      const read = describeExpression(sourceCode, call, { bare: true });
      if (info === 'readFile') {
        if (first && reads.derivesFromRequest(first)) context.report({ node: call, messageId: 'requestPathRead', data: { read } });
      } else if (info.startsWith('consumer:')) {
        checkConsumer(call, info.slice('consumer:'.length));
      } else if (info === 'axios') {
        checkAxios(call, first, second, null);
      } else if (info === 'axiosCreate') {
        checkAxiosInstance(call);
      } else if (info === 'upload') {
        const config = first?.type === AST_NODE_TYPES.ObjectExpression ? first : null;
        if (!config || !hasProperty(config, 'limits')) {
          context.report({ node: call, messageId: 'uploadWithoutLimits', data: { read } });
          return;
        }
        // `limits: { files: 1 }` caps how many, not how big: multer and busboy take `fileSize`.
        const limits = propertyValue(config, 'limits');
        if (limits?.type === AST_NODE_TYPES.ObjectExpression && !hasProperty(limits, 'fileSize')) {
          context.report({ node: limits, messageId: 'uploadWithoutFileSize', data: { read } });
        }
      } else if (info === 'bodyParser') {
        const config = first?.type === AST_NODE_TYPES.ObjectExpression ? first : null;
        const limit = config && propertyValue(config, 'limit');
        const value = limit && ASTUtils.getStaticValue(limit, sourceCode.getScope(limit));
        if (value && (value.value === Infinity || value.value === 'Infinity' || value.value === 'infinity')) {
          context.report({ node: limit, messageId: 'bodyParserWithoutLimit', data: { read } });
        }
      }
    }

    /**
     * `const api = axios.create({ baseURL })`: its requests (`api.get(url)`, `api(url)`) carry the
     * instance's defaults, so a `maxContentLength` there bounds them all, and its absence none.
     */
    function checkAxiosInstance(create: TSESTree.CallExpression): void {
      const declarator = create.parent;
      if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== create || declarator.id.type !== AST_NODE_TYPES.Identifier) return;
      const [defaults] = create.arguments;
      const instance = defaults?.type === AST_NODE_TYPES.ObjectExpression ? defaults : null;
      if (defaults && !instance) return; // defaults built elsewhere may set the limit
      if (instance && (hasProperty(instance, 'maxContentLength') || isStreamResponse(instance))) {
        const limit = propertyValue(instance, 'maxContentLength');
        const value = limit && ASTUtils.getStaticValue(limit, sourceCode.getScope(limit))?.value;
        if (value !== -1 && value !== Infinity) return;
      }
      const base = instance && propertyValue(instance, 'baseURL');
      if (base && !reads.isUntrustedUrl(base)) return; // a constant base the program trusts (allowedOrigins)
      const variable = findVariable(sourceCode, declarator.id);
      for (const reference of variable?.references ?? []) {
        if (reference.init) continue;
        const identifier = reference.identifier;
        // `api.defaults.maxContentLength = …` sets the limit after the fact.
        if (identifier.parent?.type === AST_NODE_TYPES.MemberExpression && memberName(identifier.parent) === 'defaults') return;
      }
      for (const reference of variable?.references ?? []) {
        const use = useOf(reference.identifier);
        const call = use.type === 'method' && AXIOS_METHODS.has(use.name) ? use.call : use.type === 'called' ? (reference.identifier.parent as TSESTree.CallExpression) : null;
        if (call?.type === AST_NODE_TYPES.CallExpression) checkAxios(call, call.arguments[0], call.arguments[1], { defaults: instance, create });
      }
    }

    /** `axios.get(url)`, `axios(url)`, `axios({ url })`: a URL the program does not choose, and no `maxContentLength`. */
    function checkAxios(
      call: TSESTree.CallExpression,
      first: TSESTree.CallExpressionArgument | undefined,
      second: TSESTree.CallExpressionArgument | undefined,
      instance: { defaults: TSESTree.ObjectExpression | null; create: TSESTree.CallExpression } | null,
    ): void {
      const configOnly = first?.type === AST_NODE_TYPES.ObjectExpression;
      const url = configOnly ? propertyValue(first, 'url') : first;
      if (!url || !reads.isUntrustedUrl(url)) return;
      const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
      const method = callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : '';
      // `axios.post(url, data, config)` carries its config third.
      const configArgument = configOnly ? first : ['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'].includes(method) ? call.arguments[2] : second;
      const config = configArgument?.type === AST_NODE_TYPES.ObjectExpression ? configArgument : null;
      const limit = config && propertyValue(config, 'maxContentLength');
      const limitValue = limit && ASTUtils.getStaticValue(limit, sourceCode.getScope(limit))?.value;
      if (limit && (limitValue === -1 || limitValue === Infinity)) {
        // axios reads `-1` as "no limit".
        context.report({
          node: call,
          messageId: 'axiosWithoutLimit',
          data: { read: describeExpression(sourceCode, call, { bare: true }) },
          suggest: [{ messageId: 'addMaxContentLength', data: { max: String(maxBytes) }, fix: (fixer) => fixer.replaceText(limit, String(maxBytes)) }],
        });
        return;
      }
      if (config && (hasProperty(config, 'maxContentLength') || isStreamResponse(config))) return;
      if (configArgument && !config) return; // a config built elsewhere may set the limit
      const suggest: TSESLint.SuggestionReportDescriptor<MessageId>[] = [];
      const property = `maxContentLength: ${maxBytes}`;
      if (instance) {
        // The instance's defaults: one edit bounds every request it makes.
        const { defaults, create } = instance;
        const last = defaults?.properties[defaults.properties.length - 1];
        suggest.push({
          messageId: 'addMaxContentLength',
          data: { max: String(maxBytes) },
          fix: (fixer) =>
            defaults
              ? last
                ? fixer.insertTextAfter(last, `, ${property}`)
                : fixer.replaceText(defaults, `{ ${property} }`)
              : fixer.replaceTextRange([create.callee.range[1], create.range[1]], `({ ${property} })`),
        });
      } else if (config) {
        const last = config.properties[config.properties.length - 1];
        suggest.push({
          messageId: 'addMaxContentLength',
          data: { max: String(maxBytes) },
          fix: (fixer) => (last ? fixer.insertTextAfter(last, `, ${property}`) : fixer.replaceText(config, `{ ${property} }`)),
        });
      } else if (!configOnly && !['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'].includes(method) && call.arguments.length === 1 && first) {
        suggest.push({
          messageId: 'addMaxContentLength',
          data: { max: String(maxBytes) },
          fix: (fixer) => fixer.insertTextAfter(first, `, { ${property} }`),
        });
      }
      context.report({ node: call, messageId: 'axiosWithoutLimit', data: { read: describeExpression(sourceCode, call, { bare: true }) }, suggest });
    }

    /** `responseType: 'stream'` hands the body over as a stream; reading it is judged where that happens. */
    function isStreamResponse(config: TSESTree.ObjectExpression): boolean {
      const value = propertyValue(config, 'responseType');
      return value?.type === AST_NODE_TYPES.Literal && value.value === 'stream';
    }

    function propertyValue(object: TSESTree.ObjectExpression, name: string): TSESTree.Expression | null {
      for (const property of object.properties) {
        if (property.type === AST_NODE_TYPES.Property && !property.computed && ASTUtils.getPropertyName(property) === name) {
          return property.value as TSESTree.Expression;
        }
      }
      return null;
    }

    function hasProperty(object: TSESTree.ObjectExpression, name: string): boolean {
      // A spread may carry it: give the benefit of the doubt.
      return propertyValue(object, name) !== null || object.properties.some((property) => property.type === AST_NODE_TYPES.SpreadElement);
    }

    return {
      CallExpression(call) {
        const info = apiCalls().get(call);
        if (typeof info === 'string') {
          checkApiCall(call, info);
          return;
        }
        const callee = skipTypeWrappers(call.callee as TSESTree.Expression);
        if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
          const method = callee.property.name;
          if (Object.hasOwn(WHOLE_BODY_METHODS, method)) checkBodyRead(call, callee, method);
          else if (method === 'toArray') checkToArray(call, callee);
          else if (method === 'on' || method === 'addListener') checkDataListener(call, callee);
        } else if (callee.type === AST_NODE_TYPES.Identifier && (options.readFunctions ?? []).includes(callee.name)) {
          checkConsumer(call, callee.name);
        }
      },
      'CallExpression:exit': checkHelperRead,
      ForOfStatement: checkForAwait,
      [`FunctionDeclaration[id.name="${BOUNDED_READ_NAME}"]`]() {
        helperInserted = true;
      },
    };
  },
});

let maps: TraceMaps | undefined;

/** The modules the rule follows through imports and requires, marked with what each call is. */
function traceMaps(): TraceMaps {
  if (maps) return maps;
  const modules: TraceMaps['modules'] = {};
  const at = (module: string, path: string[], info: string) => {
    let map = (modules[module] ??= {});
    for (const name of path) map = (map[name] ??= {}) as typeof map;
    map[CALL] ??= info;
  };
  for (const module of FILE_READS.modules) {
    for (const fn of FILE_READS.functions) {
      at(module, [fn], 'readFile');
      at(module, ['promises', fn], 'readFile');
    }
  }
  for (const module of STREAM_CONSUMER_MODULES) for (const fn of Object.keys(STREAM_CONSUMERS)) at(module, [fn], `consumer:${fn}`);
  for (const path of [[], ['default'], ['get'], ['request'], ['post'], ['put'], ['patch'], ['delete'], ['head'], ['options'], ['default', 'get'], ['default', 'post'], ['default', 'request']]) {
    at('axios', path, 'axios');
  }
  at('axios', ['create'], 'axiosCreate');
  at('axios', ['default', 'create'], 'axiosCreate');
  for (const module of UPLOAD_PARSERS) {
    at(module, [], 'upload');
    at(module, ['default'], 'upload');
  }
  for (const parser of BODY_PARSERS) {
    for (const fn of parser.functions) {
      at(parser.module, [fn], 'bodyParser');
      at(parser.module, ['default', fn], 'bodyParser');
    }
  }
  maps = { modules, globals: {} };
  return maps;
}

