// The language-server part of `npm run bench`: what an editor waits for, through a real LSP
// connection to the bundled server (dist/server.js).
//   1. Warm keystroke latency: didChange → publishDiagnostics for generated service files of ~300,
//      ~2,000 and ~8,000 lines, typed (in a tsconfig project) and untyped (no tsconfig), first and
//      final publish of each version.
//   2. Memory: the server's RSS after `asyncguard.server.lintWorkspace` on a copy of mongodb's src
//      (132 files, 41k lines, typed), next to what the TypeScript program alone needs.
//   3. Targets, computed from the measurements.
//
//   node bench/server.mjs [--edits N] [--warmup N] [--settle MS] [--no-memory]
//
// Needs `npm run build` (dist/server.js) and the corpora (installed on demand, bench/install.mjs).
// Prints markdown to stdout and writes bench/results/server.{md,json} and server-latency.svg.
// Everything the servers see lives in one scratch folder under os.tmpdir(), removed at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installCorpora } from './install.mjs';
import { LATENCY_SETTINGS, measureSeries } from './lib/server/latency.mjs';
import { killLiveServers } from './lib/server/lspClient.mjs';
import { measureIdleServer, measureServerAfterUntypedLint, measureTsProgram, measureWorkspaceLint } from './lib/server/memory.mjs';
import { evaluateTargets, renderMarkdown, round1, summarizeSeries } from './lib/server/report.mjs';
import { generateServiceFile, lineCount } from './lib/server/serviceFile.mjs';
import { renderLatencySvg } from './lib/server/svg.mjs';
import { ROOT, createMongoWorkspace, createScratch, snapshotServer, writeTypedProject, writeUntypedFolder } from './lib/server/workspaces.mjs';

const RESULTS = fileURLToPath(new URL('results/', import.meta.url));
const SIZES = [300, 2000, 8000];
const MODES = ['typed', 'untyped'];
const DEFAULTS = { edits: 100, warmup: 30, settleMs: 100, sizes: SIZES, memory: true, log: (line) => console.error(line) };

/** `{ markdown, json }`; `json.latency[].samples` holds every measured edit (the chart's data). */
export async function runServerBench(options = {}) {
  const settings = { ...DEFAULTS, ...options };
  const { log } = settings;
  const machine = machineInfo();
  if (settings.memory) installCorpora();
  const scratch = createScratch();
  // Whatever ends this process (an error, Ctrl-C) takes the servers and the scratch folder with it.
  const cleanUp = () => {
    killLiveServers();
    scratch.remove();
  };
  process.once('exit', cleanUp);
  try {
    const server = { ...snapshotServer(scratch), ...toolVersions() };
    const targets = settings.sizes.map((size) => generatedTargets(scratch, size));
    const latency = [];
    for (const target of targets.flat()) {
      log(`latency: ${target.lines}-line file, ${target.mode}…`);
      latency.push(summarizeSeries(await measureSeries(target, { serverPath: server.path, ...settings })));
    }
    const smallUntyped = targets.flat().find((target) => target.mode === 'untyped');
    const memory = settings.memory ? await measureMemory(scratch, server.path, smallUntyped, log) : null;
    machine.loadEnd = loadAverage();
    const json = {
      machine,
      server: { sha256: server.sha256, builtAt: server.builtAt, eslint: server.eslint, typescript: server.typescript, typescriptEslint: server.typescriptEslint },
      settings: { server: LATENCY_SETTINGS, edits: settings.edits, warmup: settings.warmup, settleMs: settings.settleMs },
      latency,
      memory,
      targets: evaluateTargets(latency, memory),
    };
    return { markdown: renderMarkdown(json), json };
  } finally {
    process.removeListener('exit', cleanUp);
    killLiveServers();
    scratch.remove();
  }
}

