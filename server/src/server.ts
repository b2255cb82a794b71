/**
 * The language server: LSP wiring only, the one module that touches the connection. What to lint
 * with comes from `engineRegistry`, when from `lintQueue`, settings from `settings`, diagnostics and
 * code actions are computed by `diagnostics` and `codeActions` from results cached here.
 * Start with `node dist/server.js --stdio` or `--node-ipc`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  ExecuteCommandRequest,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type Diagnostic,
  type WorkDoneProgressReporter,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Linter } from 'eslint';
import { codeActionsFor, COMMANDS, FIX_ALL_KIND, fixAllEdit } from './codeActions';
import { ESLINT_CONFIG_FILES } from './configSource';
import { toDiagnostics, type ConversionContext } from './diagnostics';
import { lintDocument, type LintOutcome } from './documentLinter';
import { EngineRegistry } from './engineRegistry';
import { trapProcessExit } from './exitTrap';
import { IdleTrigger, LintQueue } from './lintQueue';
import { product } from './product';
import { SettingsStore, type Settings } from './settings';
import { filePathOf, syntheticPathOf } from './uri';
import { workspaceFiles } from './workspaceFiles';

/** How long the editor must be quiet before other open files are re-checked after a type change. */
const RECHECK_IDLE_MS = 1_000;

