// The lint-speed part of `npm run bench`: how long linting the typed mongodb corpus takes with no
// rules, with typescript-eslint's promise rules, with asyncguard's recommended rules, with both, and
// untyped. Every run is a fresh process (peak RSS and CPU per configuration, no shared caches), and
// the configurations are interleaved round by round so that load from elsewhere spreads over all.
//
//   node bench/speed.mjs [--rounds N] [--warm-runs N] [--warm-file path]
//
// Needs `npm run build` (the plugin is loaded from rules/dist). Prints markdown to stdout and writes
// bench/results/speed.md and bench/results/speed.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { installCorpora } from './install.mjs';
import { BENCH, TYPED_CORPORA, countLines, listFiles } from './lib/corpora.mjs';
import { CONFIGS, requireFromRoot } from './lib/speed/configs.mjs';
import { evaluateTargets, renderMarkdown, summarize, summarizeWarm } from './lib/speed/report.mjs';
import { runJob } from './lib/speed/runJob.mjs';

const CORPUS = TYPED_CORPORA.find((corpus) => corpus.packageName === 'mongodb');
/** mongodb 7.9.0 (pinned in bench/package.json) has 132 .ts files in src; another count means the corpus or the listing changed. */
const EXPECTED_FILES = 132;
/** The warm measurement lints a mid-size file: the one closest to this many lines, unless one is named. */
const WARM_TARGET_LINES = 450;
const WARM_CONFIGS = ['b', 'c'];
const RESULTS = path.join(BENCH, 'results');

const DEFAULTS = { rounds: 3, warmUps: 5, warmRuns: 30, warmFile: null, log: (line) => console.error(line) };

function corpusFiles() {
  const files = listFiles(CORPUS.under)
    .files.map((file) => file.path)
    .filter((file) => file.endsWith('.ts'));
  if (files.length !== EXPECTED_FILES) throw new Error(`${CORPUS.under}: ${files.length} .ts files, expected ${EXPECTED_FILES}`);
  return files.map((file) => ({ path: file, lines: countLines(fs.readFileSync(file, 'utf8')) }));
}

/** The named file, or the corpus file closest to WARM_TARGET_LINES lines (ties: the first by path). */
function pickWarmFile(files, named) {
  const file = named
    ? files.find((candidate) => candidate.path === path.resolve(named))
    : files.reduce((best, candidate) => (Math.abs(candidate.lines - WARM_TARGET_LINES) < Math.abs(best.lines - WARM_TARGET_LINES) ? candidate : best));
  if (!file) throw new Error(`--warm-file ${named} is not a file of the corpus`);
  return { ...file, relative: path.relative(path.join(CORPUS.under, '..', '..'), file.path) };
}

function machineInfo() {
  const version = (name) => requireFromRoot(`${name}/package.json`).version;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    nproc: os.availableParallelism(),
    loadStart: os.loadavg().map((load) => load.toFixed(2)),
    eslint: version('eslint'),
    typescriptEslint: version('typescript-eslint'),
    typescript: version('typescript'),
  };
}

function assertBuilt() {
  const entry = requireFromRoot.resolve('eslint-plugin-asyncguard');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
}

/**
 * The time of the newest file of the plugin's build (rules/dist). Compared before and after: a
 * rebuild during the run means the runs did not all measure the same code.
 */
function pluginBuildTime() {
  const dist = path.dirname(requireFromRoot.resolve('eslint-plugin-asyncguard'));
  const newest = fs
    .readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((latest, entry) => Math.max(latest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs), 0);
  return new Date(newest).toISOString();
}

/** Round r runs the configurations rotated by r, so that no configuration always runs first or last. */
function roundOrder(round) {
  return CONFIGS.map((_, index) => CONFIGS[(index + round) % CONFIGS.length]);
}

