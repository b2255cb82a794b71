// Warm re-lint latency of one generated file in one mode, through a fresh server: didOpen, warm-up
// edits, then measured edits, each awaited (and the server left to settle) before the next.
import { pathToFileURL } from 'node:url';
import { editsFor } from './serviceFile.mjs';
import { startServer } from './lspClient.mjs';

/** The asyncguard settings answered to the server; debounce 0 is the minimum: a change lints at once. */
export const LATENCY_SETTINGS = { enable: true, run: 'onType', debounceMs: 0, typed: 'auto', configSource: 'auto' };

/**
 * `target`: { folder, file, text, lines, size, mode }. Returns the cold open, every measured edit's
 * { firstMs, finalMs, publishes, lintRuns } and the server's memory at the end.
 */
export async function measureSeries(target, { serverPath, warmup, edits, settleMs }) {
  const server = await startServer({ serverPath, folders: [target.folder], settings: LATENCY_SETTINGS, settleMs });
  try {
    const uri = pathToFileURL(target.file).href;
    const open = await server.open(uri, target.text);
    const keystrokes = editsFor(target.text);
    for (let i = 0; i < warmup; i++) await server.change(uri, keystrokes.next());
    const samples = [];
    for (let i = 0; i < edits; i++) samples.push(await server.change(uri, keystrokes.next()));
    return {
      size: target.size,
      lines: target.lines,
      mode: target.mode,
      editedLine: keystrokes.line + 1,
      open,
      samples,
      memory: server.memory(),
      notes: server.notes(),
    };
  } finally {
    await server.stop();
  }
}
