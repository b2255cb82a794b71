// Summaries, targets and the markdown of `bench/speed.mjs`.
import { CONFIGS, configById } from './configs.mjs';
import { median, percentile, spread } from './stats.mjs';

/** The targets: read from the measured medians, never from constants of expected results. */
const CPU_RATIO_TARGET = 0.65;
const RULE_SHARE_TARGET = 0.1;

/** `{ [id]: summary }` of the batch runs, each `{ id, round, result }`. */
export function summarize(runs) {
  const summary = {};
  for (const { id } of CONFIGS) {
    const results = runs.filter((run) => run.id === id).map((run) => run.result);
    if (results.length === 0) continue;
    const ruleIds = [...new Set(results.flatMap((result) => Object.keys(result.times.rules)))].sort();
    const groups = [...new Set(results.flatMap((result) => Object.keys(result.times.groups)))].sort();
    summary[id] = {
      runs: results.length,
      files: results[0].files,
      wallMs: spread(results.map((result) => result.wallMs)),
      cpuMs: spread(results.map((result) => result.cpuMs)),
      mainThreadCpuMs: results.every((result) => result.mainThreadCpuMs !== null) ? spread(results.map((result) => result.mainThreadCpuMs)) : null,
      peakRssMiB: spread(results.map((result) => result.peakRssMiB)),
      parseMs: spread(results.map((result) => result.times.parse)),
      rulesMs: spread(results.map((result) => sumValues(result.times.groups))),
      groupsMs: Object.fromEntries(groups.map((group) => [group, spread(results.map((result) => result.times.groups[group] ?? 0))])),
      perRuleMs: Object.fromEntries(ruleIds.map((ruleId) => [ruleId, spread(results.map((result) => result.times.rules[ruleId] ?? 0))])),
      problems: results[0].problems,
      // Every run lints the same text with the same rules: differing reports mean a harness bug.
      problemsStable: results.every((result) => JSON.stringify(result.problems) === JSON.stringify(results[0].problems)),
    };
  }
  return summary;
}

function sumValues(record) {
  return Object.values(record).reduce((sum, value) => sum + value, 0);
}

/** `{ [id]: { coldMs, p50, p95, min, max, rulesP50, peakRssMiB, problems } }` of the warm runs. */
export function summarizeWarm(warmRuns) {
  return Object.fromEntries(
    warmRuns.map(({ id, result }) => [
      id,
      {
        coldMs: result.coldMs,
        runs: result.samples.length,
        p50: percentile(result.samples, 50),
        p95: percentile(result.samples, 95),
        min: Math.min(...result.samples),
        max: Math.max(...result.samples),
        rulesP50: median(result.ruleMs),
        peakRssMiB: result.peakRssMiB,
        problems: result.problems,
      },
    ]),
  );
}

