// `npm run bench:corpus`: asyncguard on real-world code from the npm registry (bench/package.json,
// exact versions, installed into bench/node_modules by bench/install.mjs when missing).
//
// What it measures, with every rule of the plugin (configs.strict = recommended + strict-only rules):
//   1. Crash-free at scale: every .js/.mjs/.cjs/.ts/.mts/.cts file of bench/node_modules (declaration
//      files aside; files over 1 MB and minified files skipped, and listed), linted UNTYPED with the
//      typescript-eslint parser, in worker threads. A crash is an exception out of a rule (or any
//      message that is not a rule's report nor a parse error, or a file that hangs for 2 minutes).
//      Parse errors of the corpus files themselves (syntax errors kept as test fixtures, templates,
//      Flow) are counted apart.
//   2. Fix-safe: every autofix and every suggestion those lints produce is applied ALONE to the original
//      text and the result parsed again (same parser; plus espree for JavaScript and TypeScript's grammar
//      checks for TypeScript, counting only errors the original does not have). Any failure is a
//      broken fix.
//   3. Typed corpora, TypeScript sources shipped by mongodb and @grpc/grpc-js, each through a tsconfig
//      of bench/corpora: the same lint with type information, and every fix also type-checked by a
//      TypeScript language service (the fixed file's errors against the original file's: an error the
//      original does not have makes the fix broken).
//
// How to read the table: one row per corpus (packages as published, without their own dependencies)
// and a last row for everything in bench/node_modules, transitive dependencies included. `time` is the
// sum of the per-file lint times on one thread (fix checks not included); the last row's is the wall
// time of the whole run on all workers. Crashes and broken fixes must be 0 (the exit code is 1
// otherwise); problems found are not judged here (precision is a separate audit).
// The table is printed and written to bench/results/corpus.md, the details to bench/results/corpus.json.
//
//   node bench/corpus.mjs [--workers N] [--sample N] [--no-typecheck-fixes]
//     --sample N              lint every Nth untyped file only (faster; says so in the output)
//     --no-typecheck-fixes    skip the language-service check of the typed corpora's fixes
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { BENCH, CORPORA, NODE_MODULES, TYPED_CORPORA, corpusOf, installedVersion, listFiles, sourceTypeOf } from './lib/corpora.mjs';
import { installCorpora } from './install.mjs';

const ROOT = path.dirname(BENCH);
const RESULTS_DIR = path.join(BENCH, 'results');
const CHUNK_SIZE = 100;
/** A file that lints this long without finishing is a hang: the worker is replaced and the file counted as a crash. */
const HANG_MS = 120_000;
const ALL_ROW = 'all of bench/node_modules';

async function main() {
  const options = parseOptions();
  ensurePluginBuilt();
  installCorpora();
  const started = performance.now();
  const { files, skipped, sampled } = pickFiles(options.sample);
  console.error(`bench: linting ${TYPED_CORPORA.length} typed corpora and ${files.length} files untyped on ${options.workers} worker(s)...`);
  const jobs = [
    ...TYPED_CORPORA.map((corpus) => ({ kind: 'typed', name: corpus.name, tsconfig: corpus.tsconfig, under: corpus.under, typeCheckFixes: options.typeCheckFixes })),
    ...chunk(files, CHUNK_SIZE).map((part) => ({ kind: 'untyped', files: part })),
  ];
  const outcome = await runJobs(jobs, options.workers, files.length);
  const wallMs = performance.now() - started;
  const report = buildReport({ outcome, skipped, sampled, wallMs, options });
  const markdown = renderMarkdown(report);
  console.log(markdown);
  writeResults(report, markdown);
  if (report.failed) process.exitCode = 1;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: String(Math.max(1, Math.min(os.availableParallelism(), 4))) },
      sample: { type: 'string', default: '1' },
      'no-typecheck-fixes': { type: 'boolean', default: false },
    },
  });
  return { workers: positiveInt(values.workers, '--workers'), sample: positiveInt(values.sample, '--sample'), typeCheckFixes: !values['no-typecheck-fixes'] };
}