async function runRounds(options, corpus, files, log) {
  const runs = [];
  for (let round = 0; round < options.rounds; round += 1) {
    for (const config of roundOrder(round)) {
      // Other work on the machine shows up here; kept per run so that a slow run can be explained.
      const loadBefore = os.loadavg()[0];
      const result = await runJob({ mode: 'batch', id: config.id, corpus, files }, { singleRun: true });
      log(`speed: round ${round + 1}/${options.rounds} (${config.id}) wall ${Math.round(result.wallMs)} ms, CPU ${Math.round(result.cpuMs)} ms, peak RSS ${Math.round(result.peakRssMiB)} MiB, load before ${loadBefore.toFixed(2)}`);
      runs.push({ id: config.id, round: round + 1, loadBefore, result });
    }
  }
  return runs;
}

async function runWarm(options, corpus, warmFile, log) {
  const warmRuns = [];
  for (const id of WARM_CONFIGS) {
    const job = { mode: 'warm', id, corpus, file: warmFile.path, warmUps: options.warmUps, runs: options.warmRuns };
    const result = await runJob(job, { singleRun: false });
    log(`speed: warm (${id}) ${warmFile.relative}: first ${Math.round(result.coldMs)} ms, then ${result.samples.length} runs`);
    warmRuns.push({ id, result });
  }
  return warmRuns;
}

/** Runs the whole measurement: `{ markdown, json }`. Writes nothing (see writeSpeedResults). */
export async function runSpeedBench(options = {}) {
  const settings = { ...DEFAULTS, ...options };
  const { log } = settings;
  installCorpora();
  assertBuilt();
  const files = corpusFiles();
  const warmFile = pickWarmFile(files, settings.warmFile);
  const machine = { ...machineInfo(), pluginBuildAtStart: pluginBuildTime() };
  const corpus = { name: CORPUS.name, tsconfig: CORPUS.tsconfig, files: files.length, lines: files.reduce((sum, file) => sum + file.lines, 0) };
  log(`speed: ${corpus.name}, ${corpus.files} files, ${corpus.lines} lines; ${settings.rounds} rounds of ${CONFIGS.length} configurations; load average ${machine.loadStart.join(' ')}`);

  const jobCorpus = { tsconfig: CORPUS.tsconfig };
  const runs = await runRounds(settings, jobCorpus, files.map((file) => file.path), log);
  const warmRuns = await runWarm(settings, jobCorpus, warmFile, log);
  machine.loadEnd = os.loadavg().map((load) => load.toFixed(2));
  machine.pluginBuildAtEnd = pluginBuildTime();

  const summary = summarize(runs);
  const warm = summarizeWarm(warmRuns);
  const targets = evaluateTargets(summary);
  const runOptions = { rounds: settings.rounds, warmUps: settings.warmUps, warmRuns: settings.warmRuns };
  const warmFileInfo = { path: warmFile.path, relative: warmFile.relative, lines: warmFile.lines };
  const markdown = renderMarkdown({ machine, corpus, options: runOptions, summary, warm, warmFile: warmFileInfo, targets, runs });
  const json = { machine, corpus, options: runOptions, configs: CONFIGS, summary, warm, warmFile: warmFileInfo, targets, runs, warmRuns };
  return { markdown, json };
}

export function writeSpeedResults({ markdown, json }) {
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'speed.md'), markdown);
  fs.writeFileSync(path.join(RESULTS, 'speed.json'), JSON.stringify(json, null, 2) + '\n');
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string' }, 'warm-runs': { type: 'string' }, 'warm-file': { type: 'string' } },
  });
  const positive = (value, name) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
    return number;
  };
  return {
    ...(values.rounds !== undefined && { rounds: positive(values.rounds, 'rounds') }),
    ...(values['warm-runs'] !== undefined && { warmRuns: positive(values['warm-runs'], 'warm-runs') }),
    ...(values['warm-file'] !== undefined && { warmFile: values['warm-file'] }),
  };
}

async function main() {
  const report = await runSpeedBench(parseOptions(process.argv.slice(2)));
  process.stdout.write(report.markdown);
  writeSpeedResults(report);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
