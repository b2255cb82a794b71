import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ensureBundled, ROOT } from './helpers/build';
import { AWAITED_FETCH_TS, DROPPED_FETCH_JS, DROPPED_FETCH_TS, tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const BIN = path.join(ROOT, 'bin/asyncguard.js');
const RULE = 'asyncguard/no-unawaited-promise';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function asyncguard(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('asyncguard CLI', function () {
  this.timeout(60_000);
  const projects: TempProject[] = [];
  const project = (files: Record<string, string>) => {
    const p = tempProject(files);
    projects.push(p);
    return p;
  };

  before(ensureBundled);
  after(() => projects.forEach((p) => p.remove()));

  describe('command line', () => {
    it('prints the version', async () => {
      const run = await asyncguard(ROOT, '--version');
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/u);
    });

    it('prints help', async () => {
      const run = await asyncguard(ROOT, '--help');
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^Usage: asyncguard/u);
      assert.match(run.stdout, /--format/u);
    });

    it('rejects a path that does not exist with exit 2 and one line', async () => {
      const p = project({ 'a.js': '' });
      const run = await asyncguard(p.dir, 'nope/missing.ts');
      assert.equal(run.code, 2);
      assert.equal(run.stderr, 'asyncguard: no such file or directory: nope/missing.ts\n');
      assert.equal(run.stdout, '');
    });

    it('rejects an unknown option with exit 2 and one line', async () => {
      const run = await asyncguard(ROOT, '--frobnicate');
      assert.equal(run.code, 2);
      assert.equal(run.stderr, 'asyncguard: unknown option --frobnicate (see asyncguard --help)\n');
    });

    it('rejects a bad --format with exit 2 and one line', async () => {
      const run = await asyncguard(ROOT, '--format', 'xml');
      assert.equal(run.code, 2);
      assert.equal(run.stderr, 'asyncguard: unknown format "xml" (expected stylish, json, sarif) (see asyncguard --help)\n');
    });

    it('rejects a bad --concurrency with exit 2', async () => {
      const run = await asyncguard(ROOT, '--concurrency', 'lots');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^asyncguard: bad --concurrency "lots"/u);
    });

    it('--typed without any tsconfig.json is an error, not a silent untyped run', async () => {
      const p = project({ 'a.js': DROPPED_FETCH_JS });
      const run = await asyncguard(p.dir, '--typed');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^asyncguard: typed linting was requested but no tsconfig\.json was found/u);
    });

    it('exits 2 when there is nothing to lint', async () => {
      const p = project({ 'README.md': '# nothing here\n' });
      const run = await asyncguard(p.dir);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^asyncguard: no JavaScript or TypeScript files to lint in \./u);
    });
  });

  describe('exit codes and what is linted', () => {
    it('exits 0 with no output on clean code (typed)', async () => {
      const p = project({ 'tsconfig.json': TSCONFIG, 'src/load.ts': AWAITED_FETCH_TS });
      const run = await asyncguard(p.dir);
      assert.equal(run.stderr, '');
      assert.equal(run.stdout, '');
      assert.equal(run.code, 0);
    });

    it('lints a file outside every tsconfig project untyped instead of failing to parse it', async () => {
      const p = project({
        'tsconfig.json': TSCONFIG,
        'src/load.ts': AWAITED_FETCH_TS,
        'scripts/release.mjs': 'export async function release() {\n  await Promise.resolve();\n}\n',
      });
      const run = await asyncguard(p.dir, '--format', 'json');
      assert.equal(run.code, 0, run.stdout);
      const results = JSON.parse(run.stdout) as { filePath: string; messages: unknown[] }[];
      assert.deepEqual(results.map((r) => path.relative(p.dir, r.filePath)).sort(), ['scripts/release.mjs', 'src/load.ts']);
      assert.deepEqual(results.flatMap((r) => r.messages), []);
    });

    it('skips node_modules, dist and build outputs (files there would not even parse)', async () => {
      const broken = 'export const = ;\n';
      const p = project({
        'src/ok.js': 'export const ok = 1;\n',
        'node_modules/dep/index.js': broken,
        'dist/out.js': broken,
        'build/out.js': broken,
        'coverage/lcov-report/x.js': broken,
        'src/types.d.ts': 'declare const x: = 1;\n',
      });
      const run = await asyncguard(p.dir);
      assert.equal(run.stdout, '');
      assert.equal(run.code, 0);
    });

    it('reports a file that does not parse, with exit 1', async () => {
      const p = project({ 'src/broken.ts': 'export const = ;\n' });
      const run = await asyncguard(p.dir);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /src\/broken\.ts\n\s+1:\d+\s+error\s+Parsing error/u);
    });

    it("ignores the workspace's disable comments for rules it does not load", async () => {
      const p = project({
        'tsconfig.json': TSCONFIG,
        'src/log.ts': [
          '// eslint-disable-next-line no-console',
          'console.log(1);',
          'export const x: unknown = 1; // eslint-disable-line @typescript-eslint/no-explicit-any',
          '',
        ].join('\n'),
      });
      const run = await asyncguard(p.dir);
      assert.equal(run.stdout, '');
      assert.equal(run.code, 0);
    });

    it('lints JSX in .jsx and .tsx files and modern syntax in .cjs/.mts', async () => {
      const p = project({
        'src/App.jsx': 'export const App = () => <div>hi</div>;\n',
        'src/View.tsx': 'export const View = (p: { n: number }) => <b>{p.n}</b>;\n',
        'src/conf.cjs': 'module.exports = { a: 1 };\n',
        'src/mod.mts': 'export const m = <T,>(x: T): T => x;\n',
      });
      const run = await asyncguard(p.dir, '--format', 'json');
      assert.equal(run.code, 0, run.stdout);
      assert.equal((JSON.parse(run.stdout) as unknown[]).length, 4);
    });
  });

  // The assertions below need the real no-unawaited-promise rule; they fail while it is a placeholder.
  describe('reports (needs the no-unawaited-promise rule)', () => {
    it('reports a dropped fetch() with exit 1 (typed)', async () => {
      const p = project({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS });
      const run = await asyncguard(p.dir);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`src/load\\.ts\\n\\s+2:3\\s+error\\s+.+\\s${RULE}\\n`, 'u'));
      assert.match(run.stdout, /✖ 1 problem \(1 error, 0 warnings\)/u);
    });

    it('reports a dropped fetch() with exit 1 (untyped, no tsconfig)', async () => {
      const p = project({ 'src/load.js': DROPPED_FETCH_JS });
      const run = await asyncguard(p.dir);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`src/load\\.js\\n\\s+2:3\\s+error\\s+.+\\s${RULE}\\n`, 'u'));
    });

    it('--no-typed reports in a typed project too', async () => {
      const p = project({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS });
      const run = await asyncguard(p.dir, '--no-typed');
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(RULE, 'u'));
    });

    it('stylish lists the suggestions under the problem', async () => {
      const p = project({ 'src/load.js': DROPPED_FETCH_JS });
      const run = await asyncguard(p.dir);
      const lines = run.stdout.split('\n');
      const problem = lines.findIndex((line) => line.includes(RULE));
      assert.ok(problem >= 0, run.stdout);
      const suggestions = lines.slice(problem + 1).filter((line) => /^\s+↳ suggestion: /u.test(line));
      assert.ok(suggestions.some((line) => /await/iu.test(line)), run.stdout);
    });

    it('--format json is ESLint JSON with the rule id', async () => {
      const p = project({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS });
      const run = await asyncguard(p.dir, '--format', 'json');
      assert.equal(run.code, 1, run.stderr);
      const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string; line: number; suggestions?: { desc: string }[] }[] }[];
      assert.equal(results.length, 1);
      assert.equal(results[0]!.filePath, p.path('src/load.ts'));
      assert.deepEqual(
        results[0]!.messages.map((m) => [m.ruleId, m.line]),
        [[RULE, 2]],
      );
      assert.ok(results[0]!.messages[0]!.suggestions?.some((s) => /await/iu.test(s.desc)));
    });

    it('--format sarif is a structurally valid SARIF 2.1.0 log', async () => {
      const p = project({ 'tsconfig.json': TSCONFIG, 'src/load.ts': DROPPED_FETCH_TS });
      const run = await asyncguard(p.dir, '--format', 'sarif');
      assert.equal(run.code, 1, run.stderr);
      const log = JSON.parse(run.stdout);
      assertSarifShape(log);
      const [sarifRun] = log.runs;
      assert.deepEqual(
        sarifRun.tool.driver.rules.map((r: { id: string }) => r.id),
        [RULE],
      );
      const [rule] = sarifRun.tool.driver.rules;
      assert.match(rule.helpUri, /^https:\/\/.+no-unawaited-promise/u);
      assert.equal(typeof rule.shortDescription.text, 'string');
      assert.equal(sarifRun.results.length, 1);
      const [result] = sarifRun.results;
      assert.equal(result.ruleId, RULE);
      assert.equal(result.ruleIndex, 0);
      assert.equal(result.level, 'error');
      assert.equal(typeof result.message.text, 'string');
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      assert.deepEqual(artifactLocation, { uri: 'src/load.ts', uriBaseId: '%SRCROOT%' });
      assert.equal(region.startLine, 2);
      assert.equal(region.startColumn, 3);
      assert.equal(region.endLine, 2);
      assert.ok(region.endColumn > region.startColumn);
    });

    it('--fix leaves a problem that has only suggestions (no autofix) unchanged', async () => {
      const p = project({ 'src/load.js': DROPPED_FETCH_JS });
      const run = await asyncguard(p.dir, '--fix');
      assert.equal(p.read('src/load.js'), DROPPED_FETCH_JS);
      assert.equal(run.code, 1, run.stdout + run.stderr);
    });

    it('--concurrency 2 gives the same results as a single thread', async () => {
      const files: Record<string, string> = { 'tsconfig.json': TSCONFIG };
      for (let i = 0; i < 6; i++) files[`src/load${i}.ts`] = i % 2 ? DROPPED_FETCH_TS : AWAITED_FETCH_TS;
      const p = project(files);
      const single = await asyncguard(p.dir, '--format', 'json');
      const threaded = await asyncguard(p.dir, '--format', 'json', '--concurrency', '2');
      const summary = (run: Run) =>
        (JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null; line: number }[] }[])
          .map((r) => [path.basename(r.filePath), r.messages.map((m) => `${m.ruleId}@${m.line}`)])
          .sort();
      assert.deepEqual(summary(threaded), summary(single));
      assert.equal(threaded.code, single.code);
      assert.equal(single.code, 1);
    });
  });

  describe('clean output formats', () => {
    it('--format sarif on clean code is a valid log with no results', async () => {
      const p = project({ 'tsconfig.json': TSCONFIG, 'src/load.ts': AWAITED_FETCH_TS });
      const run = await asyncguard(p.dir, '--format', 'sarif');
      assert.equal(run.code, 0, run.stderr);
      const log = JSON.parse(run.stdout);
      assertSarifShape(log);
      assert.deepEqual(log.runs[0].results, []);
    });

    it('--concurrency 2 runs a typed project through worker threads', async () => {
      const files: Record<string, string> = { 'tsconfig.json': TSCONFIG, 'outside.js': 'export const o = 1;\n' };
      for (let i = 0; i < 4; i++) files[`src/load${i}.ts`] = AWAITED_FETCH_TS;
      const p = project(files);
      const run = await asyncguard(p.dir, '--format', 'json', '--concurrency', '2');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal((JSON.parse(run.stdout) as unknown[]).length, 5);
    });
  });
});

/** The parts of SARIF 2.1.0 that consumers (GitHub code scanning, SARIF viewers) require. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function assertSarifShape(log: any): void {
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif.*2\.1\.0/u);
  assert.equal(log.runs.length, 1);
  const { driver } = log.runs[0].tool;
  assert.equal(driver.name, 'asyncguard');
  assert.match(driver.version, /^\d+\.\d+\.\d+/u);
  assert.match(driver.informationUri, /^https:\/\//u);
  assert.ok(Array.isArray(driver.rules));
  assert.ok(Array.isArray(log.runs[0].results));
  for (const result of log.runs[0].results) {
    assert.equal(typeof result.ruleId, 'string');
    assert.ok(['error', 'warning', 'note', 'none'].includes(result.level));
    assert.equal(typeof result.message.text, 'string');
    for (const location of result.locations) {
      assert.equal(typeof location.physicalLocation.artifactLocation.uri, 'string');
      assert.ok(location.physicalLocation.region.startLine >= 1);
    }
  }
}
