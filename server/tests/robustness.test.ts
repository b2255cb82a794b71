/** Bad input over a real stdio connection: LSP errors, never a crash; skipped files said once. */
import * as assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  ErrorCodes,
  ExecuteCommandRequest,
  MessageType,
  ResponseError,
} from 'vscode-languageserver/node';
import { TestClient } from './helpers/lspClient';
import { DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';

describe('language server: robustness (stdio)', function () {
  this.timeout(120_000);
  let p: TempProject;
  let client: TestClient;

  before(async () => {
    p = tempProject({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS });
    client = await TestClient.start({ folders: [p.dir], settings: { debounceMs: 0, maxFileSize: 10_000 } });
  });

  after(async () => {
    await client?.dispose();
    p?.remove();
  });

  async function rejection(request: Promise<unknown>): Promise<ResponseError<unknown>> {
    try {
      await request;
    } catch (error) {
      assert.ok(error instanceof ResponseError, String(error));
      return error;
    }
    assert.fail('the request succeeded');
  }

  /** The server still answers: open a file with a known problem and get its diagnostic. */
  async function assertServing(): Promise<void> {
    const uri = client.uri(p.path('src/load.ts'));
    client.close(uri);
    const published = client.nextDiagnostics(uri, (d) => d.diagnostics.length > 0);
    client.open(p.path('src/load.ts'), DROPPED_FETCH_TS);
    assert.deepEqual((await published).diagnostics.map((d) => d.code), [RULE]);
  }

  it('answers requests about unknown documents and invalid params with InvalidParams', async () => {
    const unknown = client.uri(p.path('src/never-opened.ts'));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    let error = await rejection(client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: unknown }, range, context: { diagnostics: [] } }));
    assert.equal(error.code, ErrorCodes.InvalidParams);
    assert.match(error.message, /unknown document .*never-opened\.ts: it is not open/u);

    client.open(p.path('src/load.ts'), DROPPED_FETCH_TS);
    error = await rejection(client.connection.sendRequest(CodeActionRequest.method, { textDocument: { uri: client.uri(p.path('src/load.ts')) }, context: {} }));
    assert.equal(error.code, ErrorCodes.InvalidParams);
    error = await rejection(client.connection.sendRequest(CodeActionRequest.method, {}));
    assert.equal(error.code, ErrorCodes.InvalidParams);
    error = await rejection(client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.noSuchCommand' }));
    assert.equal(error.code, ErrorCodes.InvalidParams);
    error = await rejection(client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.fixAll', arguments: [42] }));
    assert.equal(error.code, ErrorCodes.InvalidParams);
    error = await rejection(client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.showDocumentation', arguments: ['file:///etc/passwd'] }));
    assert.equal(error.code, ErrorCodes.InvalidParams, 'only web documentation links are opened');
    error = await rejection(client.connection.sendRequest('asyncguard/noSuchMethod', {}));
    assert.equal(error.code, ErrorCodes.MethodNotFound);
    await assertServing();
  });

  it('survives notifications for documents it never saw and out-of-order ones', async () => {
    const ghost = client.uri(p.path('src/ghost.ts'));
    void client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: ghost, version: 7 }, contentChanges: [{ text: 'x' }] });
    void client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: ghost } });
    void client.connection.sendNotification(DidChangeTextDocumentNotification.method, { textDocument: null, contentChanges: null });
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: 'not an array' });
    void client.connection.sendNotification('workspace/didChangeConfiguration', null);
    await assertServing();
    assert.equal(client.server.exitCode, null);
  });

  it('survives bytes that are not JSON-RPC at all', async () => {
    const garbage = '{"this is": not json';
    client.server.stdin.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    const notRpc = JSON.stringify({ hello: 'world' });
    client.server.stdin.write(`Content-Length: ${Buffer.byteLength(notRpc)}\r\n\r\n${notRpc}`);
    await assertServing();
    assert.equal(client.server.exitCode, null);
  });

  it('skips a file over the size limit and a minified one, saying so once each', async () => {
    const large = `${DROPPED_FETCH_TS}${'// padding to push the file over the limit\n'.repeat(250)}`;
    const minified = `export async function load(u){fetch(u)}${';var a=1'.repeat(1_000)}\n`;
    for (const [name, text, reason] of [
      ['src/large.ts', large, /asyncguard skipped large\.ts: it is 10\.8 kB, over the asyncguard\.maxFileSize limit of 10\.0 kB\./u],
      ['src/bundle.js', minified, /asyncguard skipped bundle\.js: it looks minified\./u],
    ] as const) {
      const uri = client.uri(p.path(name));
      const told = client.messages.next((m) => m.type === MessageType.Info && reason.test(m.message), 30_000, `the skip message for ${name}`);
      const published = client.nextDiagnostics(uri);
      client.open(p.path(name), text);
      assert.deepEqual((await published).diagnostics, []);
      await told;
      const again = client.nextDiagnostics(uri);
      client.replace(uri, 'load', 'loader');
      assert.deepEqual((await again).diagnostics, []);
      assert.equal(client.messages.received.filter((m) => reason.test(m.message)).length, 1, 'said once, not per keystroke');
      client.close(uri);
    }
  });

  it('lints an untitled buffer by its language, without a file on disk', async () => {
    const uri = 'untitled:Untitled-1';
    const published = client.nextDiagnostics(uri);
    client.documents.set(uri, (await import('vscode-languageserver-textdocument')).TextDocument.create(uri, 'typescript', 1, DROPPED_FETCH_TS));
    void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: DROPPED_FETCH_TS } });
    assert.deepEqual((await published).diagnostics.map((d) => d.code), [RULE]);
  });

  it('shuts down and exits with no process left behind', async () => {
    assert.equal(await client.stop(), 0, client.stderr);
    assert.equal(client.server.exitCode, 0);
  });
});
