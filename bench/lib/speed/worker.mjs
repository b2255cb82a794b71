// One measured run of `bench/speed.mjs`, alone in its process so that peak RSS and CPU time belong
// to one configuration and no cache (programs, type checker, module state) carries over from another.
//
//   node bench/lib/speed/worker.mjs '<job JSON>'
//     { mode: 'batch', id, corpus: { tsconfig }, files: [path] }           lintFiles of the whole corpus
//     { mode: 'warm', id, corpus: { tsconfig }, file, warmUps, runs }      lintText of one file, repeatedly
//
// The result goes back over the IPC channel (stdout is left to whatever the libraries print).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ROOT, flatConfig, requireFromRoot } from './configs.mjs';
import { sumTimes } from './stats.mjs';

const KIB_PER_MIB = 1024;

function createEslint(job) {
  const { ESLint } = requireFromRoot('eslint');
  // allowInlineConfig: false, as the corpus benchmark does: the corpus's `eslint-disable` comments
  // name rules not loaded here and would add unused-directive warnings. Every rule still runs.
  return new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: flatConfig(job.id, job.corpus), stats: true, allowInlineConfig: false });
}

/** A message without a rule is a fatal parse error, "File ignored" or a directive problem: not a clean lint. */
function assertLinted(results) {
  for (const result of results) {
    const bad = result.messages.find((message) => message.ruleId === null);
    if (bad) throw new Error(`${result.filePath}: ${bad.fatal ? 'fatal' : `severity ${bad.severity}`} message without a rule: ${bad.message}`);
  }
}

function countProblems(results) {
  const problems = {};
  for (const result of results) for (const message of result.messages) problems[message.ruleId] = (problems[message.ruleId] ?? 0) + 1;
  return problems;
}

/** maxRSS is in KiB; read at the very end, it is the run's peak. */
function peakRssMiB() {
  return process.resourceUsage().maxRSS / KIB_PER_MIB;
}

function cpuMs(usage) {
  return (usage.user + usage.system) / 1000;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU time of this (the JavaScript) thread alone, or null off Linux. process.cpuUsage() also counts
 * V8's background threads (concurrent GC, optimizing compiler), which take about as much again.
 */
function mainThreadCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

async function batch(job) {
  const eslint = createEslint(job);
  const cpuStart = process.cpuUsage();
  const mainStart = mainThreadCpuMs();
  const start = performance.now();
  const results = await eslint.lintFiles(job.files);
  const wallMs = performance.now() - start;
  const cpu = cpuMs(process.cpuUsage(cpuStart));
  const mainEnd = mainThreadCpuMs();
  if (results.length !== job.files.length) throw new Error(`linted ${results.length} files, expected ${job.files.length}`);
  assertLinted(results);
  return { wallMs, cpuMs: cpu, mainThreadCpuMs: mainStart === null ? null : mainEnd - mainStart, processCpuMs: cpuMs(process.cpuUsage()), peakRssMiB: peakRssMiB(), files: results.length, problems: countProblems(results), times: sumTimes(results) };
}

async function lintOnce(eslint, text, file) {
  const start = performance.now();
  const results = await eslint.lintText(text, { filePath: file });
  const ms = performance.now() - start;
  assertLinted(results);
  return { ms, results };
}

/** The first lint builds the program (cold); the warm-ups and measured runs reuse it. */
async function warm(job) {
  const eslint = createEslint(job);
  const text = fs.readFileSync(job.file, 'utf8');
  const cold = await lintOnce(eslint, text, job.file);
  for (let i = 0; i < job.warmUps; i += 1) await lintOnce(eslint, text, job.file);
  const samples = [];
  const ruleMs = [];
  let last = cold;
  for (let i = 0; i < job.runs; i += 1) {
    last = await lintOnce(eslint, text, job.file);
    samples.push(last.ms);
    ruleMs.push(Object.values(sumTimes(last.results).groups).reduce((sum, ms) => sum + ms, 0));
  }
  return { coldMs: cold.ms, samples, ruleMs, peakRssMiB: peakRssMiB(), problems: countProblems(last.results) };
}

async function main() {
  const job = JSON.parse(process.argv[2]);
  const result = job.mode === 'batch' ? await batch(job) : await warm(job);
  process.send({ ok: true, result }, () => process.exit(0));
}

main().catch((error) => {
  process.send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
});
