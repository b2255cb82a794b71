import { Semaphore, withTimeout } from 'async-mutex';
import { Sema } from 'async-sema';
import PQueue from 'p-queue';
import { audit, postJson } from './upstream.js';

async function execute(job) {
  await postJson(`/jobs/${job.kind}`, { id: job.id, payload: job.payload });
}

async function upload(path, body) {
  await postJson('/artifacts', { path, body });
}

async function sendMail(job) {
  await postJson('/mail/send', { template: job.kind, payload: job.payload });
}

async function render(path) {
  const answer = await postJson('/thumbnails', { path });
  return answer.url;
}

// OK: a module-level semaphore: at most 4 jobs run at once across the process.
const workerSlots = new Semaphore(4);
// OK: a module-level async-sema semaphore for uploads: 3 at once.
const uploadSema = new Sema(3);
// OK: a module-level async-sema semaphore for notifications: 8 at once.
const notifySema = new Sema(8);
// OK: thumbnail renders: 2 at once, and a caller waits at most 5 s for a slot.
const renderSlots = withTimeout(new Semaphore(2), 5_000);
// OK: a module-level queue for outgoing mail, one at a time.
const mailQueue = new PQueue({ concurrency: 1 });

export async function runJob(job) {
  // OK: the releaser from the tuple, called in finally.
  const [, release] = await workerSlots.acquire();
  try {
    await execute(job);
  } finally {
    release();
  }
}

export async function runWeighted(job, weight) {
  // OK: runExclusive with a weight; the callback awaits the work.
  await workerSlots.runExclusive(async () => {
    await execute(job);
  }, weight);
}

export async function runBatch(jobs) {
  const running = [];
  for (const job of jobs) {
    // BUG: the permit is held only while execute(job) starts; the job is pushed out and runs after release(): the whole batch runs at once.
    const [, release] = await workerSlots.acquire();
    running.push(execute(job));
    release();
  }
  await Promise.all(running);
}

export async function runIfDue(job, due) {
  // BUG: the permit is never given back on the early `return false`, nor when execute() throws.
  const [, release] = await workerSlots.acquire();
  if (!due(job)) return false;
  await execute(job);
  release();
  return true;
}

export async function renderThumbnail(path) {
  let release;
  try {
    [, release] = await renderSlots.acquire();
  } catch (err) {
    await audit(`render slot for ${path} timed out`);
    // BUG: acquire() timed out, so no permit was taken, yet one is given back: each timeout adds a permit for good.
    renderSlots.release();
    throw err;
  }
  try {
    return await render(path);
  } finally {
    release();
  }
}

export async function uploadArtifact(path, body) {
  // BUG: the permit is lost when the upload throws: release() only runs after a successful upload.
  await uploadSema.acquire();
  await upload(path, body);
  uploadSema.release();
}

export async function uploadAll(files) {
  await Promise.all(
    [...files].map(async ([path, body]) => {
      // OK: acquire, await the upload inside, release in finally.
      await uploadSema.acquire();
      try {
        await upload(path, body);
      } finally {
        uploadSema.release();
      }
    }),
  );
}

export async function uploadReport(job) {
  await uploadSema.acquire();
  try {
    await upload(`reports/${job.id}.json`, job.payload);
  } finally {
    uploadSema.release();
  }
  await audit(`report ${job.id} uploaded`);
  // BUG: the permit was already given back in finally: this adds a permit for good, on every call.
  uploadSema.release();
}

export async function runPrioritized(job) {
  if (job.priority === 'normal') await uploadSema.acquire();
  try {
    await execute(job);
  } finally {
    // BUG: high-priority jobs never took a permit, yet one is given back: each adds a permit for good.
    uploadSema.release();
  }
}

export async function notifyAll(jobs) {
  for (const job of jobs) {
    // BUG: the permit guards only the start of sendMail(): the mail is sent, unawaited, after release().
    await notifySema.acquire();
    try {
      void sendMail(job);
    } finally {
      notifySema.release();
    }
  }
}

export async function sendReceipt(job) {
  // OK: the module-level queue, with the work as a function.
  await mailQueue.add(() => sendMail(job));
}

export async function sendReceiptNow(job) {
  // BUG: a queue per call, one task each: concurrent receipts are not serialised at all.
  const queue = new PQueue({ concurrency: 1 });
  await queue.add(() => sendMail(job));
}

export async function sendDigest(jobs) {
  const queued = [];
  for (const job of jobs) {
    const sending = sendMail(job);
    // BUG: the mail is already being sent (the line above started it): the queue only waits for it, all at once.
    queued.push(mailQueue.add(() => sending));
  }
  await Promise.all(queued);
}

export async function sendAll(jobs) {
  // OK: every task is a function; the queue sends one mail at a time.
  await mailQueue.addAll(jobs.map((job) => () => sendMail(job)));
}
