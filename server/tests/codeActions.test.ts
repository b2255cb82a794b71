/** Code actions and commands, through a real stdio connection: applied to the text and linted again. */
import * as assert from 'node:assert/strict';
import {
  CodeActionKind,
  CodeActionRequest,
  ExecuteCommandRequest,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver/node';
import { TestClient } from './helpers/lspClient';
import { DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';

/** `new Promise(async …)` with no await inside: the rule removes the `async` as an autofix. */
const ASYNC_EXECUTORS_TS = `export function later(ms: number): Promise<number> {
  return new Promise(async (resolve) => {
    setTimeout(() => resolve(ms), ms);
  });
}
export function now(): Promise<number> {
  return new Promise(async function (resolve) {
    resolve(Date.now());
  });
}
`;

describe('language server: code actions and commands (stdio)', function () {
  this.timeout(120_000);
  let p: TempProject;
  let client: TestClient;

  before(async () => {
    p = tempProject({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS, 'src/executors.ts': ASYNC_EXECUTORS_TS });
    client = await TestClient.start({ folders: [p.dir], settings: { debounceMs: 0 } });
  });

  after(async () => {
    await client?.dispose();
    p?.remove();
  });

  async function openAndLint(relative: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = client.uri(p.path(relative));
    const published = client.nextDiagnostics(uri);
    client.open(p.path(relative), text);
    return { uri, diagnostics: (await published).diagnostics };
  }

  function codeActions(uri: string, range: Range, only?: string[]): Promise<(CodeAction | Command)[] | null> {
    return client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });
  }

  /** Until no lint has started or ended for longer than the server's idle re-check delay (1 s). */
  async function untilQuiet(): Promise<void> {
    for (let seen = -1; seen !== client.statuses.received.length || client.statuses.received.at(-1)?.state === 'linting'; ) {
      seen = client.statuses.received.length;
      await new Promise((resolve) => setTimeout(resolve, 1_200));
    }
  }

  /** Applies a code action's edit as the editor would and waits for the re-lint of the new version. */
  async function applyAndRelint(uri: string, action: CodeAction | Command | undefined): Promise<Diagnostic[]> {
    assert.ok(action && 'edit' in action && action.edit, `an action with an edit: ${JSON.stringify(action)}`);
    const version = client.document(uri).version + 1;
    const published = client.nextDiagnostics(uri, (d) => d.version === version);
    assert.ok(client.apply(action.edit));
    return (await published).diagnostics;
  }

  it('offers each suggestion, disable-line and documentation for the diagnostic under the cursor, in that order', async () => {
    const { uri, diagnostics } = await openAndLint('src/load.ts', DROPPED_FETCH_TS);
    assert.equal(diagnostics.length, 1);
    const actions = (await codeActions(uri, diagnostics[0]!.range)) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [
        ['Add `await`.', CodeActionKind.QuickFix],
        ['Mark it fire-and-forget with `void`.', CodeActionKind.QuickFix],
        ['Handle its rejection with `.catch(…)`.', CodeActionKind.QuickFix],
        [`Disable ${RULE} for this line`, CodeActionKind.QuickFix],
        [`Show documentation for ${RULE}`, CodeActionKind.QuickFix],
      ],
    );
    assert.deepEqual(actions[0]!.diagnostics?.map((d) => d.code), [RULE]);
    assert.deepEqual(actions[4]!.command, {
      title: `Show documentation for ${RULE}`,
      command: 'asyncguard.server.showDocumentation',
      arguments: ['https://github.com/asyncguard/asyncguard/blob/main/rules/docs/rules/no-unawaited-promise.md'],
    });
    assert.deepEqual(await codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }), [], 'nothing away from the problem');
  });

  it('applies a suggestion and the re-lint comes back clean', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    const [diagnostic] = client.latestDiagnostics(uri).diagnostics;
    const actions = (await codeActions(uri, diagnostic!.range)) as CodeAction[];
    const diagnostics = await applyAndRelint(uri, actions.find((a) => a.title === 'Add `await`.'));
    assert.equal(client.document(uri).getText(), DROPPED_FETCH_TS.replace('fetch(url);', 'await fetch(url);'));
    // `await fetch(url)` drops the response body: that is the next rule's business, not a leftover of this one.
    assert.deepEqual(diagnostics.filter((d) => d.code === RULE), []);
  });

  it('disables the rule for the line, indented like it, and merges into an existing directive', async () => {
    const text = ['export async function load(url: string): Promise<void> {', '  // eslint-disable-next-line no-console', '  fetch(url);', '    fetch(url);', '}', ''].join('\n');
    const { uri, diagnostics } = await openAndLint('src/disable.ts', text);
    assert.deepEqual(diagnostics.map((d) => d.range.start.line), [2, 3]);
    const merged = await applyAndRelint(uri, ((await codeActions(uri, diagnostics[0]!.range)) as CodeAction[]).find((a) => a.title.startsWith('Disable')));
    assert.equal(client.document(uri).getText().split('\n')[1], `  // eslint-disable-next-line no-console, ${RULE}`);
    assert.deepEqual(merged.map((d) => d.range.start.line), [3]);
    const inserted = await applyAndRelint(uri, ((await codeActions(uri, merged[0]!.range)) as CodeAction[]).find((a) => a.title.startsWith('Disable')));
    assert.deepEqual(client.document(uri).getText().split('\n').slice(3, 5), [`    // eslint-disable-next-line ${RULE}`, '    fetch(url);']);
    assert.deepEqual(inserted, []);
    client.close(uri);
  });

  it('opens the documentation through the client', async () => {
    const url = 'https://github.com/asyncguard/asyncguard/blob/main/rules/docs/rules/no-unawaited-promise.md';
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.showDocumentation', arguments: [url] });
    assert.deepEqual(client.shownDocuments, [url]);
  });

  it('offers fix all as a quick fix and as source.fixAll.asyncguard, and applies autofixes only', async () => {
    const { uri, diagnostics } = await openAndLint('src/executors.ts', ASYNC_EXECUTORS_TS);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [
      [RULE, 1],
      [RULE, 6],
    ]);
    const quickFixes = (await codeActions(uri, diagnostics[0]!.range)) as CodeAction[];
    assert.ok(quickFixes.some((a) => a.title === 'Fix all asyncguard problems in this file' && a.kind === CodeActionKind.QuickFix), JSON.stringify(quickFixes.map((a) => a.title)));
    const onSave = (await codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll.asyncguard'])) as CodeAction[];
    assert.deepEqual(onSave.map((a) => [a.title, a.kind]), [['Fix all asyncguard problems in this file', 'source.fixAll.asyncguard']]);
    const remaining = await applyAndRelint(uri, onSave[0]);
    assert.equal(client.document(uri).getText(), ASYNC_EXECUTORS_TS.replace('new Promise(async (resolve)', 'new Promise((resolve)').replace('new Promise(async function', 'new Promise(function'));
    assert.deepEqual(remaining, []);
    // `source` and `source.fixAll` include ours; quick fixes are not asked for then.
    const bySource = (await codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [CodeActionKind.SourceFixAll])) as CodeAction[];
    assert.deepEqual(bySource.map((a) => [a.kind, a.edit]), [['source.fixAll.asyncguard', { changes: {} }]], 'answered with an empty edit: nothing left to fix');
  });

  it('fixes all through the command, applying the edit through the client', async () => {
    const uri = client.uri(p.path('src/executors.ts'));
    const broken = client.document(uri).getText().replace('new Promise((resolve)', 'new Promise(async (resolve)');
    let published = client.nextDiagnostics(uri, (d) => d.diagnostics.length === 1);
    client.change(uri, [{ text: broken }]);
    await published;
    published = client.nextDiagnostics(uri, (d) => d.diagnostics.length === 0);
    const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'asyncguard.server.fixAll', arguments: [{ uri }] });
    assert.deepEqual(result, { applied: true });
    await published;
    assert.ok(!client.document(uri).getText().includes('async ('));
  });

  it('answers for text not linted yet with one lint of that version (fix-on-save right after typing), then from the cache', async () => {
    const uri = client.uri(p.path('src/load.ts'));
    client.settings = { debounceMs: 10_000 };
    const reread = client.nextDiagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await reread;
    // Let the other open file's lint and any idle re-check settle: only lints from here on count.
    await untilQuiet();
    const lintsBefore = client.statuses.received.filter((s) => s.state === 'linting').length;
    const version = client.replace(uri, 'await fetch(url);', 'fetch(url);');
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 12 } };
    const actions = (await codeActions(uri, range)) as CodeAction[];
    assert.equal(actions[0]?.title, 'Add `await`.');
    assert.deepEqual(actions[0]?.edit?.documentChanges?.[0], {
      textDocument: { uri, version },
      edits: [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 12 } }, newText: 'await fetch(url)' }],
    });
    assert.deepEqual(await codeActions(uri, range), actions, 'the same answer, from the cache');
    const lints = client.statuses.received.filter((s) => s.state === 'linting').length - lintsBefore;
    assert.equal(lints, 1, 'one lint for the new version, none for the second request');
  });
});