/** What the server knows about a document's last lint. */
interface CachedLint {
  version: number;
  /** Changes whenever the diagnostics may have: the pull model's `resultId`. */
  resultId: string;
  diagnostics: Diagnostic[];
  /** The messages code actions are computed from; empty unless the lint succeeded on parseable text. */
  messages: Linter.LintMessage[];
  conversion: ConversionContext;
  /** The diagnostics of the last lint that parsed, kept through syntax errors mid-typing. */
  lastGood: Diagnostic[];
  typed: boolean;
  /** An untyped first pass shown while the folder's first typed lint builds its program; replaced by it. */
  provisional?: boolean;
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const engines = new EngineRegistry((message) => connection.console.info(message));
const results = new Map<string, CachedLint>();
const inflight = new Map<string, { version: number; promise: Promise<CachedLint | 'stale' | undefined> }>();
/** Files the workspace lint published while closed; cleared when they open (pull mode would duplicate them). */
const pushedClosed = new Set<string>();
/** Errors and skips are told once, not on every keystroke. */
const told = new Set<string>();
let lintCounter = 0;

let trusted = true;
let folders: string[] = [];
let fallbackSettings: unknown;
const client = { configuration: false, pull: false, refresh: false, workDoneProgress: false, showDocument: false, watchedFiles: false, configChange: false, workspaceFolders: false };

const settings = new SettingsStore(async (scopeUri) => {
  if (!client.configuration) return fallbackSettings;
  return connection.workspace.getConfiguration({ scopeUri, section: 'asyncguard' });
});
const queue = new LintQueue((uri) => void validateAndPublish(uri, 'change'));
const recheck = new IdleTrigger(RECHECK_IDLE_MS, () => void recheckOpenDocuments());

// The server must outlive bugs in the code it hosts: report, keep serving.
process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${describe(error)}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${describe(reason)}`));
trapProcessExit(__filename, (error) => connection.console.error(`${error.message}\n${error.stack ?? ''}`));

connection.onInitialize((params) => {
  const options = isRecord(params.initializationOptions) ? params.initializationOptions : {};
  // Generic clients know nothing of workspace trust: trusted unless they say otherwise.
  trusted = options.trusted !== false;
  fallbackSettings = options.settings;
  readClientCapabilities(params.capabilities);
  const roots = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders = roots.flatMap((uri) => filePathOf(uri) ?? []);
  if (folders.length === 0 && params.rootPath) folders = [params.rootPath];
  engines.setFolders(folders);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: Object.values(COMMANDS) },
      ...(client.pull ? { diagnosticProvider: { identifier: product.name, interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: product.name, version: product.version },
  };
});

function readClientCapabilities(capabilities: ClientCapabilities): void {
  client.configuration = capabilities.workspace?.configuration === true;
  client.pull = capabilities.textDocument?.diagnostic !== undefined;
  client.refresh = capabilities.workspace?.diagnostics?.refreshSupport === true;
  client.workDoneProgress = capabilities.window?.workDoneProgress === true;
  client.showDocument = capabilities.window?.showDocument?.support === true;
  client.watchedFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  client.configChange = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  client.workspaceFolders = capabilities.workspace?.workspaceFolders === true;
}

connection.onInitialized(() => {
  trace(`trusted: ${trusted}; diagnostics: ${client.pull ? 'pull' : 'push'}; folders: ${folders.join(', ') || '(none)'}`);
  if (client.configChange) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'asyncguard' });
  if (client.watchedFiles) {
    const watchers = [`**/{${ESLINT_CONFIG_FILES.join(',')}}`, '**/tsconfig*.json', '**/package.json'].map((globPattern) => ({ globPattern }));
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
  }
  if (client.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.flatMap((folder) => filePathOf(folder.uri) ?? []));
      folders = [...folders.filter((folder) => !removed.has(folder)), ...event.added.flatMap((folder) => filePathOf(folder.uri) ?? [])];
      engines.setFolders(folders);
      revalidateOpenDocuments();
    });
  }
});

// ---- Document lifecycle -------------------------------------------------------------------------

const opened = new Set<string>();

documents.onDidOpen(({ document }) => {
  opened.add(document.uri);
  if (pushedClosed.delete(document.uri) && client.pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  if (!client.pull) void validateAndPublish(document.uri, 'open');
});

documents.onDidChangeContent(({ document }) => {
  if (client.pull) return; // The client pulls when it wants diagnostics.
  // The open event fires this too; the open handler has linted already.
  if (document.version === results.get(document.uri)?.version || inflight.get(document.uri)?.version === document.version) return;
  void settingsFor(document).then((current) => {
    if (current.run === 'onType') queue.schedule(document.uri, current.debounceMs);
  });
});

documents.onDidSave(({ document }) => {
  if (client.pull) {
    results.delete(document.uri);
    refreshPulledDiagnostics();
  } else {
    queue.cancel(document.uri);
    void validateAndPublish(document.uri, 'save');
  }
});

documents.onDidClose(({ document }) => {
  opened.delete(document.uri);
  status.forget(document.uri);
  queue.cancel(document.uri);
  results.delete(document.uri);
  inflight.delete(document.uri);
  settings.forget(document.uri);
  if (!client.pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

function settingsFor(document: TextDocument): Promise<Settings> {
  return settings.forDocument(document.uri);
}

// ---- Linting ------------------------------------------------------------------------------------

type LintReason = 'open' | 'change' | 'save' | 'recheck' | 'config';

/**
 * Lints the document's current version, once: concurrent callers for the same version share the
 * run. `stale` when a newer version arrived meanwhile; its results are never cached or published.
 */
function validate(uri: string, reason: LintReason, onFirstPass?: (entry: CachedLint) => void | Promise<void>): Promise<CachedLint | 'stale' | undefined> {
  const document = documents.get(uri);
  if (document === undefined) return Promise.resolve(undefined);
  const forced = reason === 'recheck' || reason === 'config';
  const running = inflight.get(uri);
  if (running?.version === document.version && !forced) return running.promise;
  // This version was linted already (e.g. on demand for a code action): its result stands.
  const cached = results.get(uri);
  if (cached?.version === document.version && !cached.provisional && !forced) return Promise.resolve(cached);
  const promise = (async () => {
    const current = await settingsFor(document);
    const request = { filePath: pathOf(document), text: document.getText(), settings: current, trusted };
    status.started();
    let outcome: LintOutcome = { kind: 'skipped', reason: '' };
    try {
      if (current.enable && onFirstPass && engines.isColdTyped(request.filePath, current, trusted)) {
        // The folder's first typed lint builds its TypeScript program (seconds): the untyped
        // findings show meanwhile, and the typed ones replace them.
        const quick = await lintDocument(engines, { ...request, settings: { ...current, typed: 'off' } });
        if (quick.kind === 'linted' && !quick.parseError && documents.get(uri)?.version === document.version) {
          const entry = cache(document, quick, current);
          entry.provisional = true;
          await onFirstPass(entry);
          // The typed lint next blocks the process for seconds, and the connection writes on a later
          // turn of the event loop: let the first pass (a notification, or a pull's answer) go out.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      if (current.enable) outcome = await lintDocument(engines, request);
      if (outcome.kind === 'linted') engines.markWarm(request.filePath, current, trusted);
    } finally {
      status.finished(uri, outcome);
    }
    if (documents.get(uri)?.version !== document.version) return 'stale' as const;
    const cached = cache(document, outcome, current);
    tell(uri, outcome);
    if (reason === 'change' && cached.typed) recheck.poke();
    return cached;
  })();
  inflight.set(uri, { version: document.version, promise });
  void promise.finally(() => {
    if (inflight.get(uri)?.promise === promise) inflight.delete(uri);
  });
  return promise;
}

async function validateAndPublish(uri: string, reason: LintReason): Promise<void> {
  try {
    const publishFirstPass = (entry: CachedLint) => connection.sendDiagnostics({ uri, version: entry.version, diagnostics: entry.diagnostics });
    const cached = await validate(uri, reason, reason === 'open' ? publishFirstPass : undefined);
    if (cached === undefined || cached === 'stale') return;
    await connection.sendDiagnostics({ uri, version: cached.version, diagnostics: cached.diagnostics });
  } catch (error) {
    connection.console.error(`linting ${uri} failed: ${describe(error)}`);
  }
}

function cache(document: TextDocument, outcome: LintOutcome, current: Settings): CachedLint {
  const previous = results.get(document.uri);
  const entry: CachedLint = {
    version: document.version,
    resultId: `${document.version}:${++lintCounter}`,
    diagnostics: [],
    messages: [],
    conversion: { uri: document.uri, rulesMeta: {}, settings: current },
    lastGood: [],
    typed: false,
  };
  if (outcome.kind === 'linted') {
    entry.conversion = { uri: document.uri, rulesMeta: outcome.rulesMeta, related: outcome.related, settings: current };
    entry.typed = outcome.typed;
    const diagnostics = toDiagnostics(outcome.messages, entry.conversion);
    if (outcome.parseError) {
      // Mid-typing: keep showing what the last parseable text had, beside the syntax error.
      entry.lastGood = previous?.lastGood ?? [];
      entry.diagnostics = [...entry.lastGood, ...diagnostics];
    } else {
      entry.messages = outcome.messages;
      entry.diagnostics = entry.lastGood = diagnostics;
    }
  } else if (outcome.kind === 'failed') {
    entry.diagnostics = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, message: outcome.message, source: product.name }];
  }
  results.set(document.uri, entry);
  return entry;
}

/** Skips and failures are told once per file and message; the log gets every failure's detail. */
function tell(uri: string, outcome: LintOutcome): void {
  if (outcome.kind === 'skipped' && outcome.reason !== '' && !told.has(`skip:${uri}`)) {
    told.add(`skip:${uri}`);
    connection.console.info(outcome.reason);
    void connection.window.showInformationMessage(outcome.reason);
  } else if (outcome.kind === 'failed') {
    connection.console.error(`${outcome.message}\n${outcome.detail}`);
    if (!told.has(`error:${outcome.summary}`)) {
      told.add(`error:${outcome.summary}`);
      void connection.window.showErrorMessage(outcome.summary);
    }
  } else if (outcome.kind === 'linted') {
    told.delete(`skip:${uri}`);
  }
}

function pathOf(document: TextDocument): string {
  return filePathOf(document.uri) ?? syntheticPathOf(document.uri, document.languageId, folders[0] ?? process.cwd());
}

/** Types changed in one file: the other open files may have new problems (or lost old ones). */
async function recheckOpenDocuments(): Promise<void> {
  if (client.pull) {
    for (const uri of opened) results.delete(uri);
    refreshPulledDiagnostics();
    return;
  }
  for (const document of documents.all()) {
    const before = results.get(document.uri);
    // A document whose own text changed since its last lint has that lint coming (or, in onSave mode, waits for a save).
    if (before?.version !== document.version) continue;
    const cached = await validate(document.uri, 'recheck').catch(() => undefined);
    if (cached === undefined || cached === 'stale') continue;
    if (JSON.stringify(before?.diagnostics) !== JSON.stringify(cached.diagnostics)) {
      await connection.sendDiagnostics({ uri: document.uri, version: cached.version, diagnostics: cached.diagnostics });
    }
  }
}

/** Settings, configuration files or folders changed: every open document is linted again. */
function revalidateOpenDocuments(): void {
  if (client.pull) {
    results.clear();
    refreshPulledDiagnostics();
    return;
  }
  for (const document of documents.all()) void validateAndPublish(document.uri, 'config');
}

function refreshPulledDiagnostics(): void {
  if (client.refresh) void connection.languages.diagnostics.refresh();
}

/**
 * `asyncguard/status` notifications for a status item: `linting` while any lint runs, then `error`
 * while an open document's last lint failed, else `idle`. Clients that do not know it ignore it.
 */
const status = (() => {
  let running = 0;
  const failures = new Map<string, string>();
  const send = () => {
    const [error] = failures.values();
    const state = running > 0 ? 'linting' : error !== undefined ? 'error' : 'idle';
    void connection.sendNotification('asyncguard/status', { state, ...(error !== undefined && running === 0 ? { message: error } : {}) });
  };
  return {
    started(): void {
      if (running++ === 0) send();
    },
    finished(uri: string, outcome: LintOutcome): void {
      if (outcome.kind === 'failed') failures.set(uri, outcome.summary);
      else failures.delete(uri);
      if (--running === 0) send();
    },
    forget(uri: string): void {
      if (failures.delete(uri) && running === 0) send();
    },
  };
})();

// ---- Pull diagnostics ---------------------------------------------------------------------------

connection.languages.diagnostics.on(async (params, token) => {
  const uri = params.textDocument?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri is required');
  const document = documents.get(uri);
  if (document === undefined) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  let cached = results.get(uri);
  const current = await settingsFor(document);
  if (cached === undefined || (cached.version !== document.version && current.run === 'onType')) {
    if (cached !== undefined) await delay(current.debounceMs); // A change: let the typing settle.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    // A first pull may be answered by the untyped first pass; the typed result then asks for a re-pull.
    let firstPass: (entry: CachedLint) => void = () => {};
    const provisional = new Promise<CachedLint>((resolve) => (firstPass = resolve));
    const final = cached === undefined ? validate(uri, 'open', firstPass) : validate(uri, 'change');
    const validated = await Promise.race([final, provisional]);
    if (validated !== 'stale' && validated?.provisional) void final.then(() => refreshPulledDiagnostics());
    if (validated === 'stale' || validated === undefined) {
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed while it was linted', { retriggerRequest: true });
    }
    cached = validated;
  }
  if (params.previousResultId === cached.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: cached.resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId: cached.resultId, items: cached.diagnostics };
});

connection.languages.diagnostics.onWorkspace((params) => {
  const previous = new Map(params.previousResultIds.map(({ uri, value }) => [uri, value]));
  const items: WorkspaceDocumentDiagnosticReport[] = [];
  for (const [uri, cached] of results) {
    if (opened.has(uri)) continue; // Open documents are pulled one by one.
    items.push(
      previous.get(uri) === cached.resultId
        ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: cached.resultId }
        : { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: cached.resultId, items: cached.diagnostics },
    );
  }
  return { items };
});

// ---- Code actions and commands ------------------------------------------------------------------

connection.onCodeAction(async (params, token) => {
  const document = requireDocument(params?.textDocument?.uri);
  if (!isRange(params.range)) throw new ResponseError(ErrorCodes.InvalidParams, 'range is required');
  let cached = results.get(document.uri);
  // Fixes are offsets into the text that was linted, so they come from a lint of the current text:
  // the cached one, or, when the text changed since (fix-on-save right after typing asks before the
  // debounced lint ran), one lint of this version, which the diagnostics then reuse.
  if (cached?.version !== document.version) {
    const validated = await validate(document.uri, 'change');
    if (validated === undefined || validated === 'stale' || token.isCancellationRequested) return [];
    cached = validated;
  }
  return codeActionsFor(document, cached.messages, cached.conversion, { range: params.range, only: params.context?.only });
});

connection.onRequest(ExecuteCommandRequest.type, async (params, token) => {
  const args = params?.arguments ?? [];
  switch (params?.command) {
    case COMMANDS.fixAll:
      return fixAllInFile(args[0]);
    case COMMANDS.lintWorkspace:
      // The client's own progress token when the request carried one (read here: the library's
      // onExecuteCommand deletes it from the params before a handler sees them).
      return lintWorkspace(token, params.workDoneToken === undefined ? undefined : connection.window.attachWorkDoneProgress(params.workDoneToken));
    case COMMANDS.showDocumentation:
      return showDocumentation(args[0]);
    default:
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${String(params?.command)}`);
  }
});