export function evaluateTargets(summary) {
  const targets = [];
  const { b, c } = summary;
  if (b && c) {
    const limit = CPU_RATIO_TARGET * b.cpuMs.median;
    targets.push({
      name: `typed (c) CPU time ≤ ${CPU_RATIO_TARGET} × (b) CPU time`,
      holds: c.cpuMs.median <= limit,
      text: `(c) ${ms(c.cpuMs.median)} ms vs ${CPU_RATIO_TARGET} × (b) ${ms(b.cpuMs.median)} ms = ${ms(limit)} ms (ratio ${(c.cpuMs.median / b.cpuMs.median).toFixed(2)})`,
    });
  }
  if (c) {
    const own = c.groupsMs.asyncguard?.median ?? 0;
    const limit = RULE_SHARE_TARGET * c.wallMs.median;
    targets.push({
      name: `asyncguard rules' own TIMING total ≤ ${RULE_SHARE_TARGET * 100}% of (c)'s wall time`,
      holds: own <= limit,
      text: `${ms(own)} ms vs ${RULE_SHARE_TARGET * 100}% of ${ms(c.wallMs.median)} ms = ${ms(limit)} ms (${((100 * own) / c.wallMs.median).toFixed(1)}%)`,
    });
  }
  return targets;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function ms(value) {
  return integer.format(value);
}

function range({ median: middle, min, max }) {
  return `${ms(middle)} (${ms(min)}–${ms(max)})`;
}

function problemCount(problems) {
  return ms(sumValues(problems));
}

/** The rules' own time; split by rule set when a configuration runs more than one. */
function rulesCell(entry) {
  const groups = Object.entries(entry.groupsMs);
  if (groups.length === 0) return '—';
  if (groups.length === 1) return `${ms(entry.rulesMs.median)} (${groups[0][0]})`;
  return `${ms(entry.rulesMs.median)} (${groups.map(([group, times]) => `${group} ${ms(times.median)}`).join(', ')})`;
}

function mainTable(summary) {
  const lines = [
    "| configuration | wall ms | CPU ms | main-thread CPU ms | peak RSS MiB | parse ms | rules' own ms | problems |",
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [id, entry] of Object.entries(summary)) {
    const mainThread = entry.mainThreadCpuMs ? range(entry.mainThreadCpuMs) : 'n/a';
    const cells = [configById(id).label, range(entry.wallMs), range(entry.cpuMs), mainThread, range(entry.peakRssMiB), ms(entry.parseMs.median), rulesCell(entry), problemCount(entry.problems)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function perRuleTable(summary) {
  const lines = ['| rule | configuration | median ms | min–max ms |', '|---|---|---:|---:|'];
  for (const [id, entry] of Object.entries(summary)) {
    for (const [ruleId, times] of Object.entries(entry.perRuleMs)) lines.push(`| ${ruleId} | ${id} | ${ms(times.median)} | ${ms(times.min)}–${ms(times.max)} |`);
  }
  return lines;
}

function warmTable(warm) {
  const lines = ['| configuration | first lint ms (builds the program) | p50 ms | p95 ms | min–max ms | rules\' own ms p50 | peak RSS MiB |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const [id, entry] of Object.entries(warm)) {
    lines.push(`| ${configById(id).label} | ${ms(entry.coldMs)} | ${ms(entry.p50)} | ${ms(entry.p95)} | ${ms(entry.min)}–${ms(entry.max)} | ${ms(entry.rulesP50)} | ${ms(entry.peakRssMiB)} |`);
  }
  return lines;
}

/** Notes the reader needs to trust the table, computed from the runs. */
function warnings(summary, machine) {
  const notes = [];
  if (machine.pluginBuildAtStart !== machine.pluginBuildAtEnd) {
    notes.push(`- WARNING: the plugin build (rules/dist) changed during the run (newest file ${machine.pluginBuildAtStart}, then ${machine.pluginBuildAtEnd}): the runs did not all measure the same code.`);
  }
  for (const [id, entry] of Object.entries(summary)) {
    if (!entry.problemsStable) notes.push(`- WARNING: (${id}) reported different problems in different rounds.`);
  }
  return notes;
}

export function renderMarkdown({ machine, corpus, options, summary, warm, warmFile, targets, runs }) {
  const loads = runs.map((run) => run.loadBefore);
  const header = [
    `## Lint speed: ${corpus.name}, ${ms(corpus.files)} files, ${ms(corpus.lines)} lines`,
    '',
    `${machine.date} · plugin build of ${machine.pluginBuildAtStart} · Node ${machine.node} · ${machine.cpu} · nproc ${machine.nproc} · load average at start ${machine.loadStart.join(' ')}, at end ${machine.loadEnd.join(' ')} (1-minute load before each run: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)})`,
    '',
    [
      `${options.rounds} rounds, configurations interleaved (rotated each round), each run in its own process; ESLint ${machine.eslint}, typescript-eslint ${machine.typescriptEslint}, TypeScript ${machine.typescript}.`,
      'Values are medians (min–max).',
      'Typed runs use `parserOptions.project` with the corpus tsconfig and TSESTREE_SINGLE_RUN=true, as an `eslint` CLI run does.',
      'CPU is user + system of the worker process during `lintFiles` (`process.cpuUsage()`, all threads);',
      "main-thread CPU leaves out V8's background threads (concurrent GC, optimizing compiler), from /proc.",
      "parse and rules' own times are ESLint's `stats` summed over files; a typed rule's time includes the type checking it triggers,",
      'so in (d) the rule that asks first pays for types both sets use.',
    ].join(' '),
    '',
  ];
  const warmPart = [
    '',
    `### Warm single file: ${warmFile.relative} (${warmFile.lines} lines)`,
    '',
    `One process per configuration, TSESTREE_SINGLE_RUN=false (a watch program, as in an editor): the first \`lintText\` builds the program, then ${options.warmUps} warm-ups and ${options.warmRuns} measured runs of the same, unchanged text.`,
    '',
    ...warmTable(warm),
  ];
  const targetLines = ['', '### Targets', '', ...targets.map((target) => `- ${target.name}: ${target.holds ? 'holds' : 'MISSED'}: ${target.text}`)];
  const notes = warnings(summary, machine);
  // Warnings first: they say whether the numbers below can be trusted.
  return [...header, ...(notes.length ? [...notes, ''] : []), ...mainTable(summary), '', '### Per-rule TIMING (sum over files)', '', ...perRuleTable(summary), ...warmPart, ...targetLines, ''].join('\n');
}
