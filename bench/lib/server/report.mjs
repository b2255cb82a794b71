// Summaries, targets and the markdown of bench/server.mjs. Every verdict is computed from the
// measurements passed in; nothing here knows what the numbers "should" be.

/** Target limits (ms, on the 2,000-line file). */
const FIRST_P95_LIMIT_MS = 20;
const TYPED_FINAL_P95_LIMIT_MS = 100;
const TARGET_FILE_LINES = 2000;

/** Nearest-rank percentile: always one of the measured values. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function distribution(values) {
  return {
    p50: round1(percentile(values, 50)),
    p95: round1(percentile(values, 95)),
    p99: round1(percentile(values, 99)),
    max: round1(Math.max(...values)),
    min: round1(Math.min(...values)),
  };
}

/** One file × mode run (see latency.mjs) reduced to what the report shows; raw samples kept for the chart. */
export function summarizeSeries(run) {
  const { samples } = run;
  const range = (values) => ({ min: Math.min(...values), max: Math.max(...values) });
  return {
    size: run.size,
    lines: run.lines,
    mode: run.mode,
    editedLine: run.editedLine,
    diagnostics: samples.at(-1).diagnostics,
    open: { firstMs: round1(run.open.firstMs), finalMs: round1(run.open.finalMs), publishes: run.open.publishes },
    first: distribution(samples.map((s) => s.firstMs)),
    final: distribution(samples.map((s) => s.finalMs)),
    publishesPerEdit: range(samples.map((s) => s.publishes)),
    lintRunsPerEdit: range(samples.map((s) => s.lintRuns)),
    firstEqualsFinal: samples.every((s) => s.publishes === 1),
    serverMemoryMiB: { rss: round1(run.memory.rssMiB), hwm: round1(run.memory.hwmMiB) },
    notes: run.notes,
    samples: samples.map((s) => ({ firstMs: round1(s.firstMs), finalMs: round1(s.finalMs), publishes: s.publishes, lintRuns: s.lintRuns })),
  };
}

export function evaluateTargets(latency, memory) {
  const targets = [];
  for (const series of latency.filter((s) => s.size === TARGET_FILE_LINES)) {
    const why = series.mode === 'typed' ? ' (typed: the first publish is the typed lint itself; a warm server sends no untyped pass first)' : '';
    targets.push(verdict(`first diagnostics after a keystroke, ${fmtInt(series.lines)}-line ${series.mode} file: p95 ≤ ${FIRST_P95_LIMIT_MS} ms${why}`, series.first.p95, FIRST_P95_LIMIT_MS, 'ms'));
  }
  const typed = latency.find((s) => s.size === TARGET_FILE_LINES && s.mode === 'typed');
  if (typed) targets.push(verdict(`final typed diagnostics, ${fmtInt(typed.lines)}-line typed file: p95 ≤ ${TYPED_FINAL_P95_LIMIT_MS} ms`, typed.final.p95, TYPED_FINAL_P95_LIMIT_MS, 'ms'));
  if (memory) {
    const { tsProgram, idle, workspaceLint } = memory;
    const programNeed = tsProgram.one.rssMiB - tsProgram.bare.rssMiB;
    const limit = programNeed + idle.rssMiB;
    targets.push(
      verdict(
        `server RSS after the workspace lint ≤ the TypeScript program's need (${fmt1(tsProgram.one.rssMiB)} − bare node ${fmt1(tsProgram.bare.rssMiB)} = ${fmt1(programNeed)} MiB) + an idle server (${fmt1(idle.rssMiB)} MiB, the fixed overhead) = ${fmt1(limit)} MiB`,
        workspaceLint.rssMiB,
        limit,
        'MiB',
      ),
    );
  }
  return targets;
}