async function fixAllInFile(target: unknown): Promise<{ applied: boolean }> {
  const uri = typeof target === 'string' ? target : isRecord(target) ? target.uri : undefined;
  const document = requireDocument(uri);
  let cached = results.get(document.uri);
  if (cached?.version !== document.version) {
    const validated = await validate(document.uri, 'change');
    cached = validated === 'stale' ? undefined : validated;
  }
  const edit = cached === undefined ? undefined : fixAllEdit(document, cached.messages);
  if (edit === undefined) return { applied: false };
  const { applied } = await connection.workspace.applyEdit({ label: 'Fix all asyncguard problems', edit });
  return { applied };
}

async function showDocumentation(url: unknown): Promise<void> {
  if (typeof url !== 'string' || !/^https?:\/\//u.test(url)) throw new ResponseError(ErrorCodes.InvalidParams, 'a documentation URL is required');
  if (client.showDocument) await connection.window.showDocument({ uri: url, external: true });
  else void connection.window.showInformationMessage(`asyncguard documentation: ${url}`);
}

/** Lints every source file of every folder, publishing file by file; progress and cancellation through the client. */
async function lintWorkspace(
  token: CancellationToken,
  clientProgress: WorkDoneProgressReporter | undefined,
): Promise<{ files: number; problems: number; cancelled: boolean }> {
  // Else a progress the server asks the client for.
  const progress = clientProgress ?? (client.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined);
  const files = workspaceFiles(folders);
  progress?.begin('asyncguard: linting the workspace', 0, `0/${files.length} files`, true);
  const progressToken = progress !== undefined && 'token' in progress ? (progress as { token: CancellationToken }).token : undefined;
  const cancelled = () => token.isCancellationRequested || progressToken?.isCancellationRequested === true;
  let done = 0;
  let problems = 0;
  try {
    for (const file of files) {
      if (cancelled()) break;
      const uri = pathToFileURL(file).href;
      const open = documents.get(uri);
      if (open !== undefined) {
        const cached = await validate(uri, 'recheck');
        if (cached !== undefined && cached !== 'stale') {
          problems += cached.diagnostics.length;
          if (!client.pull) await connection.sendDiagnostics({ uri, version: cached.version, diagnostics: cached.diagnostics });
        }
      } else {
        problems += await lintClosedFile(uri, file);
      }
      done += 1;
      progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
      await new Promise((resolve) => setImmediate(resolve)); // Let edits and the cancel request in.
    }
  } finally {
    progress?.done();
  }
  if (client.pull) refreshPulledDiagnostics();
  return { files: done, problems, cancelled: done < files.length };
}

async function lintClosedFile(uri: string, file: string): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  const document = TextDocument.create(uri, languageOf(file), 0, text);
  const current = await settings.forDocument(uri);
  if (!current.enable) return 0;
  const outcome = await lintDocument(engines, { filePath: file, text, settings: current, trusted });
  const cached = outcome.kind === 'failed' || outcome.kind === 'linted' ? cache(document, outcome, current) : undefined;
  if (outcome.kind === 'failed') tell(uri, outcome);
  if (cached === undefined) return 0;
  if (opened.has(uri)) return cached.diagnostics.length; // Opened meanwhile: its own lint wins.
  pushedClosed.add(uri);
  await connection.sendDiagnostics({ uri, diagnostics: cached.diagnostics });
  return cached.diagnostics.length;
}