function positiveInt(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer, not ${text}`);
  return value;
}

function ensurePluginBuilt() {
  if (!fs.existsSync(path.join(ROOT, 'rules', 'dist', 'index.js'))) {
    throw new Error('rules/dist is missing: run `npm run build` first (or `npm run bench:corpus`, which builds the plugin).');
  }
}

/** The untyped files to lint, every `sample`th one when sampling. */
function pickFiles(sample) {
  const { files, skipped } = listFiles();
  const picked = files.filter((_, index) => index % sample === 0).map((file) => ({ path: file.path, sourceType: sourceTypeOf(file.path) }));
  return { files: picked, skipped, sampled: sample > 1 ? { every: sample, of: files.length } : null };
}

function chunk(items, size) {
  const chunks = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Runs the jobs on `count` workers, one job at a time each, and collects `{ untyped, typed, hangs }`
 * (`typed`: the output of each typed job, by corpus name).
 * A worker that makes no progress for HANG_MS is terminated; its current file is a hang, and the
 * other files of its job go back to the queue.
 */
function runJobs(jobs, count, totalFiles) {
  const queue = [...jobs];
  const untyped = [];
  const typed = new Map();
  const hangs = [];
  let done = 0;
  let nextProgress = 0.1;
  const workers = new Set();
  let stopped = false;
  return new Promise((resolve, reject) => {
    let running = 0;
    const fail = (error) => {
      stopped = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const startWorker = () => {
      if (stopped) return;
      const job = queue.shift();
      if (!job) {
        if (running === 0) resolve({ untyped, typed, hangs });
        return;
      }
      running += 1;
      const worker = new Worker(new URL('./lib/worker.mjs', import.meta.url));
      workers.add(worker);
      let current = { job, file: null };
      let watchdog;
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          hangs.push({ path: current.file, job: current.job.kind === 'typed' ? current.job.name : 'untyped' });
          // Results come per job: lint the job again in a new worker, without the file that hung.
          const rest = current.job.kind === 'untyped' ? current.job.files.filter((file) => file.path !== current.file) : [];
          if (rest.length > 0) queue.unshift({ kind: 'untyped', files: rest });
          void worker.terminate();
        }, HANG_MS);
      };
      const finish = () => {
        clearTimeout(watchdog);
        running -= 1;
        startWorker();
      };
      worker.on('message', (message) => {
        arm();
        if (message.type === 'file') {
          current.file = message.path;
        } else if (message.type === 'failed') {
          clearTimeout(watchdog);
          fail(new Error(`a worker failed outside any rule:\n${message.error}`));
        } else if (message.type === 'done') {
          if (current.job.kind === 'typed') typed.set(current.job.name, message);
          else {
            untyped.push(...message.results);
            done += message.results.length;
            if (done / totalFiles >= nextProgress) {
              console.error(`bench: ${done}/${totalFiles} untyped files`);
              nextProgress += 0.1;
            }
          }
          const next = queue.shift();
          if (next) {
            current = { job: next, file: null };
            worker.postMessage(next);
          } else {
            clearTimeout(watchdog);
            void worker.terminate();
          }
        }
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', () => {
        workers.delete(worker);
        finish();
      });
      arm();
      worker.postMessage(job);
    };
    for (let i = 0; i < count; i += 1) startWorker();
  });
}

/** Sums of the per-file results of one row. */
function emptyRow(name) {
  return { corpus: name, files: 0, lines: 0, lintMs: 0, fixMs: 0, crashes: 0, parseErrors: 0, fixesTried: 0, fixesBroken: 0, problems: {} };
}

function addFile(row, result) {
  row.files += 1;
  row.lines += result.lines;
  row.lintMs += result.ms;
  row.fixMs += result.fixMs;
  if (result.crash) row.crashes += 1;
  if (result.parseError) row.parseErrors += 1;
  row.fixesTried += result.fixesTried;
  row.fixesBroken += result.broken.length;
  for (const [rule, count] of Object.entries(result.problems)) row.problems[rule] = (row.problems[rule] ?? 0) + count;
}

function versionLabel(corpus) {
  const versions = corpus.packages.filter((name) => !name.endsWith('/')).map((name) => installedVersion(name)).filter(Boolean);
  return versions.length > 0 ? `${corpus.name} ${[...new Set(versions)].join('/')}` : corpus.name;
}

function buildReport({ outcome, skipped, sampled, wallMs, options }) {
  const linted = outcome.untyped.filter((result) => !result.skipped);
  const allSkipped = [...skipped, ...outcome.untyped.filter((result) => result.skipped).map((result) => ({ path: result.path, reason: result.skipped }))];
  const rows = new Map(CORPORA.map((corpus) => [corpus.name, emptyRow(versionLabel(corpus))]));
  const all = emptyRow(ALL_ROW);
  for (const result of linted) {
    addFile(all, result);
    const name = corpusOf(result.path);
    if (name) addFile(rows.get(name), result);
  }
  all.crashes += outcome.hangs.length;
  all.lintMs = wallMs;
  const typed = TYPED_CORPORA.map((corpus) => {
    const output = outcome.typed.get(corpus.name);
    const row = emptyRow(`${corpus.name} ${installedVersion(corpus.packageName)}`);
    for (const result of output?.results ?? []) addFile(row, result);
    return {
      row,
      programMs: output?.programMs ?? 0,
      baselineTypeErrors: output?.baselineErrors ?? 0,
      fixesTypeChecked: (output?.results ?? []).reduce((sum, result) => sum + result.typeChecked, 0),
      typeCheckFixes: options.typeCheckFixes,
    };
  });
  const everything = [...linted, ...[...outcome.typed.values()].flatMap((output) => output.results)];
  const crashes = [
    ...everything.filter((result) => result.crash).map((result) => ({ ...result.crash, file: inCorpus(result.crash.file) })),
    ...outcome.hangs.map((hang) => ({ rule: null, message: `hang: no progress for ${HANG_MS / 1000} s (${hang.path ? 'linting' : 'building the program of'} ${hang.job})`, file: inCorpus(hang.path) })),
  ];
  const brokenFixes = everything.flatMap((result) => result.broken.map((fix) => ({ file: inCorpus(result.path), ...fix })));
  const parseErrors = everything.filter((result) => result.parseError).map((result) => ({ file: inCorpus(result.path), error: result.parseError }));
  return {
    date: new Date().toISOString(),
    machine: machine(),
    plugin: readPluginVersion(),
    wallMs,
    sampled,
    workers: options.workers,
    rows: [...typed.map((corpus) => corpus.row), ...rows.values(), all],
    typed,
    skipped: allSkipped.map((skip) => ({ file: inCorpus(skip.path), reason: skip.reason })),
    crashes,
    brokenFixes,
    parseErrors,
    failed: crashes.length > 0 || brokenFixes.length > 0,
  };
}

/** Paths in the results are relative to bench/node_modules: the same on every machine. */
function inCorpus(file) {
  return file ? path.relative(NODE_MODULES, file) : file;
}

function readPluginVersion() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'rules', 'package.json'), 'utf8')).version;
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // not Linux: os.availableParallelism() it is
  }
  return { node: process.version, nproc, cpu, os: `${os.type()} ${os.release()} ${os.arch()}` };
}

function formatMs(ms) {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

const number = (value) => value.toLocaleString('en-US');

function renderMarkdown(report) {
  const lines = [
    `# asyncguard corpus benchmark`,
    '',
    `${report.date.slice(0, 10)} · eslint-plugin-asyncguard ${report.plugin} · Node ${report.machine.node} · nproc ${report.machine.nproc} · ${report.machine.cpu} · ${report.workers} worker(s)`,
    '',
    'Every rule (configs.strict). Rows: packages as published, untyped unless marked; the last row is every file of bench/node_modules, transitive dependencies included.',
    '`time`: sum of per-file lint times on one thread; last row: wall time of the whole run. Crashes and broken fixes must be 0.',
    '',
    '| corpus | files | lines | time | crashes | parse errors | fixes tried | fixes broken |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows.map((row) => `| ${row.corpus} | ${number(row.files)} | ${number(row.lines)} | ${formatMs(row.lintMs)} | ${row.crashes} | ${row.parseErrors} | ${number(row.fixesTried)} | ${row.fixesBroken} |`),
    '',
    ...notes(report),
  ];
  return lines.join('\n') + '\n';
}

