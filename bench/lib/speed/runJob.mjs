// Runs one job of worker.mjs in a fresh Node process and resolves with its result.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from './configs.mjs';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/**
 * `singleRun` sets TSESTREE_SINGLE_RUN for typescript-eslint, which otherwise guesses it from argv and
 * CI: true is what an `eslint` CLI run gets (one program built ahead of time, no watch program),
 * false what an editor's long-lived process gets (a watch program; the only mode in which linting the
 * same file again keeps its type information).
 */
export function runJob(job, { singleRun }) {
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: libraries' warnings must not end up in the markdown.
    const child = spawn(process.execPath, [WORKER, JSON.stringify(job)], {
      cwd: ROOT,
      env: { ...process.env, TSESTREE_SINGLE_RUN: String(singleRun) },
      stdio: ['ignore', 2, 'inherit', 'ipc'],
    });
    let reply = null;
    child.on('message', (message) => {
      reply = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (reply?.ok && code === 0) resolve(reply.result);
      else reject(new Error(`speed worker ${job.mode} ${job.id} failed (${signal ?? `exit ${code}`}): ${reply?.error ?? 'no result'}`));
    });
  });
}
