// Memory of the server after "lint the whole workspace" on the mongodb workspace, next to what the
// TypeScript program it holds needs alone and what an idle server takes.
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { LATENCY_SETTINGS } from './latency.mjs';
import { sleep, startServer } from './lspClient.mjs';

const LINT_WORKSPACE = 'asyncguard.server.lintWorkspace';
const WORKSPACE_TIMEOUT_MS = 30 * 60_000;
/** Left to an idle server before its memory is read: startup's garbage and lazy loading settle. */
const IDLE_WAIT_MS = 2_000;
/** The second reading after the workspace lint. */
const SETTLED_WAIT_MS = 5_000;
const TS_PROGRAM_CHILD = fileURLToPath(new URL('tsProgramMemory.mjs', import.meta.url));

/** A server on `folder` that has opened nothing: the bundle (ESLint, TypeScript, the rules) loaded, no lint run. */
export async function measureIdleServer(serverPath, folder) {
  const server = await startServer({ serverPath, folders: [folder], settings: LATENCY_SETTINGS });
  try {
    await sleep(IDLE_WAIT_MS);
    return server.memory();
  } finally {
    await server.stop();
  }
}

/** The same server after linting one small file untyped: ESLint instance, parser and rules warm, no program. */
export async function measureServerAfterUntypedLint(serverPath, target) {
  const server = await startServer({ serverPath, folders: [target.folder], settings: LATENCY_SETTINGS });
  try {
    await server.open(pathToFileURL(target.file).href, target.text);
    await sleep(IDLE_WAIT_MS);
    return server.memory();
  } finally {
    await server.stop();
  }
}

/** asyncguard.server.lintWorkspace on the workspace, typed; its memory once the command answered. */
export async function measureWorkspaceLint(serverPath, workspace, log) {
  const server = await startServer({ serverPath, folders: [workspace.folder], settings: LATENCY_SETTINGS });
  try {
    let lastLogged = 0;
    const onProgress = (message) => {
      if (performance.now() - lastLogged < 10_000) return;
      lastLogged = performance.now();
      log(`  workspace lint: ${message}`);
    };
    const start = performance.now();
    const result = await server.executeCommand(LINT_WORKSPACE, [], { timeoutMs: WORKSPACE_TIMEOUT_MS, onProgress });
    const wallMs = performance.now() - start;
    const memory = server.memory();
    // Read again after a pause: how much of the RSS was garbage the next collections return (V8 decides when).
    await sleep(SETTLED_WAIT_MS);
    const settled = server.memory();
    return { ...result, wallMs, publishedFiles: server.publishedUris().size, ...memory, settledRssMiB: settled.rssMiB, notes: server.notes() };
  } finally {
    await server.stop();
  }
}

/** One fresh node process per mode (see tsProgramMemory.mjs), so that no mode's heap carries into another. */
export async function measureTsProgram(workspace) {
  const run = async (...args) => {
    const { stdout } = await promisify(execFile)(process.execPath, [TS_PROGRAM_CHILD, ...args], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1));
  };
  return {
    bare: await run('bare'),
    load: await run('load'),
    one: await run('one', workspace.tsconfig, workspace.entry),
    all: await run('all', workspace.tsconfig),
  };
}