function languageOf(file: string): string {
  const extension = path.extname(file);
  if (extension === '.tsx') return 'typescriptreact';
  if (extension === '.jsx') return 'javascriptreact';
  return /\.[cm]?ts$/u.test(extension) ? 'typescript' : 'javascript';
}

// ---- Configuration changes ----------------------------------------------------------------------

connection.onDidChangeConfiguration((params) => {
  if (!client.configuration && isRecord(params?.settings) && 'asyncguard' in params.settings) fallbackSettings = params.settings.asyncguard;
  settings.invalidate();
  revalidateOpenDocuments();
});

connection.onDidChangeWatchedFiles((params) => {
  const configChanged = (params?.changes ?? []).some(({ uri }) => {
    const name = path.basename(filePathOf(uri) ?? uri);
    return ESLINT_CONFIG_FILES.includes(name) || /^tsconfig.*\.json$/u.test(name) || name === 'package.json';
  });
  if (!configChanged) return;
  trace('a configuration file changed: reloading');
  engines.reload();
  revalidateOpenDocuments();
});

connection.onShutdown(() => {
  queue.dispose();
  recheck.dispose();
});

// ---- Helpers ------------------------------------------------------------------------------------

function requireDocument(uri: unknown): TextDocument {
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri is required');
  const document = documents.get(uri);
  if (document === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `unknown document ${uri}: it is not open`);
  return document;
}

function isRange(value: unknown): value is { start: { line: number; character: number }; end: { line: number; character: number } } {
  const isPosition = (p: unknown) => isRecord(p) && typeof p.line === 'number' && typeof p.character === 'number';
  return isRecord(value) && isPosition(value.start) && isPosition(value.end);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function trace(message: string): void {
  connection.console.info(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

documents.listen(connection);
connection.listen();
