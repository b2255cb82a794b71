/**
 * Which configuration runs, through a real stdio connection: the workspace's own eslint.config.* when
 * the folder is trusted and the config uses asyncguard (only our rules reported), the embedded
 * default otherwise — and an untrusted folder never executes workspace code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType, MessageType } from 'vscode-languageserver/node';
import { ROOT } from './helpers/build';
import { TestClient } from './helpers/lspClient';
import { DROPPED_FETCH_JS, tempProject, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';
const MARKER = 'config-was-executed';
/** A dropped promise and a console call: the workspace config enables no-console too. */
const LOAD_JS = `${DROPPED_FETCH_JS}console.log('loaded');\n`;

/** A workspace config that proves it ran (a marker file), sets our rule to warn and turns on a core rule. */
function workspaceConfig(extra = ''): string {
  return `const fs = require('node:fs');
const path = require('node:path');
fs.writeFileSync(path.join(__dirname, '${MARKER}'), 'executed');
const asyncguard = require(${JSON.stringify(path.join(ROOT, 'rules'))});
${extra}
module.exports = [
  { files: ['**/*.js'], plugins: { asyncguard }, rules: { '${RULE}': 'warn', 'no-console': 'error' } },
];
`;
}

describe('language server: workspace configuration and trust (stdio)', function () {
  this.timeout(120_000);
  const cleanup: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(files: Record<string, string>, options: Partial<Parameters<typeof TestClient.start>[0]> = {}): Promise<{ p: TempProject; client: TestClient }> {
    const p = tempProject(files);
    cleanup.push(() => p.remove());
    const client = await TestClient.start({ folders: [p.dir], settings: { debounceMs: 0 }, ...options });
    cleanup.push(() => client.dispose());
    return { p, client };
  }

  async function lint(client: TestClient, file: string, text: string) {
    const uri = client.uri(file);
    const published = client.nextDiagnostics(uri);
    client.open(file, text);
    return await published;
  }

  it('an untrusted folder gets the embedded default and its eslint.config.js never runs', async () => {
    const { p, client } = await start({ 'eslint.config.js': workspaceConfig(), 'src/load.js': LOAD_JS }, { initializationOptions: { trusted: false } });
    const { diagnostics } = await lint(client, p.path('src/load.js'), LOAD_JS);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [[RULE, DiagnosticSeverity.Error]], 'the embedded recommended config');
    // Settings cannot force workspace code into an untrusted folder either.
    client.settings = { debounceMs: 0, configSource: 'workspace' };
    const forced = client.nextDiagnostics(client.uri(p.path('src/load.js')));
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await forced).diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);
    assert.equal(fs.existsSync(p.path(MARKER)), false, 'the workspace config was executed');
  });

  it('a trusted folder whose config uses asyncguard runs it, reporting only asyncguard rules', async () => {
    const { p, client } = await start({ 'eslint.config.js': workspaceConfig(), 'src/load.js': LOAD_JS });
    const { diagnostics } = await lint(client, p.path('src/load.js'), LOAD_JS);
    assert.equal(fs.existsSync(p.path(MARKER)), true, 'the workspace config ran');
    // Warning: the workspace's severity. No no-console: other rules are the ESLint extension's business.
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [[RULE, DiagnosticSeverity.Warning]]);
    assert.ok(client.logs.some((l) => l.includes('workspace configuration (eslint.config.js uses eslint-plugin-asyncguard)')), client.logs.join('\n'));
  });

  it('the configSource setting forces the embedded default in a trusted folder', async () => {
    const { p, client } = await start({ 'eslint.config.js': workspaceConfig(), 'src/load.js': LOAD_JS }, { settings: { debounceMs: 0, configSource: 'embedded' } });
    const { diagnostics } = await lint(client, p.path('src/load.js'), LOAD_JS);
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);
    assert.equal(fs.existsSync(p.path(MARKER)), false);
  });

  it('reloads when an eslint.config.* appears, and reports the switch', async () => {
    const { p, client } = await start({ 'src/load.js': LOAD_JS });
    const { uri, diagnostics } = await lint(client, p.path('src/load.js'), LOAD_JS);
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);
    fs.writeFileSync(p.path('eslint.config.js'), workspaceConfig());
    const reloaded = client.nextDiagnostics(uri);
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(p.path('eslint.config.js')), type: FileChangeType.Created }],
    });
    assert.deepEqual((await reloaded).diagnostics.map((d) => d.severity), [DiagnosticSeverity.Warning]);
  });

  it('reloads type information when a tsconfig changes', async () => {
    // Only the checker knows that `store.save()` returns a promise (a `Record` alias: untyped, the model
    // reads interfaces and type literals of the file, not library generics), so untyped nothing is reported.
    const code = 'type Store = Record<"save", () => Promise<void>>;\ndeclare const store: Store;\nexport async function run(): Promise<void> {\n  store.save();\n}\n';
    const tsconfig = (include: string) => JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], noEmit: true }, include: [include] });
    const { p, client } = await start({ 'tsconfig.json': tsconfig('elsewhere'), 'src/run.ts': code });
    const { uri, diagnostics } = await lint(client, p.path('src/run.ts'), code);
    assert.deepEqual(diagnostics, [], 'outside every project: linted untyped');
    fs.writeFileSync(p.path('tsconfig.json'), tsconfig('src'));
    const reloaded = client.nextDiagnostics(uri, (d) => d.diagnostics.length > 0);
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(p.path('tsconfig.json')), type: FileChangeType.Changed }],
    });
    assert.deepEqual((await reloaded).diagnostics.map((d) => [d.code, d.range.start.line]), [[RULE, 3]], 'typed now');
  });

  it('a broken workspace config is one clear error, and another folder keeps working', async () => {
    const broken = tempProject({
      // Mentions eslint-plugin-asyncguard, so it is chosen; then it does not even parse.
      'eslint.config.js': "// uses eslint-plugin-asyncguard\nmodule.exports = [{ rules: {",
      'src/a.js': LOAD_JS,
      'src/b.js': LOAD_JS,
    });
    const healthy = tempProject({ 'src/other.js': DROPPED_FETCH_JS });
    cleanup.push(() => broken.remove(), () => healthy.remove());
    const client = await TestClient.start({ folders: [broken.dir, healthy.dir], settings: { debounceMs: 0 } });
    cleanup.push(() => client.dispose());

    const errorShown = client.messages.next((m) => m.type === MessageType.Error, 60_000, 'an error message');
    const a = await lint(client, broken.path('src/a.js'), LOAD_JS);
    assert.equal(a.diagnostics.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(a.diagnostics[0]!.severity, DiagnosticSeverity.Error);
    assert.match(String(a.diagnostics[0]!.message), /^asyncguard could not lint a\.js with the workspace configuration .*eslint\.config\.js: /u);
    assert.match((await errorShown).message, /^asyncguard could not lint with the workspace configuration .*eslint\.config\.js: /u);

    const b = await lint(client, broken.path('src/b.js'), LOAD_JS);
    assert.equal(b.diagnostics.length, 1);
    const other = await lint(client, healthy.path('src/other.js'), DROPPED_FETCH_JS);
    assert.deepEqual(other.diagnostics.map((d) => d.code), [RULE], 'the other folder still lints');
    assert.equal(client.messages.received.filter((m) => m.type === MessageType.Error).length, 1, 'told once, not per file');
    const [last] = client.statuses.received.slice(-1);
    assert.equal(last?.state, 'error', 'the status item shows the failure while a failed file is open');
    assert.match(last?.message ?? '', /^asyncguard could not lint with the workspace configuration/u);
    const cleared = client.statuses.next((s) => s.state === 'idle', 30_000, 'idle once the failed files close');
    client.close(client.uri(broken.path('src/a.js')));
    client.close(client.uri(broken.path('src/b.js')));
    await cleared;
  });

  it('a crashing rule or a process.exit in a workspace plugin fails that file only; the server keeps serving', async () => {
    // Each file gets its own `asyncguard` plugin object (configs for different files never merge).
    const config = `const real = require(${JSON.stringify(path.join(ROOT, 'rules'))});
const stand_in = (create) => ({ rules: { 'no-unawaited-promise': { meta: { schema: [] }, create } } });
const crashing = stand_in(() => ({ Program() { throw new Error('boom from a workspace rule'); } }));
const exiting = stand_in(() => ({ Program() { process.exit(3); } }));
module.exports = [
  { files: ['src/fine.js'], plugins: { asyncguard: real }, rules: { '${RULE}': 'warn' } },
  { files: ['src/crash.js'], plugins: { asyncguard: crashing }, rules: { '${RULE}': 'error' } },
  { files: ['src/exit.js'], plugins: { asyncguard: exiting }, rules: { '${RULE}': 'error' } },
];
`;
    const { p, client } = await start({ 'eslint.config.js': config, 'src/crash.js': LOAD_JS, 'src/exit.js': LOAD_JS, 'src/fine.js': LOAD_JS });
    const crash = await lint(client, p.path('src/crash.js'), LOAD_JS);
    assert.equal(crash.diagnostics.length, 1);
    assert.match(String(crash.diagnostics[0]!.message), /could not lint crash\.js .*boom from a workspace rule/u);

    const exit = await lint(client, p.path('src/exit.js'), LOAD_JS);
    assert.equal(exit.diagnostics.length, 1);
    assert.match(String(exit.diagnostics[0]!.message), /could not lint exit\.js .*called process\.exit\(3\); asyncguard kept running/u);
    assert.equal(client.server.exitCode, null, 'the server is still running');

    const fine = await lint(client, p.path('src/fine.js'), LOAD_JS);
    assert.deepEqual(fine.diagnostics.map((d) => [d.code, d.severity]), [[RULE, DiagnosticSeverity.Warning]]);
    assert.equal(client.messages.received.filter((m) => m.type === MessageType.Error).length, 2, 'one message per distinct failure');
    assert.equal(await client.stop(), 0, 'and it still exits cleanly when asked');
  });
});
