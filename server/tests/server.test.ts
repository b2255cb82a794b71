/** The language server, driven the way an editor drives it: a real LSP connection over stdio. */
import * as assert from 'node:assert/strict';
import { CodeActionKind, DidChangeConfigurationNotification, DiagnosticSeverity } from 'vscode-languageserver/node';
import { TestClient } from './helpers/lspClient';
import { DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';

/** A file handle leaked on an early return: no-unclosed-session names the exit as related information. */
const LEAKY_OPEN_TS = `import { open } from 'node:fs/promises';
export async function firstByte(path: string, skip: boolean): Promise<number | null> {
  const handle = await open(path);
  if (skip) return null;
  const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, 0);
  await handle.close();
  return buffer[0] ?? null;
}
`;

const LIBRARY_TS = 'export function save(): void {}\n';
const USER_TS = "import { save } from './library';\nexport async function run(): Promise<void> {\n  save();\n}\n";

describe('language server: diagnostics (stdio)', function () {
  this.timeout(120_000);
  let p: TempProject;
  let client: TestClient;

  before(async () => {
    p = tempProject({
      'tsconfig.json': TSCONFIG,
      'src/load.ts': DROPPED_FETCH_TS,
      // Typed linting sees the files that exist on disk when the project loads, as in an editor.
      'src/library.ts': LIBRARY_TS,
      'src/user.ts': USER_TS,
    });
    client = await TestClient.start({ folders: [p.dir], settings: { debounceMs: 0 } });
  });

  after(async () => {
    await client?.dispose();
    p?.remove();
  });

  it('answers initialize with its capabilities and registers for config and settings changes', async () => {
    const { capabilities, serverInfo } = client.initializeResult;
    assert.equal(serverInfo?.name, 'asyncguard');
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.asyncguard'] });
    assert.deepEqual(capabilities.executeCommandProvider?.commands, ['asyncguard.server.fixAll', 'asyncguard.server.lintWorkspace', 'asyncguard.server.showDocumentation']);
    assert.equal(capabilities.diagnosticProvider, undefined, 'a push client gets no pull provider');
    // Registration happens after `initialized`; the first lint below waits long enough for it.
    const published = client.nextDiagnostics(client.uri(p.path('src/load.ts')));
    client.open(p.path('src/load.ts'), DROPPED_FETCH_TS);
    await published;
    assert.deepEqual(client.registrations.sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });

  it('publishes rule diagnostics with code, doc link, source, severity and version; settings asked per document', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    // The open may still be running its typed pass (the server yields after the untyped first pass,
    // so this change could be linted meanwhile and the status stay 'linting'): let it finish.
    if (client.statuses.received.at(-1)?.state !== 'idle') await client.statuses.next((s) => s.state === 'idle');
    let changed = -1;
    const published = client.nextDiagnostics(uri, (d) => d.version === changed);
    changed = client.replace(uri, 'fetch(url);', 'fetch(url);\n');
    const { diagnostics, version } = await published;
    assert.equal(version, client.document(uri).version);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic!.code, RULE);
    assert.equal(diagnostic!.codeDescription?.href, 'https://github.com/asyncguard/asyncguard/blob/main/rules/docs/rules/no-unawaited-promise.md');
    assert.equal(diagnostic!.source, 'asyncguard');
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
    assert.deepEqual(diagnostic!.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 12 } });
    assert.ok(
      client.configurationRequests.some((item) => item.scopeUri === uri && item.section === 'asyncguard'),
      JSON.stringify(client.configurationRequests),
    );
    // For a status item: linting while a lint runs, idle after.
    assert.deepEqual(client.statuses.received.slice(-2), [{ state: 'linting' }, { state: 'idle' }]);
  });

  it('attaches the leaking exit as relatedInformation', async () => {
    const uri = client.uri(p.path('src/leak.ts'));
    const published = client.nextDiagnostics(uri);
    client.open(p.path('src/leak.ts'), LEAKY_OPEN_TS);
    const { diagnostics } = await published;
    const leak = diagnostics.find((d) => d.code === 'asyncguard/no-unclosed-session');
    assert.ok(leak, JSON.stringify(diagnostics));
    assert.deepEqual(leak.relatedInformation, [
      {
        location: { uri, range: { start: { line: 3, character: 12 }, end: { line: 3, character: 24 } } },
        message: 'the resource leaks when this runs',
      },
    ]);
    client.close(uri);
  });

  it('keeps the last good diagnostics while the text does not parse, beside the syntax error', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    const published = client.nextDiagnostics(uri);
    client.replace(uri, 'fetch(url);', 'fetch(url);\n  const = ;');
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => [d.code ?? null, d.severity, String(d.message).startsWith('Parsing error') ? 'parse' : 'rule']),
      [
        [RULE, DiagnosticSeverity.Error, 'rule'],
        [null, DiagnosticSeverity.Error, 'parse'],
      ],
    );
    const repaired = client.nextDiagnostics(uri);
    client.replace(uri, '\n  const = ;', '');
    assert.deepEqual((await repaired).diagnostics.map((d) => d.code), [RULE]);
  });

  it('applies per-rule severity overrides when the settings change, without a restart', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    client.settings = { debounceMs: 0, rules: { 'no-unawaited-promise': 'warn' } };
    let published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await published).diagnostics.map((d) => [d.code, d.severity]), [[RULE, DiagnosticSeverity.Warning]]);

    client.settings = { debounceMs: 0, rules: { [RULE]: 'off' } };
    published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await published).diagnostics, []);

    client.settings = { debounceMs: 0, enable: false };
    published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await published).diagnostics, [], 'disabled: nothing reported');

    client.settings = { debounceMs: 0 };
    published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await published).diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);
  });

  it('passes the rules\' main options from settings to the embedded config, and says when one is invalid', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    client.settings = { debounceMs: 0, knownSafeCalls: ['fetch'] };
    let published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await published).diagnostics, [], 'fetch() is a known-safe call now');

    client.settings = { debounceMs: 0, resources: [{ label: 'a resource without a way to make it' }] };
    published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const [invalid] = (await published).diagnostics;
    assert.match(String(invalid?.message), /could not lint load\.ts with the embedded configuration: .*no-unclosed-session/u);

    client.settings = { debounceMs: 0 };
    published = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await published).diagnostics.map((d) => d.code), [RULE]);
  });

  it('debounces changes and never publishes a result for an older version', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    client.settings = { debounceMs: 300 };
    const settled = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await settled;
    const before = client.diagnostics.received.length;
    const versions = [1, 2, 3, 4].map((i) => client.replace(uri, 'fetch(url);', `fetch(url); // ${i}`.padEnd(12 + i)));
    const last = versions.at(-1)!;
    const published = await client.nextDiagnostics(uri, (d) => d.version === last);
    assert.equal(published.diagnostics.length, 1);
    // Let any late publication arrive, then check that only the newest version was published.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const since = client.diagnostics.received.slice(before).filter((d) => d.uri === uri);
    assert.deepEqual(since.map((d) => d.version), [last]);
  });

  it('lints only on save when run is onSave', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    client.settings = { debounceMs: 0, run: 'onSave' };
    const settled = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await settled;
    const before = client.diagnostics.received.length;
    const version = client.replace(uri, '  fetch(url);', '  await Promise.resolve(url);');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(client.diagnostics.received.slice(before).filter((d) => d.uri === uri).length, 0, `no lint on type: ${JSON.stringify(client.diagnostics.received.slice(before - 2))}`);
    const published = client.nextDiagnostics(uri);
    client.save(uri);
    const { diagnostics, version: linted } = await published;
    assert.equal(linted, version);
    assert.deepEqual(diagnostics, []);
    const restored = client.nextDiagnostics(uri);
    client.replace(uri, '  await Promise.resolve(url);', '  fetch(url);');
    client.settings = { debounceMs: 0 };
    void client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.equal((await restored).diagnostics.length, 1);
  });

  it('re-checks the other open files once idle when types change in one', async () => {
    const library = client.uri(p.path('src/library.ts'));
    const user = client.uri(p.path('src/user.ts'));
    let published = client.nextDiagnostics(library);
    client.open(p.path('src/library.ts'), LIBRARY_TS);
    await published;
    published = client.nextDiagnostics(user);
    client.open(p.path('src/user.ts'), USER_TS);
    assert.deepEqual((await published).diagnostics, [], 'save() returns void: nothing to await');
    // Only the library changes; the user file must be re-checked without being touched.
    const userRechecked = client.nextDiagnostics(user, (d) => d.diagnostics.length > 0);
    client.replace(library, 'export function save(): void {}', 'export async function save(): Promise<void> {}');
    const { diagnostics } = await userRechecked;
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [[RULE, 2]]);
    client.close(library);
    client.close(user);
  });

  it('clears diagnostics on close', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    const published = client.nextDiagnostics(uri);
    client.close(uri);
    assert.deepEqual((await published).diagnostics, []);
  });

  it('shuts down and exits cleanly', async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });
});

