/** The language server, driven the way an editor drives it: a real LSP connection over stdio. */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { DIST, ensureBundled } from './helpers/build';
import { DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';

/** Collects publishDiagnostics and lets a test wait for the next one matching a predicate. */
class DiagnosticsInbox {
  private readonly waiters: { match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  receive(params: PublishDiagnosticsParams): void {
    const index = this.waiters.findIndex((w) => w.match(params));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(params);
  }

  next(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiters.push({ match: (p) => p.uri === uri && match(p), resolve }));
  }
}

describe('language server (stdio)', function () {
  this.timeout(60_000);
  let p: TempProject;
  let server: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let stderr = '';
  const inbox = new DiagnosticsInbox();
  const uriOf = (relative: string) => pathToFileURL(p.path(relative)).href;

  function open(relative: string, text: string, languageId = 'typescript'): void {
    void connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriOf(relative), languageId, version: 1, text },
    });
  }

  before(() => {
    ensureBundled();
    p = tempProject({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS, 'src/broken.ts': 'export const = ;\n' });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { cwd: p.dir });
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => inbox.receive(params));
    connection.listen();
  });

  after(() => {
    connection?.dispose();
    if (server && server.exitCode === null) server.kill();
    p?.remove();
  });

  it('answers initialize with its name and text document sync', async () => {
    const result: InitializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(p.dir).href,
      workspaceFolders: [{ uri: pathToFileURL(p.dir).href, name: 'temp' }],
      capabilities: {},
    });
    await connection.sendNotification(InitializedNotification.type, {});
    assert.equal(result.serverInfo?.name, 'asyncguard');
    assert.ok(result.capabilities.textDocumentSync, 'textDocumentSync capability');
  });

  it('publishes a parse error for an opened document that does not parse', async () => {
    const published = inbox.next(uriOf('src/broken.ts'));
    open('src/broken.ts', 'export const = ;\n');
    const { diagnostics } = await published;
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostics[0]!.source, 'asyncguard');
    assert.match(String(diagnostics[0]!.message), /Parsing error/u);
  });

  it('publishes rule diagnostics with code, doc link and source (needs the no-unawaited-promise rule)', async () => {
    const published = inbox.next(uriOf('src/load.ts'));
    open('src/load.ts', DROPPED_FETCH_TS);
    const { diagnostics, version } = await published;
    assert.equal(version, 1);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic!.code, RULE);
    assert.match(diagnostic!.codeDescription?.href ?? '', /no-unawaited-promise/u);
    assert.equal(diagnostic!.source, 'asyncguard');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
    // `fetch(url)` on line 2 (0-based 1), column 3 (0-based 2).
    assert.deepEqual(diagnostic!.range.start, { line: 1, character: 2 });
    assert.deepEqual(diagnostic!.range.end, { line: 1, character: 12 });
  });

  it('re-lints on change and clears diagnostics once the code is fixed', async () => {
    const published = inbox.next(uriOf('src/load.ts'), (params) => params.version === 2);
    void connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf('src/load.ts'), version: 2 },
      contentChanges: [{ text: DROPPED_FETCH_TS.replace('fetch(url)', "void url; await (await fetch('https://config.example.com/')).text()") }],
    });
    assert.deepEqual((await published).diagnostics, []);
  });

  it('clears diagnostics on close', async () => {
    const published = inbox.next(uriOf('src/broken.ts'));
    void connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf('src/broken.ts') } });
    assert.deepEqual((await published).diagnostics, []);
  });

  it('shuts down and exits cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    await connection.sendRequest(ShutdownRequest.type);
    void connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
  });
});
