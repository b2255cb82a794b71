/**
 * A test LSP client: spawns the bundled server (dist/server.js) over stdio and drives it through a
 * real JSON-RPC connection, answering the server's requests the way an editor does (configuration,
 * capability registration, progress creation, applyEdit) and recording what it is told.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ProgressType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DIST, ensureBundled } from './build';

/** Capabilities much like VS Code's, in push mode unless `pull` is asked for. */
export function editorCapabilities({ pull = false } = {}): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      applyEdit: true,
      workspaceEdit: { documentChanges: true },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      workspaceFolders: true,
      ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    textDocument: {
      synchronization: { didSave: true, dynamicRegistration: false },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
      ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
    window: { workDoneProgress: true, showDocument: { support: true }, showMessage: {} },
  };
}

type Waiter<T> = { match: (value: T) => boolean; resolve: (value: T) => void };

/** Values that arrive over time; `next` waits for the first (new or already received) one matching. */
class Inbox<T> {
  readonly received: T[] = [];
  private waiters: Waiter<T>[] = [];

  push(value: T): void {
    this.received.push(value);
    const index = this.waiters.findIndex((w) => w.match(value));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(value);
  }

  /** The next value matching that arrives after this call. */
  next(match: (value: T) => boolean, timeoutMs = 60_000, what = 'a message'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      this.waiters.push({ match, resolve: (value) => (clearTimeout(timer), resolve(value)) });
    });
  }
}

export interface StartOptions {
  /** Workspace folders (directories). */
  folders: string[];
  pull?: boolean;
  initializationOptions?: unknown;
  /** The `asyncguard` settings section returned for each configuration request (may be changed later). */
  settings?: Record<string, unknown>;
  /** Answer `workspace/configuration` at all (false: a client without the capability). */
  configuration?: boolean;
  cwd?: string;
  /** The server bundle to run; default dist/server.js. */
  serverPath?: string;
}

export class TestClient {
  readonly diagnostics = new Inbox<PublishDiagnosticsParams>();
  readonly messages = new Inbox<ShowMessageParams>();
  readonly logs: string[] = [];
  readonly progress = new Inbox<{ token: string | number; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }>();
  readonly shownDocuments: string[] = [];
  readonly configurationRequests: { scopeUri?: string; section?: string }[] = [];
  readonly registrations: string[] = [];
  /** `asyncguard/status` notifications, in order. */
  readonly statuses = new Inbox<{ state: string; message?: string }>();
  /** How many times the server asked for pulled diagnostics to be refreshed. */
  refreshes = 0;
  /** The client's view of each open document, kept in sync by edits the server applies. */
  readonly documents = new Map<string, TextDocument>();
  settings: Record<string, unknown>;
  initializeResult!: InitializeResult;
  stderr = '';

  private constructor(
    readonly server: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions): Promise<TestClient> {
    ensureBundled();
    const server = spawn(process.execPath, [options.serverPath ?? path.join(DIST, 'server.js'), '--stdio'], { cwd: options.cwd ?? options.folders[0] });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const client = new TestClient(server, connection, options.settings ?? {});
    server.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk));
    client.listen();
    const capabilities = editorCapabilities({ pull: options.pull });
    if (options.configuration === false) delete capabilities.workspace!.configuration;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(options.folders[0]!).href,
      workspaceFolders: options.folders.map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private listen(): void {
    const { connection } = this;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.diagnostics.push(params));
    connection.onNotification(ShowMessageNotification.type, (params) => this.messages.push(params));
    // vscode-languageserver sends window.show*Message as a request (it may carry actions).
    connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params);
      return null;
    });
    connection.onNotification(LogMessageNotification.method, (params: LogMessageParams) => void this.logs.push(params.message));
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push(item);
        return item.section === 'asyncguard' ? this.settings : null;
      }),
    );
    connection.onNotification('asyncguard/status', (params: { state: string; message?: string }) => this.statuses.push(params));
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations.map((r) => r.method));
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => this.watchProgress(params.token));
    connection.onRequest('workspace/diagnostic/refresh', () => void (this.refreshes += 1));
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params.uri);
      return { success: true };
    });
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => ({ applied: this.apply(params.edit) }));
    connection.listen();
  }

  /** Records `$/progress` for a token (vscode-jsonrpc delivers progress only to a handler per token). */
  watchProgress(token: string | number): void {
    this.connection.onProgress(progressType, token, (value) => this.progress.push({ token, value }));
  }

  uri(file: string): string {
    return pathToFileURL(file).href;
  }

  open(file: string, text: string, languageId = languageOf(file)): string {
    const uri = this.uri(file);
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends incremental changes (ranges in the current text) and returns the new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const current = this.document(uri);
    const next = TextDocument.update(current, changes, current.version + 1);
    this.documents.set(uri, next);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: next.version }, contentChanges: changes });
    return next.version;
  }

  /** Replaces the first occurrence of `search` with an incremental change. */
  replace(uri: string, search: string, replacement: string): number {
    const document = this.document(uri);
    const offset = document.getText().indexOf(search);
    if (offset < 0) throw new Error(`${search} not in ${uri}`);
    return this.change(uri, [{ range: { start: document.positionAt(offset), end: document.positionAt(offset + search.length) }, text: replacement }]);
  }

  save(uri: string): void {
    void this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  close(uri: string): void {
    this.documents.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  /** The next publishDiagnostics for `uri` (optionally for a version, or matching a predicate). */
  nextDiagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.next((p) => p.uri === uri && match(p), timeoutMs, `diagnostics for ${uri}`);
  }

  /** The last diagnostics published for `uri`. */
  latestDiagnostics(uri: string): PublishDiagnosticsParams {
    const latest = this.diagnostics.received.findLast((p) => p.uri === uri);
    if (!latest) throw new Error(`no diagnostics were published for ${uri}`);
    return latest;
  }

  /** Applies a workspace edit to the client's documents, then tells the server as an editor would. */
  apply(edit: WorkspaceEdit): boolean {
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) return false;
      const current = this.documents.get(change.textDocument.uri);
      if (!current || (change.textDocument.version !== null && change.textDocument.version !== current.version)) return false;
      const edits = change.edits.map((e) => ('newText' in e ? e : null)).filter((e) => e !== null);
      const text = TextDocument.applyEdits(current, edits);
      this.change(change.textDocument.uri, [{ text }]);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const current = this.documents.get(uri);
      if (!current) return false;
      this.change(uri, [{ text: TextDocument.applyEdits(current, edits) }]);
    }
    return true;
  }

  /** Shutdown and exit; resolves with the exit code (the server must end on its own). */
  async stop(): Promise<number | null> {
    if (this.server.exitCode !== null) return this.server.exitCode;
    const exited = new Promise<number | null>((resolve) => this.server.on('exit', resolve));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const timer = setTimeout(() => this.server.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }

  /** For `after` hooks: never leave a server behind, even when a test failed midway. */
  async dispose(): Promise<void> {
    try {
      if (this.server.exitCode === null) await Promise.race([this.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    } finally {
      if (this.server.exitCode === null) this.server.kill('SIGKILL');
    }
  }
}

export const progressType = new ProgressType<WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd>();

function languageOf(file: string): string {
  if (file.endsWith('.tsx')) return 'typescriptreact';
  if (file.endsWith('.jsx')) return 'javascriptreact';
  return /\.[cm]?ts$/u.test(file) ? 'typescript' : 'javascript';
}