/** One generated file per size, written into a typed project and into an untyped folder. */
function generatedTargets(scratch, size) {
  const text = generateServiceFile(size);
  const lines = lineCount(text);
  return MODES.map((mode) => {
    const place = mode === 'typed' ? writeTypedProject(scratch, size, text) : writeUntypedFolder(scratch, size, text);
    return { ...place, text, lines, size, mode };
  });
}

async function measureMemory(scratch, serverPath, smallUntyped, log) {
  const workspace = createMongoWorkspace(scratch);
  log(`memory: idle server…`);
  const idle = await measureIdleServer(serverPath, workspace.folder);
  const afterUntypedLint = await measureServerAfterUntypedLint(serverPath, smallUntyped);
  log(`memory: lintWorkspace on ${workspace.files} mongodb files…`);
  const workspaceLint = await measureWorkspaceLint(serverPath, workspace, log);
  log('memory: the TypeScript program alone…');
  const tsProgram = await measureTsProgram(workspace);
  const mib = (record) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, /MiB$/.test(key) ? round1(value) : value]));
  return {
    workspace: { files: workspace.files, lines: workspace.lines },
    idle: mib(idle),
    afterUntypedLint: mib(afterUntypedLint),
    workspaceLint: mib({ ...workspaceLint, wallMs: Math.round(workspaceLint.wallMs) }),
    tsProgram: Object.fromEntries(Object.entries(tsProgram).map(([mode, record]) => [mode, mib(record)])),
  };
}

function machineInfo() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    nproc: os.availableParallelism(),
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadStart: loadAverage(),
  };
}

function loadAverage() {
  return os.loadavg().map((load) => load.toFixed(2));
}

/** The versions the bundle was built from (the root's node_modules). */
function toolVersions() {
  const version = (name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  return { eslint: version('eslint'), typescript: version('typescript'), typescriptEslint: version('typescript-eslint') };
}

function chartOf(json) {
  const { machine } = json;
  return renderLatencySvg({
    title: 'asyncguard language server: warm keystroke → diagnostics latency (empirical CDF)',
    subtitle: `${machine.date.slice(0, 16).replace('T', ' ')} UTC · Node ${machine.node} · ${machine.cpu} · nproc ${machine.nproc} · load ${machine.loadStart[0]} at start · ${json.settings.edits} edits per series`,
    series: json.latency.map((s) => ({
      label: `${s.lines.toLocaleString('en-US')} lines · ${s.mode}`,
      size: s.size,
      mode: s.mode,
      final: s.samples.map((sample) => sample.finalMs),
      first: s.samples.map((sample) => sample.firstMs),
    })),
  });
}

/** Writes bench/results/server.{md,json} and the chart, server-latency.svg. */
export function writeServerResults({ markdown, json }) {
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'server.json'), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, 'server.md'), markdown);
  fs.writeFileSync(path.join(RESULTS, 'server-latency.svg'), chartOf(json));
}

async function main() {
  const { values } = parseArgs({
    options: {
      edits: { type: 'string' },
      warmup: { type: 'string' },
      settle: { type: 'string' },
      'no-memory': { type: 'boolean' },
    },
  });
  const count = (value, fallback, name) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} takes a whole number, not ${value}`);
    return number;
  };
  // Ctrl-C or a kill: exit through the 'exit' listeners, which stop the servers.
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  const { markdown, json } = await runServerBench({
    edits: Math.max(1, count(values.edits, DEFAULTS.edits, 'edits')),
    warmup: count(values.warmup, DEFAULTS.warmup, 'warmup'),
    settleMs: count(values.settle, DEFAULTS.settleMs, 'settle'),
    memory: !values['no-memory'],
  });
  writeServerResults({ markdown, json });
  console.log(markdown);
  console.error(`written: ${['server.md', 'server.json', 'server-latency.svg'].map((name) => path.relative(ROOT, path.join(RESULTS, name))).join(', ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`bench/server.mjs failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exitCode = 1;
  });
}
