// A minimal LSP client for dist/server.js: just enough of an editor to open and edit documents,
// run commands and time the diagnostics the server pushes. Every server started here is tracked in
// `liveServers` so that no path out of the benchmark leaves one running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// The root project's copy: the one the server itself is built against.
const protocol = createRequire(path.join(ROOT, 'package.json'))('vscode-languageserver-protocol/node');
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = protocol;

/** A publish slower than this is a hang, not a slow lint: the run fails. */
const DIAGNOSTICS_TIMEOUT_MS = 180_000;
/** How long a server gets to exit after `shutdown`/`exit` before it is killed. */
const EXIT_TIMEOUT_MS = 5_000;

const liveServers = new Set();

/** SIGKILLs every server still running (error paths, signals, process exit). */
export function killLiveServers() {
  for (const child of liveServers) child.kill('SIGKILL');
  liveServers.clear();
}

/** VmRSS and VmHWM (peak) of a process in MiB, from /proc; nulls where there is no /proc. */
export function readMemory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return match ? Number(match[1]) / 1024 : null;
    };
    return { rssMiB: field('VmRSS'), hwmMiB: field('VmHWM') };
  } catch {
    return { rssMiB: null, hwmMiB: null };
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts `node <serverPath> --stdio` with `folders` as workspace folders. `settings` is the
 * `asyncguard` section answered to every `workspace/configuration` request (and sent as
 * initializationOptions for servers that do not ask). `settleMs`: see `change`.
 */
export async function startServer({ serverPath, folders, settings, settleMs = 100 }) {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { cwd: path.dirname(serverPath), stdio: ['pipe', 'pipe', 'pipe'] });
  liveServers.add(child);
  const stderr = [];
  child.stderr.on('data', (chunk) => stderr.push(chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const state = {
    /** `${uri}@${version}` → arrival times (performance.now()) of every publish for that version. */
    publishes: new Map(),
    /** `${uri}@${version}` → the diagnostics of its last publish. */
    diagnostics: new Map(),
    /** [time, 'linting' | 'idle' | 'error'] from the server's asyncguard/status notifications. */
    statuses: [],
    status: 'idle',
    lastActivity: performance.now(),
    errorLogs: [],
    waiters: new Set(),
  };
  let exit = null;
  void exited.then((result) => {
    exit = result;
    liveServers.delete(child);
    for (const waiter of state.waiters) waiter.check();
  });

  connection.onRequest('workspace/configuration', (params) => params.items.map(() => settings));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('window/showMessageRequest', () => null);
  connection.onNotification('window/logMessage', ({ type, message }) => {
    if (type === 1) state.errorLogs.push(message);
  });
  connection.onNotification('asyncguard/status', (params) => {
    const now = performance.now();
    state.status = params.state;
    state.statuses.push([now, params.state]);
    state.lastActivity = now;
    for (const waiter of state.waiters) waiter.check();
  });
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    // Timestamped on arrival, before any promise plumbing.
    const now = performance.now();
    state.lastActivity = now;
    // Closed files (the workspace lint) are published without a version: `uri@undefined`.
    const key = `${params.uri}@${params.version}`;
    if (!state.publishes.has(key)) state.publishes.set(key, []);
    state.publishes.get(key).push(now);
    state.diagnostics.set(key, params.diagnostics);
    for (const waiter of state.waiters) waiter.check();
  });
  connection.onUnhandledNotification(() => {}); // $/progress, telemetry, showMessage: not measured.
  connection.onError(() => {}); // Surfaces as a timeout or an exit, with more context.
  connection.listen();

  /** Resolves once `ready()` is true; rejects on timeout or when the server exits. */
  function waitFor(ready, what, timeoutMs = DIAGNOSTICS_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check() {
          if (ready()) finish(resolve);
          else if (exit) finish(() => reject(new Error(`server exited (${exit.code ?? exit.signal}) while waiting for ${what}${context()}`)));
        },
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${context()}`))), timeoutMs);
      function finish(settle) {
        clearTimeout(timer);
        state.waiters.delete(waiter);
        settle();
      }
      state.waiters.add(waiter);
      waiter.check();
    });
  }

  /** Until no lint runs and nothing arrived for settleMs: later publishes of a version would have come by then. */
  async function settle() {
    for (;;) {
      const quietFor = performance.now() - state.lastActivity;
      if (state.status !== 'linting' && quietFor >= settleMs) return;
      await sleep(Math.max(1, settleMs - quietFor));
    }
  }

  function context() {
    const parts = state.errorLogs.slice(-3).map((message) => `\nserver logged an error:\n${message.split('\n').slice(0, 10).join('\n')}`);
    const text = stderr.join('').trim();
    if (text) parts.push(`\nserver stderr (last lines):\n${text.split('\n').slice(-10).join('\n')}`);
    return parts.join('');
  }

  /**
   * Sends a document version and times its diagnostics: `firstMs` to the first publish for that
   * version, `finalMs` to the last one that arrived before the server went quiet (settle).
   */
  async function timedVersion(uri, version, send) {
    const key = `${uri}@${version}`;
    const lintsBefore = state.statuses.filter(([, s]) => s === 'linting').length;
    const start = performance.now();
    await send();
    await waitFor(() => state.publishes.has(key), `diagnostics of ${path.basename(uri)} version ${version}`);
    await settle();
    const times = state.publishes.get(key);
    return {
      firstMs: times[0] - start,
      finalMs: times.at(-1) - start,
      publishes: times.length,
      lintRuns: state.statuses.filter(([, s]) => s === 'linting').length - lintsBefore,
      diagnostics: state.diagnostics.get(key).length,
    };
  }

  const versions = new Map();
  const initialized = connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(folders[0]).href,
    workspaceFolders: folders.map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
    initializationOptions: { settings },
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true },
      // No textDocument.diagnostic: without pull support the server pushes.
      textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } },
      window: { workDoneProgress: true },
    },
  });
  try {
    await withTimeout(initialized, DIAGNOSTICS_TIMEOUT_MS, 'initialize');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  await connection.sendNotification('initialized', {});

  return {
    pid: child.pid,
    open(uri, text, languageId = 'typescript') {
      versions.set(uri, 1);
      return timedVersion(uri, 1, () => connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } }));
    },
    change(uri, contentChange) {
      const version = versions.get(uri) + 1;
      versions.set(uri, version);
      return timedVersion(uri, version, () =>
        connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [contentChange] }),
      );
    },
    /** workspace/executeCommand with a client progress token; `onProgress` gets each report's message. */
    async executeCommand(command, args, { timeoutMs, onProgress = () => {} }) {
      const workDoneToken = `bench-${command}`;
      const progress = connection.onProgress(protocol.WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.message) onProgress(value.message);
      });
      try {
        return await withTimeout(connection.sendRequest('workspace/executeCommand', { command, arguments: args, workDoneToken }), timeoutMs, command);
      } finally {
        progress.dispose();
      }
    },
    /** Publishes received so far (any uri, any version), e.g. one per file of a workspace lint. */
    publishedUris: () => new Set([...state.publishes.keys()].map((key) => key.slice(0, key.lastIndexOf('@')))),
    memory: () => readMemory(child.pid),
    notes: () => [...new Set(state.errorLogs.map((message) => `server logged an error: ${message.split('\n')[0]}`))],
    async stop() {
      try {
        await withTimeout(connection.sendRequest('shutdown'), EXIT_TIMEOUT_MS, 'shutdown');
        await connection.sendNotification('exit');
      } catch {
        // Already gone, or unresponsive: the kill below deals with it.
      }
      if ((await withTimeout(exited, EXIT_TIMEOUT_MS, 'exit').catch(() => null)) === null) {
        child.kill('SIGKILL');
        await exited;
      }
      connection.dispose();
    },
  };
}