function verdict(name, value, limit, unit) {
  const holds = value <= limit;
  return { name, value: round1(value), limit: round1(limit), unit, holds };
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function renderMarkdown(json) {
  const { machine, server, settings } = json;
  const lines = [
    '# Language server: keystroke latency and workspace memory',
    '',
    `${machine.date} · Node ${machine.node} · ${machine.cpu} · nproc ${machine.nproc} · ${fmtInt(machine.memoryMiB)} MiB RAM · load average at start ${machine.loadStart.join(' / ')} (1 / 5 / 15 min), at end ${machine.loadEnd.join(' / ')}`,
    '',
    `Server: dist/server.js built ${server.builtAt} (sha256 ${server.sha256}…, copied before the run), ESLint ${server.eslint}, TypeScript ${server.typescript}, typescript-eslint ${server.typescriptEslint}.`,
    `Settings: \`debounceMs: ${settings.server.debounceMs}\` (the minimum: the server lints a change at once), \`run: ${settings.server.run}\`, \`typed: ${settings.server.typed}\`, embedded configuration; push diagnostics (no pull support announced). A fresh server per file × mode; ${settings.warmup} warm-up + ${settings.edits} measured edits, each awaited; before the next edit the client waits until the server has been quiet for ${settings.settleMs} ms (no lint running, nothing received), so a later publish of the same version would be seen.`,
    '',
    ...latencySection(json),
    ...(json.memory ? memorySection(json.memory) : ['', '(Memory not measured in this run.)']),
    '',
    '## Targets',
    '',
    ...json.targets.map((t) => `- ${t.name}: **${fmt1(t.value)} ${t.unit}** (limit ${fmt1(t.limit)} ${t.unit}) — ${t.holds ? 'holds' : 'MISSED'}`),
    '',
    '![latency](server-latency.svg)',
    '',
  ];
  // Optional sentences leave empty lines behind: one blank line between blocks.
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function latencySection({ latency }) {
  const header = ['file', 'lines', 'mode', 'diags', 'first p50', 'first p95', 'first p99', 'final p50', 'final p95', 'final p99', 'max', 'cold open first / final', 'server RSS / peak MiB'];
  const rows = latency.map((s) => [
    `${fmtInt(s.size)}-line service`,
    fmtInt(s.lines),
    s.mode,
    String(s.diagnostics),
    ...[s.first.p50, s.first.p95, s.first.p99, s.final.p50, s.final.p95, s.final.p99, s.final.max].map(fmt1),
    `${fmt1(s.open.firstMs)} / ${fmt1(s.open.finalMs)}${s.open.publishes > 1 ? ` (${s.open.publishes} publishes)` : ''}`,
    `${fmt0(s.serverMemoryMiB.rss)} / ${fmt0(s.serverMemoryMiB.hwm)}`,
  ]);
  const once = latency.every((s) => s.firstEqualsFinal);
  const extraLints = latency.filter((s) => s.lintRunsPerEdit.max > 1);
  const twiceOpened = latency.filter((s) => s.open.publishes > 1);
  return [
    '## Warm didChange → publishDiagnostics (ms)',
    '',
    'first: didChange sent → the first publishDiagnostics for that version; final: → the last one for that version. max is the final latency\'s. Server RSS / peak: /proc VmRSS and VmHWM of that series\' server after its last edit. Edits: a keystroke in a function body in the middle of the file (a digit replaced, typed or deleted; the file stays valid). Typed files are in a tsconfig project (pg + @types/node), untyped ones in a folder with no tsconfig.json above it.',
    '',
    table(header, rows, 3, 2),
    '',
    once
      ? 'The server published exactly once per edited version in every measured edit, so first = final.'
      : `Some versions were published more than once: ${latency.filter((s) => !s.firstEqualsFinal).map((s) => `${s.size}/${s.mode} (up to ${s.publishesPerEdit.max})`).join(', ')}.`,
    twiceOpened.length > 0
      ? `The cold open published twice for ${twiceOpened.map((s) => `${s.size}/${s.mode}`).join(', ')}: an untyped first pass while the TypeScript program builds, then the typed result (cold open column: first / final).`
      : '',
    ...firstPassTimings(latency),
    extraLints.length > 0 ? `More than one lint ran for some edits (asyncguard/status went to \`linting\` again after the publish): ${extraLints.map((s) => `${s.size}/${s.mode} (up to ${s.lintRunsPerEdit.max})`).join(', ')}.` : '',
    ...latency.flatMap((s) => s.notes.map((note) => `- ${s.size}/${s.mode}: ${note}`)),
  ];
}

/**
 * The untyped first pass of a cold typed open is there to show findings before the program is built:
 * how much earlier than the typed result it arrived, next to how long an untyped cold open takes.
 */
function firstPassTimings(latency) {
  const lines = [];
  for (const typed of latency.filter((s) => s.mode === 'typed' && s.open.publishes > 1)) {
    const untyped = latency.find((s) => s.size === typed.size && s.mode === 'untyped');
    const earlier = typed.open.finalMs - typed.open.firstMs;
    lines.push(
      `- ${fmtInt(typed.lines)} lines: the first pass arrived ${fmt1(earlier)} ms before the typed result (at ${fmt1(typed.open.firstMs)} ms)${untyped ? `; an untyped cold open of the same file publishes after ${fmt1(untyped.open.firstMs)} ms` : ''}.`,
    );
  }
  return lines.length > 0 ? ['', 'Cold typed opens, untyped first pass vs typed result:', ...lines] : [];
}

function memorySection(memory) {
  const { workspace, idle, afterUntypedLint, workspaceLint, tsProgram } = memory;
  const programFiles = `${tsProgram.one.programFiles} files in the program (${tsProgram.one.rootFiles} of the workspace)`;
  const rows = [
    ['server, idle (started on the workspace, nothing opened)', idle.rssMiB, idle.hwmMiB, 'the fixed overhead in the target'],
    ['server after linting one 300-line file untyped', afterUntypedLint.rssMiB, afterUntypedLint.hwmMiB, 'ESLint instance, parser and rules warm; no TypeScript program'],
    [
      `**server after lintWorkspace** (mongodb src copy, typed)`,
      workspaceLint.rssMiB,
      workspaceLint.hwmMiB,
      `${workspaceLint.files} files linted${workspaceLint.cancelled ? ' (cancelled!)' : ''}, ${workspaceLint.problems} problems, ${workspaceLint.publishedFiles} files published, ${fmt1(workspaceLint.wallMs / 1000)} s wall; RSS ${fmt1(workspaceLint.settledRssMiB)} MiB 5 s later`,
    ],
    ['bare node (child process)', tsProgram.bare.rssMiB, tsProgram.bare.hwmMiB, 'baseline subtracted from the next rows'],
    ['node + typescript module loaded, no program', tsProgram.load.rssMiB, tsProgram.load.hwmMiB, `TypeScript ${tsProgram.load.typescript}`],
    ['TS program + type checker + diagnostics of src/index.ts', tsProgram.one.rssMiB, tsProgram.one.hwmMiB, `${programFiles}; ${fmt1(tsProgram.one.ms / 1000)} s`],
    ['TS program + full type check (getPreEmitDiagnostics)', tsProgram.all.rssMiB, tsProgram.all.hwmMiB, `${tsProgram.all.errors} type errors (the corpus has its own under TypeScript 6); ${fmt1(tsProgram.all.ms / 1000)} s`],
  ].map(([what, rss, hwm, note]) => [what, fmt1(rss), fmt1(hwm), note]);
  const ownCode = tsProgram.load.rssMiB - tsProgram.bare.rssMiB;
  return [
    '',
    `## Memory after linting a whole workspace (MiB, /proc VmRSS and VmHWM)`,
    '',
    `Workspace: a temporary copy of bench/node_modules/mongodb/src (${workspace.files} .ts files, ${fmtInt(workspace.lines)} lines) with bench/corpora/mongodb.tsconfig.json's compiler options and node_modules linked to bench/node_modules; \`asyncguard.server.lintWorkspace\` run through workspace/executeCommand, memory read when it answered.`,
    '',
    table(['measurement', 'RSS', 'peak RSS', 'notes'], rows, 1),
    '',
    `The program's need (TS program row − bare node) includes TypeScript's own code (${fmt1(ownCode)} MiB: node + typescript − bare node), which the idle server has loaded too: the target counts it twice, so it is ${fmt1(ownCode)} MiB lenient. The full type check row shows what checking every file (which the rules' type queries partly do) adds.`,
  ];
}

/** A markdown table; the first `textColumns` columns left-aligned, the rest (numbers) right-aligned. */
function table(header, rows, textColumns, trailingTextColumns = 1) {
  const align = header.map((_, i) => (i < textColumns || i >= header.length - trailingTextColumns ? ':---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function round1(value) {
  return value === null || value === undefined ? null : Math.round(value * 10) / 10;
}

function fmt1(value) {
  return value === null || value === undefined ? 'n/a' : value.toFixed(1);
}

function fmt0(value) {
  return value === null || value === undefined ? 'n/a' : value.toFixed(0);
}

function fmtInt(value) {
  return value.toLocaleString('en-US');
}
