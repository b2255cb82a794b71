/**
 * The packaged extension in a real VS Code: code-server in Chromium (see harness.ts). Run through
 * `npm run test:e2e`, which installs the tools, packages asyncguard.vsix and then runs this file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  codeServerCli,
  currentSession,
  DISPLAY_NAME,
  EXTENSION_ID,
  log,
  prepareRun,
  record,
  Session,
  summaryTable,
  timings,
  VSIX,
  waitFor,
} from './harness';

const RULE = 'asyncguard/no-unawaited-promise';
const RULE_DOC = 'https://github.com/asyncguard/asyncguard/blob/main/rules/docs/rules/no-unawaited-promise.md';
const VOID_FIX = 'Mark it fire-and-forget with `void`.';
const MARKER = 'eslint-config-was-executed.marker';

/**
 * From the session's logs: when the extension host started activating the extension (relative to
 * `openedAt`, the wall-clock time the file was opened), and when the server's initialize handler
 * logged its first line in the extension's output channel.
 */
async function recordStartup(s: Session, scenario: string, openedAt: number): Promise<void> {
  const line = await waitFor('the activation line in the extension host log', () =>
    s.logLines(/exthost\.log$/u).find((l) => l.includes(`_doActivateExtension ${EXTENSION_ID},`)),
  );
  log(`exthost: ${line.trim()}`);
  const activated = logTime(line);
  record(scenario, 'open → activation starts (exthost log)', activated - openedAt);
  const channel = new RegExp(`${EXTENSION_ID.replace('.', '\\.')}[\\/]`, 'u');
  const serverLine = s.logLines(channel).find((l) => /\[info\] trusted: /u.test(l));
  if (serverLine) record(scenario, 'activation starts → server initialized (output log)', logTime(serverLine) - activated);
  else log('no "trusted:" line in the extension\'s output log: server start not measured');
}

/** A VS Code log line's timestamp (`2026-01-31 12:34:56.789 [info] ...`, local time) in ms. */
function logTime(line: string): number {
  const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/u.exec(line);
  if (!stamp) throw new Error(`no timestamp in log line: ${line}`);
  return new Date(`${stamp[1]}T${stamp[2]}`).getTime();
}

