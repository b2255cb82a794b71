/** Pull diagnostics and the workspace lint command, through a real stdio connection. */
import * as assert from 'node:assert/strict';
import {
  CancellationTokenSource,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  WorkspaceDiagnosticRequest,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { TestClient } from './helpers/lspClient';
import { AWAITED_FETCH_TS, DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';

describe('language server: pull diagnostics (stdio)', function () {
  this.timeout(120_000);
  let p: TempProject;
  let client: TestClient;

  before(async () => {
    p = tempProject({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS, 'src/closed.ts': DROPPED_FETCH_TS });
    client = await TestClient.start({ folders: [p.dir], pull: true, settings: { debounceMs: 0 } });
  });

  after(async () => {
    await client?.dispose();
    p?.remove();
  });

  function pull(uri: string, previousResultId?: string) {
    return client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId });
  }

  it('declares a diagnostic provider and publishes nothing itself', async () => {
    assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { identifier: 'asyncguard', interFileDependencies: true, workspaceDiagnostics: true });
    const uri = client.open(p.path('src/load.ts'), DROPPED_FETCH_TS);
    const report = (await pull(uri)) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
    assert.deepEqual(report.items.map((d) => [d.code, d.source, d.range.start]), [[RULE, 'asyncguard', { line: 1, character: 2 }]]);
    assert.equal(client.diagnostics.received.length, 0, 'a pull client is not pushed to');
    // That first answer came from the untyped first pass (the typed program was still building):
    // the typed result asks the client to pull again, and the next pull has a new result.
    for (let i = 0; i < 600 && client.refreshes === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(client.refreshes, 1);
    const typed = (await pull(uri, report.resultId)) as FullDocumentDiagnosticReport;
    assert.equal(typed.kind, DocumentDiagnosticReportKind.Full);
    assert.deepEqual(typed.items.map((d) => d.code), [RULE]);
  });

  it('answers unchanged for the same result, and a full report after a change', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    const first = (await pull(uri)) as FullDocumentDiagnosticReport;
    assert.deepEqual(await pull(uri, first.resultId), { kind: DocumentDiagnosticReportKind.Unchanged, resultId: first.resultId });
    client.change(uri, [{ text: AWAITED_FETCH_TS }]);
    const changed = (await pull(uri, first.resultId)) as FullDocumentDiagnosticReport;
    assert.equal(changed.kind, DocumentDiagnosticReportKind.Full);
    assert.notEqual(changed.resultId, first.resultId);
    assert.deepEqual(changed.items, []);
  });

  it('asks the client to pull again when settings change', async () => {
    const before = client.refreshes;
    client.settings = { debounceMs: 0, rules: { [RULE]: 'off' } };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const uri = client.uri(p.path('src/load.ts'));
    client.change(uri, [{ text: DROPPED_FETCH_TS }]);
    for (let i = 0; i < 100 && client.refreshes === before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(client.refreshes, before + 1);
    assert.deepEqual(((await pull(uri)) as FullDocumentDiagnosticReport).items, [], 'the rule is off now');
    client.settings = { debounceMs: 0 };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  it('reports closed files linted by the workspace lint in workspace/diagnostic', async () => {
    const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.lintWorkspace' });
    assert.deepEqual(result, { files: 2, problems: 2, cancelled: false });
    const { items } = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    assert.deepEqual(
      items.map((item) => [item.uri, item.kind, item.kind === 'full' ? item.items.map((d) => d.code) : null]),
      [[client.uri(p.path('src/closed.ts')), 'full', [RULE]]],
      'open documents are pulled one by one, not listed here',
    );
  });
});

describe('language server: workspace lint (stdio)', function () {
  this.timeout(180_000);
  let p: TempProject;
  let client: TestClient;
  const FILES = 40;

  before(async () => {
    const files: Record<string, string> = { 'tsconfig.json': TSCONFIG, 'node_modules/dep/index.js': DROPPED_FETCH_TS, 'dist/out.js': DROPPED_FETCH_TS, 'src/types.d.ts': 'export {};\n' };
    for (let i = 0; i < FILES; i++) files[`src/module${String(i).padStart(2, '0')}.ts`] = i % 2 === 0 ? DROPPED_FETCH_TS : AWAITED_FETCH_TS;
    p = tempProject(files);
    client = await TestClient.start({ folders: [p.dir], settings: { debounceMs: 0 } });
  });

  after(async () => {
    await client?.dispose();
    p?.remove();
  });

  it('lints every source file, publishing file by file and reporting progress', async () => {
    const token = 'workspace-lint-1';
    client.watchProgress(token);
    const ended = client.progress.next((p) => p.token === token && p.value.kind === 'end', 120_000, 'the end of progress');
    const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.lintWorkspace', workDoneToken: token });
    await ended;
    assert.deepEqual(result, { files: FILES, problems: FILES / 2, cancelled: false });
    const published = new Map(client.diagnostics.received.map((d) => [d.uri, d.diagnostics.map((x) => x.code)]));
    assert.equal(published.size, FILES, 'node_modules, dist and declaration files are not linted');
    assert.deepEqual(published.get(client.uri(p.path('src/module00.ts'))), [RULE]);
    assert.deepEqual(published.get(client.uri(p.path('src/module01.ts'))), []);
    const values = client.progress.received.filter((p) => p.token === token).map((p) => p.value);
    assert.deepEqual(values[0], { kind: 'begin', title: 'asyncguard: linting the workspace', percentage: 0, message: `0/${FILES} files`, cancellable: true });
    assert.deepEqual(values.at(-2), { kind: 'report', percentage: 100, message: `${FILES}/${FILES} files` });
    assert.deepEqual(values.at(-1), { kind: 'end' });
    assert.equal(values.length, FILES + 2);
  });

  it('stops when cancelled, with the files done so far published', async () => {
    const token = 'workspace-lint-2';
    client.watchProgress(token);
    const source = new CancellationTokenSource();
    const before = client.diagnostics.received.length;
    void client.progress.next((p) => p.token === token && p.value.kind === 'report').then(() => source.cancel());
    const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.lintWorkspace', workDoneToken: token }, source.token)) as {
      files: number;
      cancelled: boolean;
    };
    assert.equal(result.cancelled, true);
    assert.ok(result.files >= 1 && result.files < FILES, `stopped early: ${result.files} files`);
    assert.equal(client.diagnostics.received.length - before, result.files, 'published exactly the files it linted');
    assert.deepEqual(client.progress.received.filter((p) => p.token === token).at(-1)?.value, { kind: 'end' });
  });
});
