/**
 * The language server in a real editor: headless Neovim (0.7.2+, `apt-get install -y neovim`) with
 * the configuration README.md gives its users, driven by test/neovim/lsp-check.lua. Neovim opens a
 * file, receives the server's diagnostics, asks for code actions, applies one, writes the file and
 * sees the server re-lint it. The driver reports each step as a JSON line; see its header.
 */
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DIST, ensureBundled, ROOT } from '../server/tests/helpers/build';
import { DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from '../server/tests/helpers/tempProject';

const DRIVER = path.join(ROOT, 'test/neovim/lsp-check.lua');
const RULE = 'asyncguard/no-unawaited-promise';
/** The driver's limit for each of its waits; the first lint builds a TypeScript program. */
const STEP_TIMEOUT_MS = 30_000;
/** The whole nvim run: the driver never waits longer than a few steps, so this only catches a hang. */
const NVIM_TIMEOUT_MS = 90_000;

/** One line of the driver's report. */
interface ReportEvent {
  event: string;
  [field: string]: unknown;
}

interface NvimRun {
  /** nvim's exit code (the driver's: 0 or one code per failed step); null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  report: ReportEvent[];
  /** Everything a failing assertion should show: the report, nvim's output, Neovim's LSP log. */
  transcript: string;
}

/** Fails (never skips) without a Neovim 0.7+ on PATH: CI installs one. */
function requireNvim(): void {
  const install = 'Install it with `apt-get install -y neovim` (.ci/run does).';
  let version: string;
  try {
    version = execFileSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0]!;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'nvim is not on PATH' : `nvim --version failed: ${String(error)}`;
    throw new Error(`${reason}. This test drives a real Neovim (0.7+) as the language server's client. ${install}`, { cause: error });
  }
  const [major = 0, minor = 0] = (/v(\d+)\.(\d+)/u.exec(version) ?? []).slice(1).map(Number);
  assert.ok(major > 0 || minor >= 7, `${version}: this test needs Neovim 0.7 or later. ${install}`);
}

/** Runs the driver on `file` in its own Neovim state (XDG_* and logs in a temp folder). */
function runNvim(file: string, action: string, state: string): Promise<NvimRun> {
  const out = path.join(state, 'report.jsonl');
  const env = {
    ...process.env,
    HOME: state,
    XDG_CONFIG_HOME: path.join(state, 'config'),
    XDG_DATA_HOME: path.join(state, 'data'),
    XDG_STATE_HOME: path.join(state, 'state'),
    XDG_CACHE_HOME: path.join(state, 'cache'),
    NVIM_LOG_FILE: path.join(state, 'nvim.log'),
    ASYNCGUARD_SERVER: path.join(DIST, 'server.js'),
    ASYNCGUARD_NODE: process.execPath,
    ASYNCGUARD_OUT: out,
    ASYNCGUARD_RULE: RULE,
    ASYNCGUARD_ACTION: action,
    ASYNCGUARD_TRUSTED: 'true',
    ASYNCGUARD_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
  };
  const args = ['--headless', '-n', '-i', 'NONE', '-u', DRIVER, file];
  return new Promise((resolve) => {
    execFile('nvim', args, { cwd: path.dirname(file), env, timeout: NVIM_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
      const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
      const report = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ReportEvent);
      const lspLog = path.join(state, 'cache/nvim/lsp.log');
      const transcript = [
        `nvim ${args.join(' ')}`,
        `exit ${failure ? `${String(failure.code)} signal ${String(failure.signal)}${failure.killed ? ' (killed after the timeout)' : ''}` : 0}`,
        `--- report (${out})`,
        text || '(empty)',
        `--- stdout\n${stdout}--- stderr\n${stderr}`,
        `--- ${lspLog}`,
        fs.existsSync(lspLog) ? fs.readFileSync(lspLog, 'utf8').slice(-4000) : '(none)',
      ].join('\n');
      resolve({
        code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
        signal: failure?.signal ?? null,
        timedOut: failure?.killed === true,
        stdout,
        stderr,
        report,
        transcript,
      });
    });
  });
}