function notes(report) {
  const out = [];
  if (report.sampled) out.push(`- **Sampled**: every ${report.sampled.every}th untyped file of ${number(report.sampled.of)} (\`--sample\`).`);
  for (const { row, programMs, baselineTypeErrors, fixesTypeChecked, typeCheckFixes } of report.typed) {
    out.push(
      typeCheckFixes
        ? `- ${row.corpus}: program built in ${formatMs(programMs)}; ${baselineTypeErrors} type error(s) before any fix (the corpus's own under this TypeScript); ${fixesTypeChecked} fix(es) type-checked by a language service, and none may add an error to its file.`
        : `- ${row.corpus}: program built in ${formatMs(programMs)}; fixes parsed again but not type-checked (\`--no-typecheck-fixes\`).`,
    );
  }
  out.push(`- Skipped: ${report.skipped.length} file(s) over 1 MB or minified${report.skipped.length > 0 ? ` (${report.skipped.slice(0, 5).map((skip) => `${skip.file}: ${skip.reason}`).join('; ')}${report.skipped.length > 5 ? '; ...' : ''})` : ''}.`);
  const problems = report.rows.at(-1).problems;
  const perRule = (counts) => Object.entries(counts).map(([rule, count]) => `${rule.replace('asyncguard/', '')} ${number(count)}`).join(', ') || 'none';
  out.push(`- Problems reported (not judged here): all of bench/node_modules untyped: ${perRule(problems)}; ${report.typed.map(({ row }) => `${row.corpus}: ${perRule(row.problems)}`).join('; ')}.`);
  if (report.parseErrors.length > 0) out.push(`- Parse errors (the corpus's, not crashes): ${report.parseErrors.slice(0, 5).map((p) => `${p.file} (${p.error.split('\n')[0]})`).join('; ')}${report.parseErrors.length > 5 ? '; ...' : ''}.`);
  for (const crash of report.crashes.slice(0, 20)) out.push(`- **Crash** ${crash.rule ?? '(no rule)'} in ${crash.file ?? '(no file)'}${crash.line ? `:${crash.line}` : ''}: ${crash.message}`);
  for (const fix of report.brokenFixes.slice(0, 20)) out.push(`- **Broken fix** ${fix.rule} ${fix.kind} "${fix.desc}" at ${fix.file}:${fix.line}: ${fix.why}`);
  return out;
}

function writeResults(report, markdown) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'corpus.json'), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(RESULTS_DIR, 'corpus.md'), markdown);
  console.error(`bench: wrote ${path.relative(ROOT, path.join(RESULTS_DIR, 'corpus.md'))} and corpus.json`);
}

main().catch((error) => {
  console.error(`bench:corpus: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