describe('asyncguard in VS Code (code-server + Chromium)', function () {
  const started = performance.now();

  let installed = '';

  // Here, not in test a: every session uses the extensions folder it installs into, even with --grep.
  before(async function () {
    prepareRun();
    log(`VSIX ${VSIX} (${(fs.statSync(VSIX).size / 1024).toFixed(0)} kB)`);
    installed = await codeServerCli(['--install-extension', VSIX]);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await currentSession()?.saveArtifacts(this.currentTest.title);
  });

  after(function () {
    const setup = Number(process.env.E2E_SETUP_MS);
    const packaging = Number(process.env.E2E_PACKAGE_MS);
    const rows = [
      ...(Number.isFinite(setup) && setup > 0 ? [{ scenario: '-', measure: 'setup.sh', ms: setup }] : []),
      ...(Number.isFinite(packaging) && packaging > 0 ? [{ scenario: '-', measure: 'npm run package', ms: packaging }] : []),
      // Grouped by scenario, in the order measured.
      ...[...timings].sort((x, y) => x.scenario.localeCompare(y.scenario)),
      { scenario: '-', measure: 'scenarios (this mocha run)', ms: performance.now() - started },
    ];
    console.log(`\n  e2e timings\n${summaryTable(rows)}\n`);
  });

  it('a. installs the packaged VSIX into a fresh profile', async function () {
    assert.match(installed, /successfully installed/iu, installed);
    const listed = await codeServerCli(['--list-extensions', '--show-versions']);
    log(`--list-extensions: ${listed.trim().split('\n').join(', ')}`);
    assert.ok(listed.split('\n').some((line) => line.startsWith(`${EXTENSION_ID}@`)), `${EXTENSION_ID} not listed:\n${listed}`);
  });

  describe('a trusted service with a dropped fetch', function () {
    let s: Session;
    let openedAt = 0;

    before(async function () {
      s = await Session.start({ name: 'service', fixture: 'service' });
    });

    after(async function () {
      await s?.stop();
    });

    it('b. shows the squiggle, its hover, and the Problems entry with the rule id linking to its documentation', async function () {
      const opened = await s.openFile('src/leak.ts', 'refresh');
      openedAt = Date.now() - (performance.now() - opened);
      await s.squiggles('error').first().waitFor({ timeout: 60_000 });
      record('b', 'open → first squiggle (activation, server start, typed lint)', performance.now() - opened);

      // The language status item ({} beside the language mode) lists asyncguard and its state.
      const languageStatus = s.page.locator('[id="status.languageStatus"]');
      const status = await waitFor('asyncguard in the language status', async () => {
        const label = (await languageStatus.getAttribute('aria-label')) ?? '';
        return /asyncguard/u.test(label) ? label : undefined;
      });
      log(`language status: ${status}`);

      const hover = await s.hoverSquiggle('error', 'is dropped');
      assert.match(hover, /asyncguard/u, hover);
      await s.docsScreenshot('diagnostic-hover.png', 260);
      await s.page.mouse.move(1, 1);

      const row = await s.problemsRow('no-unawaited-promise');
      const rowText = (await row.innerText()).replace(/\s+/gu, ' ');
      log(`Problems row: ${rowText}`);
      assert.match(rowText, /The promise from .*fetch.* is dropped/u);
      assert.match(rowText, /asyncguard/u);
      const link = row.locator('.details-container a.monaco-link');
      assert.equal((await link.innerText()).trim(), RULE);
      assert.equal(await link.getAttribute('href'), RULE_DOC);
      await s.docsScreenshot('problems-panel.png', 90, s.panel);
      await s.page.keyboard.press('Control+Shift+M'); // hide the panel again
    });

    it('c. applies "Mark it fire-and-forget with `void`" from the lightbulb, and saves it', async function () {
      await s.clickSquiggle('error');
      await s.page.mouse.move(1, 1);
      const action = await s.openQuickFixMenu(VOID_FIX);
      const titles = await s.quickFixTitles();
      log(`quick fixes: ${titles.join(' | ')}`);
      for (const expected of ['Add `await`.', VOID_FIX, `Disable ${RULE} for this line`, `Show documentation for ${RULE}`]) {
        assert.ok(titles.some((title) => title.includes(expected)), `no quick fix "${expected}" in: ${titles.join(' | ')}`);
      }
      await s.docsScreenshot('quick-fix-menu.png', 200, s.editorPart, s.page.locator('.action-widget', { has: s.page.locator('.monaco-list-row.action') }).first());
      await action.click();
      await s.editor.locator('.view-lines', { hasText: 'void fetch' }).waitFor();
      await s.squiggles('error').first().waitFor({ state: 'detached', timeout: 30_000 });
      const text = await s.saveAndWaitForDisk('src/leak.ts', (t) => t.includes('void fetch(url);'), 'void fetch(url); on disk');
      assert.equal(text, 'export async function refresh(url: string): Promise<void> {\n  void fetch(url);\n}\n');
      await s.editor.locator('.squiggly-error, .squiggly-warning').first().waitFor({ state: 'detached' });
      await s.docsScreenshot('quick-fix-applied.png', 160);
    });

    it('e. turns the error into a warning when asyncguard.rules changes in settings.json, without a restart', async function () {
      await s.openFile('src/severity.ts', 'warmUp');
      await s.squiggles('error').first().waitFor({ timeout: 60_000 });
      await s.editUserSettings({ 'asyncguard.rules': { 'no-unawaited-promise': 'warn' } });
      const saved = performance.now();
      await s.openFile('src/severity.ts', 'warmUp');
      await s.squiggles('warning').first().waitFor({ timeout: 30_000 });
      await s.squiggles('error').first().waitFor({ state: 'detached', timeout: 30_000 });
      record('e', 'settings.json saved → squiggle is a warning', performance.now() - saved);
    });

    it('reports its activation (extension host log, Developer: Show Running Extensions)', async function () {
      await recordStartup(s, 'b', openedAt);
      const activation = await s.runningExtensionActivation(DISPLAY_NAME);
      log(`Running Extensions: ${activation.text}`);
      record('b', 'activation (Running Extensions: activate() until it resolves)', activation.ms);
    });
  });

  describe('fix on save', function () {
    let s: Session;
    const SECOND_EXECUTOR = 'export const ready = new Promise<void>(async (resolve) => { resolve(); });\n';

    before(async function () {
      s = await Session.start({
        name: 'fix-on-save',
        fixture: 'service',
        settings: { 'editor.codeActionsOnSave': { 'source.fixAll.asyncguard': 'explicit' } },
      });
    });

    after(async function () {
      await s?.stop();
    });

    it('d. removes `async` from Promise executors when the file is saved (source.fixAll.asyncguard)', async function () {
      await s.openFile('src/executor.ts', 'pause');
      await s.squiggles('error').first().waitFor({ timeout: 60_000 });
      // The edit adds a second async executor; its squiggle says the edited text has been linted.
      await s.page.keyboard.press('Control+End');
      await s.page.keyboard.insertText(SECOND_EXECUTOR);
      await waitFor('a second squiggle', async () => ((await s.squiggles('error').count()) === 2 ? true : undefined));
      const saved = performance.now();
      const text = await s.saveAndWaitForDisk('src/executor.ts', (t) => !t.includes('async'), 'the file on disk without `async`');
      record('d', 'Ctrl+S → fixed file on disk', performance.now() - saved);
      assert.equal(
        text,
        'export function pause(): Promise<void> {\n  return new Promise((resolve) => { setTimeout(resolve, 10); });\n}\n' +
          'export const ready = new Promise<void>((resolve) => { resolve(); });\n',
      );
      await s.squiggles('error').first().waitFor({ state: 'detached', timeout: 30_000 });
    });

    it('d. also fixes a file saved right after typing, before its new text was linted', async function () {
      // The server lints the new text for the code action request (it found nothing cached before).
      await s.openFile('src/executor.ts', 'pause');
      await s.page.keyboard.press('Control+End');
      await s.page.keyboard.insertText('export const later = new Promise<void>(async (resolve) => { resolve(); });\n');
      const text = await s.saveAndWaitForDisk('src/executor.ts', (t) => t.includes('later = new Promise'), 'the edit on disk');
      assert.ok(!text.includes('async'), `saved without the fix:\n${text}`);
    });
  });

  describe('an untrusted folder whose eslint.config.js uses eslint-plugin-asyncguard', function () {
    let s: Session;

    before(async function () {
      // Trust enabled, and no startup dialog: the folder opens in Restricted Mode.
      s = await Session.start({
        name: 'untrusted',
        fixture: 'untrusted',
        workspaceTrust: 'on',
        settings: { 'security.workspace.trust.startupPrompt': 'never' },
      });
    });

    after(async function () {
      await s?.stop();
    });

    it('f. opens in Restricted Mode and lints with the embedded default, without running the workspace config', async function () {
      const trust = s.page.locator('[id="status.workspaceTrust"]');
      await trust.waitFor();
      const label = (await trust.getAttribute('aria-label')) ?? '';
      log(`status bar: ${label}`);
      assert.match(label, /Restricted Mode/u);
      const opened = await s.openFile('src/leak.ts', 'refresh');
      await s.squiggles('error').first().waitFor({ timeout: 60_000 });
      record('f', 'open → first squiggle (untrusted)', performance.now() - opened);
      await recordStartup(s, 'f', Date.now() - (performance.now() - opened));
      // A second lint, of an edited text: a second dropped fetch gets its own squiggle.
      await s.page.keyboard.press('Control+Home');
      await s.page.keyboard.press('ArrowDown');
      await s.page.keyboard.press('End');
      await s.page.keyboard.press('Enter');
      await s.page.keyboard.type('fetch(url);');
      await waitFor('a second squiggle', async () => ((await s.squiggles('error').count()) === 2 ? true : undefined));
      assert.ok(!fs.existsSync(s.file(MARKER)), 'the workspace eslint.config.js ran in an untrusted folder');
    });

    it('f. has not run the workspace config by the time VS Code is closed', async function () {
      await s.stop();
      assert.ok(!fs.existsSync(s.file(MARKER)), 'the workspace eslint.config.js ran in an untrusted folder');
    });
  });

  describe('the same folder, trusted (control for f)', function () {
    let s: Session;

    before(async function () {
      s = await Session.start({ name: 'trusted-control', fixture: 'untrusted' });
    });

    after(async function () {
      await s?.stop();
    });

    it('f (control). runs its eslint.config.js: the marker does show when workspace code runs', async function () {
      const opened = await s.openFile('src/leak.ts', 'refresh');
      const marker = await waitFor('the marker written by eslint.config.js', () => (fs.existsSync(s.file(MARKER)) ? s.file(MARKER) : undefined), 60_000);
      record('f', 'open → workspace config executed (trusted control)', performance.now() - opened);
      log(`marker: ${fs.readFileSync(marker, 'utf8').trim()}`);
    });
  });
});