function events(run: NvimRun, name: string): ReportEvent[] {
  return run.report.filter((e) => e.event === name);
}

function only(run: NvimRun, name: string): ReportEvent {
  const found = events(run, name);
  assert.equal(found.length, 1, `one "${name}" event in the report\n${run.transcript}`);
  return found[0]!;
}

/**
 * A server Neovim did not stop (a failed step, or nvim killed by the timeout) must not outlive the
 * test: killed by the pid the driver reported, if that pid is still our server.
 */
function killServer(run: NvimRun | undefined): void {
  if (!run || run.report.some((e) => e.event === 'stopped')) return;
  const pid = run.report.find((e) => e.event === 'attached')?.server_pid;
  if (typeof pid !== 'number') return;
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(DIST, 'server.js'))) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('Neovim as the client (headless nvim, real LSP)', function () {
  this.timeout(NVIM_TIMEOUT_MS + 30_000);
  this.slow(15_000);
  let project: TempProject | undefined;
  let state: string | undefined;
  let run: NvimRun | undefined;

  before(() => {
    ensureBundled();
    requireNvim();
  });

  afterEach(() => {
    killServer(run);
    project?.remove();
    if (state) fs.rmSync(state, { recursive: true, force: true });
    project = state = run = undefined;
  });

  async function check(action: string): Promise<NvimRun> {
    project = tempProject({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS });
    state = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asyncguard-nvim-')));
    run = await runNvim(project.path('src/load.ts'), action, state);
    assert.ok(!run.timedOut, `nvim was killed after ${NVIM_TIMEOUT_MS} ms\n${run.transcript}`);
    assert.equal(run.code, 0, `nvim exits 0 when every step passed\n${run.transcript}`);
    return run;
  }

  it('shows the diagnostic, lists the quick fixes, applies "Add `await`." and re-lints the saved file', async () => {
    const result = await check('Add `await`.');
    assert.equal(only(result, 'attached').root_dir, project!.dir, 'the root is the folder with tsconfig.json');

    // `fetch(url)` on line 2, column 3 (0-based 1 and 2), as Neovim stores it.
    const diagnostics = events(result, 'diagnostic').map(({ lnum, col, end_lnum, end_col, source, code }) => ({ lnum, col, end_lnum, end_col, source, code }));
    assert.deepEqual(diagnostics, [{ lnum: 1, col: 2, end_lnum: 1, end_col: 12, source: 'asyncguard', code: RULE }], result.transcript);

    const titles = only(result, 'actions').titles as string[];
    for (const title of [
      'Add `await`.',
      'Mark it fire-and-forget with `void`.',
      `Disable ${RULE} for this line`,
      `Show documentation for ${RULE}`,
    ]) {
      assert.ok(titles.includes(title), `code action "${title}" offered; got ${JSON.stringify(titles)}`);
    }

    assert.equal(project!.read('src/load.ts'), DROPPED_FETCH_TS.replace('fetch(url);', 'await fetch(url);'), 'the fix is written to disk');
    // The server re-linted the fixed text: the dropped promise is gone. (Awaiting the fetch hands
    // over a Response whose body nobody reads, which no-unclosed-session may report next.)
    const afterFix = only(result, 'after-fix');
    const remaining = (afterFix.diagnostics as { code: string }[]).map((d) => d.code);
    assert.ok(!remaining.includes(RULE), `${RULE} cleared after the fix; still: ${JSON.stringify(afterFix)}`);
    const stopped = only(result, 'stopped');
    assert.deepEqual([stopped.code, stopped.signal], [0, 0], `the server exits 0 on shutdown/exit\n${result.transcript}`);
  });

  it('clears every diagnostic after "Mark it fire-and-forget with `void`."', async () => {
    const result = await check('Mark it fire-and-forget with `void`.');
    assert.equal(project!.read('src/load.ts'), DROPPED_FETCH_TS.replace('fetch(url);', 'void fetch(url);'), 'the fix is written to disk');
    assert.deepEqual(only(result, 'after-fix').diagnostics, [], `no diagnostics after the fix\n${result.transcript}`);
  });
});
