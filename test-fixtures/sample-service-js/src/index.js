import { ensureDirs, removeStaleLock } from './store.js';
import { runWorker } from './worker.js';

const controller = new AbortController();

// BUG: process.on ignores the listener's promise.
process.on('SIGTERM', async () => {
  controller.abort();
  await new Promise((resolve) => setTimeout(resolve, 100));
});

async function main() {
  await ensureDirs();
  removeStaleLock();
  await runWorker(controller.signal);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