describe('language server: untyped first pass while the typed program builds (stdio)', function () {
  this.timeout(120_000);

  it('publishes the untyped findings first, then the typed ones for the same version', async () => {
    // `fetch(url)` is found untyped; `store.save()` only with the checker (a `Record` alias: untyped, the
    // model reads interfaces and type literals of the file, not library generics).
    const code = `${DROPPED_FETCH_TS}type Store = Record<'save', () => Promise<void>>;\ndeclare const store: Store;\nexport async function run(): Promise<void> {\n  store.save();\n}\n`;
    const p = tempProject({ 'tsconfig.json': TSCONFIG, 'src/both.ts': code, 'src/later.ts': code });
    const client = await TestClient.start({ folders: [p.dir], settings: { debounceMs: 0 } });
    try {
      const uri = client.uri(p.path('src/both.ts'));
      const typed = client.nextDiagnostics(uri, (d) => d.diagnostics.length === 2);
      client.open(p.path('src/both.ts'), code);
      await typed;
      const lines = client.diagnostics.received.filter((d) => d.uri === uri).map((d) => [d.version, d.diagnostics.map((x) => x.range.start.line)]);
      assert.deepEqual(lines, [
        [1, [1]],
        [1, [1, 6]],
      ]);
      // Once the program is built, a new file gets its typed result directly.
      const later = client.uri(p.path('src/later.ts'));
      const published = client.nextDiagnostics(later);
      client.open(p.path('src/later.ts'), code);
      assert.deepEqual((await published).diagnostics.map((x) => x.range.start.line), [1, 6]);
      assert.equal(client.diagnostics.received.filter((d) => d.uri === later).length, 1);
    } finally {
      await client.dispose();
      p.remove();
    }
  });
});
