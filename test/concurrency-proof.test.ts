/**
 * Proof that the fixes fix: the shapes `asyncguard/no-semaphore-misuse` reports, run against the
 * real libraries (async-mutex, async-sema, p-limit, p-queue), buggy and fixed side by side. Each
 * "job" counts itself in while it runs (a real 5 ms timer), so a run measures how many jobs were
 * running at once: the buggy shape lets all of them run together, the fixed one — written the
 * way the rule's suggestions write it (`() => job()`, the `await` inside the section, the release
 * in `finally`, the limiter hoisted) — never passes the limit.
 *
 * Deterministic by construction: most buggy shapes start every job before any timer can fire (peak
 * = job count); a surplus release admits an extra holder synchronously, while the first is still
 * running; the fixed shapes cannot pass the limit whatever the timing; the "never resolves" checks
 * race a promise that can never settle against a timer. No assertion on a duration.
 * `PROOF_LOG=1 npx mocha test/concurrency-proof.test.ts` prints the peak each run measured.
 */
/* eslint-disable asyncguard/no-semaphore-misuse -- the buggy shapes are here on purpose: they are run to measure what the fixes fix. */
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { E_TIMEOUT, Mutex, Semaphore, withTimeout } from 'async-mutex';
import { Sema } from 'async-sema';
import type PLimitModule from 'p-limit' with { 'resolution-mode': 'import' };
import type PQueueModule from 'p-queue' with { 'resolution-mode': 'import' };
import type PMapModule from 'p-map' with { 'resolution-mode': 'import' };

// p-limit, p-queue and p-map are ESM-only. Node 20.19+ would `require()` them, but TypeScript's `node16`
// module mode (this CommonJS test file) refuses a static import of an ES module (TS1479), so they
// are loaded with `import()` before the tests run; their types come through the type-only imports.
let pLimit: typeof PLimitModule;
let PQueue: typeof PQueueModule;
let pMap: typeof PMapModule;

const LIMIT = 2;
const JOBS = 10;
const JOB_MS = 5;
/** Long enough for anything that can resolve to have resolved many times over. */
const HANG_MS = 100;

type Job = () => Promise<number>;

interface Run<T> {
  /** The most jobs that were running at the same moment. */
  peak: number;
  started: number;
  finished: number;
  /** What the measured code returned (often `Promise.allSettled` results). */
  value: T;
}

let lastRun: Run<unknown> | undefined;

/**
 * Runs `body` with a fresh `job` (and `failingJob`, which throws after its timer), then waits for
 * every job it started to settle, so no test leaves work running into the next one.
 */
async function measure<T>(body: (job: Job, failingJob: Job) => Promise<T>): Promise<Run<T>> {
  let running = 0;
  let peak = 0;
  let finished = 0;
  const started: Promise<number>[] = [];
  const start = (fail: boolean): Promise<number> => {
    const id = started.length;
    const work = (async () => {
      running++;
      peak = Math.max(peak, running);
      try {
        await sleep(JOB_MS);
        if (fail) throw new Error(`job ${id} failed`);
        return id;
      } finally {
        running--;
        finished++;
      }
    })();
    started.push(work);
    return work;
  };
  const value = await body(
    () => start(false),
    () => start(true),
  );
  await Promise.allSettled(started);
  const run = { peak, started: started.length, finished, value };
  lastRun = run;
  return run;
}

/** `'settled'` if `promise` settles within `ms`, `'pending'` if it is still pending then. */
async function stateAfter(promise: Promise<unknown>, ms = HANG_MS): Promise<'settled' | 'pending'> {
  const timer = new AbortController();
  const settled = promise.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  const pending = sleep(ms, 'pending' as const, { signal: timer.signal }).catch(() => 'pending' as const);
  try {
    return await Promise.race([settled, pending]);
  } finally {
    timer.abort();
  }
}

function assertExceeds(run: Run<unknown>, limit: number): void {
  assert.equal(run.finished, run.started, 'every job ran to its end');
  assert.ok(run.peak > limit, `the buggy shape ran ${run.peak} jobs at once, more than the limit of ${limit}`);
}

function assertWithin(run: Run<unknown>, limit: number, jobs = JOBS): void {
  assert.equal(run.started, jobs, 'every job was started');
  assert.equal(run.finished, jobs, 'every job ran to its end');
  assert.ok(run.peak <= limit, `the fixed shape ran ${run.peak} jobs at once, more than the limit of ${limit}`);
  assert.ok(run.peak >= 1);
}

function assertAllRejectedNotAFunction(results: PromiseSettledResult<unknown>[]): void {
  assert.equal(results.length, JOBS);
  for (const result of results) {
    assert.equal(result.status, 'rejected', 'the library refuses a non-function, but only after the work started');
    assert.ok((result as PromiseRejectedResult).reason instanceof TypeError);
    assert.match(String((result as PromiseRejectedResult).reason), /is not a function/);
  }
}

function allFulfilled(results: PromiseSettledResult<unknown>[]): boolean {
  return results.every((result) => result.status === 'fulfilled');
}

describe('concurrency proof: no-semaphore-misuse shapes against the real libraries', function () {
  // Each run is a few timers of 5 ms; the "never resolves" checks wait 100 ms.
  this.timeout(5_000);
  this.slow(500);

  before(async () => {
    ({ default: pLimit } = await import('p-limit'));
    ({ default: PQueue } = await import('p-queue'));
    ({ default: pMap } = await import('p-map'));
  });

  afterEach(function () {
    if (process.env.PROOF_LOG && lastRun) console.log(`        peak ${lastRun.peak} of ${lastRun.started} jobs`);
    lastRun = undefined;
  });

  describe('promiseInsteadOfFunction: the work starts when the argument is evaluated', () => {
    it('buggy p-limit: limit(job()) runs every job at once (p-limit then rejects the non-function)', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure((job) =>
        // @ts-expect-error -- the shape under test: TypeScript refuses it, JavaScript and `any` do not.
        Promise.allSettled(Array.from({ length: JOBS }, () => limit(job()))),
      );
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
      assertAllRejectedNotAFunction(run.value);
    });

    it('fixed p-limit: limit(() => job()) never runs more than the limit', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure((job) => Promise.allSettled(Array.from({ length: JOBS }, () => limit(() => job()))));
      assertWithin(run, LIMIT);
      assert.ok(allFulfilled(run.value));
    });

    it('buggy p-limit: limit(() => pending), a function returning a promise started before it, runs every job at once', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, () => {
            const pending = job();
            return limit(() => pending);
          }),
        ),
      );
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('buggy p-limit: limit(async () => await pending), a job that only waits for a started promise, runs every job at once', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, () => {
            const pending = job();
            return limit(async () => await pending);
          }),
        ),
      );
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('buggy p-limit: promises.map((item) => limit(() => item)) over started promises runs every job at once (p-settle#6)', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure((job) => {
        const started = Array.from({ length: JOBS }, () => job());
        return Promise.all(started.map((item) => limit(() => item)));
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed p-limit: the job starts the work, limit(async () => await job()), never runs more than the limit', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure((job) => {
        const inputs = Array.from({ length: JOBS }, (_, i) => i);
        return Promise.all(inputs.map(() => limit(async () => await job())));
      });
      assertWithin(run, LIMIT);
    });

    it('buggy p-map: pMap(started, (x) => x, { concurrency }), an input of started promises, runs every job at once', async () => {
      const run = await measure((job) => {
        const started = Array.from({ length: JOBS }, () => job());
        return pMap(started, (x) => x, { concurrency: LIMIT });
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed p-map: pMap(inputs, () => job(), { concurrency }) never runs more than the limit', async () => {
      const run = await measure((job) => {
        const inputs = Array.from({ length: JOBS }, (_, i) => i);
        return pMap(inputs, () => job(), { concurrency: LIMIT });
      });
      assertWithin(run, LIMIT);
    });

    it('buggy p-queue: queue.add(job()) runs every job at once (p-queue then rejects the non-function)', async () => {
      const queue = new PQueue({ concurrency: LIMIT });
      const run = await measure((job) =>
        // @ts-expect-error -- the shape under test: TypeScript refuses it, JavaScript and `any` do not.
        Promise.allSettled(Array.from({ length: JOBS }, () => queue.add(job()))),
      );
      await queue.onIdle();
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
      assertAllRejectedNotAFunction(run.value);
    });

    it('fixed p-queue: queue.add(() => job()) never runs more than the limit', async () => {
      const queue = new PQueue({ concurrency: LIMIT });
      const run = await measure((job) => Promise.allSettled(Array.from({ length: JOBS }, () => queue.add(() => job()))));
      await queue.onIdle();
      assertWithin(run, LIMIT);
      assert.ok(allFulfilled(run.value));
    });

    it('buggy async-mutex: mutex.runExclusive(job()) runs every job at once (runExclusive rejects the non-function)', async () => {
      const mutex = new Mutex();
      const run = await measure((job) =>
        // @ts-expect-error -- the shape under test: TypeScript refuses it, JavaScript and `any` do not.
        Promise.allSettled(Array.from({ length: JOBS }, () => mutex.runExclusive(job()))),
      );
      assertExceeds(run, 1);
      assert.equal(run.peak, JOBS);
      assertAllRejectedNotAFunction(run.value);
      assert.equal(mutex.isLocked(), false, 'runExclusive releases even when the callback is not a function');
    });

    it('fixed async-mutex: mutex.runExclusive(() => job()) runs one job at a time', async () => {
      const mutex = new Mutex();
      const run = await measure((job) => Promise.allSettled(Array.from({ length: JOBS }, () => mutex.runExclusive(() => job()))));
      assertWithin(run, 1);
      assert.ok(allFulfilled(run.value));
    });

    it('buggy async-mutex Semaphore: semaphore.runExclusive(job()) runs every job at once', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) =>
        // @ts-expect-error -- the shape under test: TypeScript refuses it, JavaScript and `any` do not.
        Promise.allSettled(Array.from({ length: JOBS }, () => semaphore.runExclusive(job()))),
      );
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
      assertAllRejectedNotAFunction(run.value);
    });

    it('fixed async-mutex Semaphore: semaphore.runExclusive(() => job()) never runs more than the limit', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) => Promise.allSettled(Array.from({ length: JOBS }, () => semaphore.runExclusive(() => job()))));
      assertWithin(run, LIMIT);
      assert.ok(allFulfilled(run.value));
    });
  });

  describe('workEscapesSection: a critical section that only creates the work', () => {
    it('buggy p-limit: limit(() => { tasks.push(job()); }) then Promise.all(tasks) runs every job at once', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure(async (job) => {
        const tasks: Promise<number>[] = [];
        await Promise.all(
          Array.from({ length: JOBS }, () =>
            limit(() => {
              tasks.push(job());
            }),
          ),
        );
        return Promise.all(tasks);
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed p-limit: tasks.push(limit(() => job())) then Promise.all(tasks) never runs more than the limit', async () => {
      const limit = pLimit(LIMIT);
      const run = await measure(async (job) => {
        const tasks: Promise<number>[] = [];
        for (let i = 0; i < JOBS; i++) tasks.push(limit(() => job()));
        return Promise.all(tasks);
      });
      assertWithin(run, LIMIT);
    });

    it('buggy async-mutex Semaphore, loop: acquire; tasks.push(job()); release() runs every job at once', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure(async (job) => {
        const tasks: Promise<number>[] = [];
        for (let i = 0; i < JOBS; i++) {
          const [, release] = await semaphore.acquire();
          tasks.push(job());
          release();
        }
        return Promise.all(tasks);
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed async-mutex Semaphore, loop: acquire; try { await job(); } finally { release(); } never runs more than the limit', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure(async (job) => {
        for (let i = 0; i < JOBS; i++) {
          const [, release] = await semaphore.acquire();
          try {
            await job();
          } finally {
            release();
          }
        }
      });
      // One loop awaiting each job in turn: sequential, so 1 — the point is that it is not 10.
      assertWithin(run, LIMIT);
    });

    it('buggy async-mutex Semaphore, concurrent callers: the permit is back before the job runs', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure(async (job) => {
        const tasks: Promise<number>[] = [];
        await Promise.all(
          Array.from({ length: JOBS }, async () => {
            const [, release] = await semaphore.acquire();
            tasks.push(job());
            release();
          }),
        );
        return Promise.all(tasks);
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed async-mutex Semaphore, concurrent callers: the await inside the section, release in finally', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, async () => {
            const [, release] = await semaphore.acquire();
            try {
              return await job();
            } finally {
              release();
            }
          }),
        ),
      );
      assertWithin(run, LIMIT);
    });

    it('buggy async-mutex Semaphore: runExclusive(async () => { void job(); }) runs every job at once', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, () =>
            semaphore.runExclusive(async () => {
              void job();
            }),
          ),
        ),
      );
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed async-mutex Semaphore: runExclusive(async () => { await job(); }) never runs more than the limit', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, () =>
            semaphore.runExclusive(async () => {
              await job();
            }),
          ),
        ),
      );
      assertWithin(run, LIMIT);
    });

    it('buggy async-sema: await sema.acquire(); tasks.push(job()); sema.release() runs every job at once', async () => {
      const sema = new Sema(LIMIT);
      const run = await measure(async (job) => {
        const tasks: Promise<number>[] = [];
        await Promise.all(
          Array.from({ length: JOBS }, async () => {
            await sema.acquire();
            tasks.push(job());
            sema.release();
          }),
        );
        return Promise.all(tasks);
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed async-sema: await sema.acquire(); try { await job(); } finally { sema.release(); } never runs more than the limit', async () => {
      const sema = new Sema(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, async () => {
            await sema.acquire();
            try {
              return await job();
            } finally {
              sema.release();
            }
          }),
        ),
      );
      assertWithin(run, LIMIT);
      assert.equal(sema.nrWaiting(), 0);
    });
  });

  describe('perCallLimiter: a limiter created inside the function it should limit', () => {
    it('buggy p-limit: pLimit(2) inside fetchOne, called 10 times at once, runs every job at once', async () => {
      const run = await measure((job) => {
        async function fetchOne(): Promise<number> {
          const limit = pLimit(LIMIT);
          return limit(() => job());
        }
        return Promise.all(Array.from({ length: JOBS }, () => fetchOne()));
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, JOBS);
    });

    it('fixed p-limit: the limiter hoisted out of fetchOne never runs more than the limit', async () => {
      const run = await measure((job) => {
        const limit = pLimit(LIMIT);
        async function fetchOne(): Promise<number> {
          return limit(() => job());
        }
        return Promise.all(Array.from({ length: JOBS }, () => fetchOne()));
      });
      assertWithin(run, LIMIT);
    });

    it('buggy async-mutex: new Mutex() inside save, called 10 times at once, runs every job at once', async () => {
      const run = await measure((job) => {
        async function save(): Promise<number> {
          const lock = new Mutex();
          return lock.runExclusive(() => job());
        }
        return Promise.all(Array.from({ length: JOBS }, () => save()));
      });
      assertExceeds(run, 1);
      assert.equal(run.peak, JOBS);
    });

    it('fixed async-mutex: the mutex hoisted out of save runs one job at a time', async () => {
      const run = await measure((job) => {
        const lock = new Mutex();
        async function save(): Promise<number> {
          return lock.runExclusive(() => job());
        }
        return Promise.all(Array.from({ length: JOBS }, () => save()));
      });
      assertWithin(run, 1);
    });

    it('quiet shape: a limiter created per call but used by the .map inside that call does limit', async () => {
      const run = await measure((job) => {
        async function fetchAll(ids: number[]): Promise<number[]> {
          const limit = pLimit(LIMIT);
          return Promise.all(ids.map(() => limit(() => job())));
        }
        return fetchAll(Array.from({ length: JOBS }, (_, i) => i));
      });
      assertWithin(run, LIMIT);
    });
  });

  describe('releaseNotGuaranteed: a release that a throw skips', () => {
    it('buggy async-mutex: release() after the await, not in finally, leaves the mutex locked for good', async () => {
      const mutex = new Mutex();
      const run = await measure(async (_job, failingJob) => {
        async function charge(): Promise<void> {
          const release = await mutex.acquire();
          await failingJob();
          release();
        }
        await assert.rejects(charge(), /job 0 failed/);
        return stateAfter(mutex.acquire());
      });
      assert.equal(run.value, 'pending', 'the next acquire() never resolves');
      assert.equal(mutex.isLocked(), true);
    });

    it('fixed async-mutex: release() in finally frees the mutex when the job throws', async () => {
      const mutex = new Mutex();
      const run = await measure(async (_job, failingJob) => {
        async function charge(): Promise<void> {
          const release = await mutex.acquire();
          try {
            await failingJob();
          } finally {
            release();
          }
        }
        await assert.rejects(charge(), /job 0 failed/);
        return stateAfter(mutex.acquire().then((release) => release()));
      });
      assert.equal(run.value, 'settled', 'the next acquire() resolves');
      assert.equal(mutex.isLocked(), false);
    });

    it('buggy async-mutex withTimeout: the leaked lock turns every later acquire() into E_TIMEOUT', async () => {
      const leaked = withTimeout(new Mutex(), 20);
      await measure(async (_job, failingJob) => {
        async function charge(): Promise<void> {
          const release = await leaked.acquire();
          await failingJob();
          release();
        }
        await assert.rejects(charge(), /job 0 failed/);
      });
      await assert.rejects(leaked.acquire(), (err) => err === E_TIMEOUT);
      await assert.rejects(leaked.acquire(), (err) => err === E_TIMEOUT);
      assert.equal(leaked.isLocked(), true);
    });

    it('buggy async-sema: sema.release() after the await leaks a permit per failure until none is left', async () => {
      const sema = new Sema(LIMIT);
      const run = await measure(async (_job, failingJob) => {
        async function crawl(): Promise<void> {
          await sema.acquire();
          await failingJob();
          sema.release();
        }
        for (let i = 0; i < LIMIT; i++) await assert.rejects(crawl());
        return stateAfter(sema.acquire());
      });
      assert.equal(run.value, 'pending', 'with both permits leaked, the next acquire() never resolves');
    });

    it('fixed async-sema: sema.release() in finally gives the permit back on failure', async () => {
      const sema = new Sema(LIMIT);
      const run = await measure(async (_job, failingJob) => {
        async function crawl(): Promise<void> {
          await sema.acquire();
          try {
            await failingJob();
          } finally {
            sema.release();
          }
        }
        for (let i = 0; i < LIMIT; i++) await assert.rejects(crawl());
        const state = await stateAfter(sema.acquire());
        sema.release();
        return state;
      });
      assert.equal(run.value, 'settled');
    });
  });

  describe('reentrantLock: the same mutex (or a limiter of one) entered inside its own section', () => {
    it('buggy async-mutex: runExclusive inside runExclusive of the same mutex never finishes', async () => {
      const mutex = new Mutex();
      const run = await measure(async (job) => {
        const outer = mutex.runExclusive(async () => {
          await mutex.runExclusive(() => job());
        });
        return stateAfter(outer);
      });
      assert.equal(run.value, 'pending', 'deadlocked');
      assert.equal(run.started, 0, 'the inner job never started');
      assert.equal(mutex.isLocked(), true);
    });

    it('buggy async-mutex: waitForUnlock inside the section never finishes', async () => {
      const mutex = new Mutex();
      const run = await measure(async (job) => {
        const outer = mutex.runExclusive(async () => {
          await mutex.waitForUnlock();
          await job();
        });
        return stateAfter(outer);
      });
      assert.equal(run.value, 'pending', 'deadlocked');
      assert.equal(run.started, 0);
    });

    it('buggy p-limit of one: a job that waits for another job of the same limiter never finishes (p-limit#14)', async () => {
      const limit = pLimit(1);
      const run = await measure(async (job) => {
        const outer = limit(() => limit(() => job()));
        const state = await stateAfter(outer);
        limit.clearQueue(); // let the test end: the inner job is dropped, the outer one stays pending
        return state;
      });
      assert.equal(run.value, 'pending', 'deadlocked');
      assert.equal(run.started, 0, 'the inner job never started');
    });

    it('buggy p-queue: a job that awaits queue.onIdle() never finishes, whatever the concurrency', async () => {
      const queue = new PQueue({ concurrency: LIMIT });
      const run = await measure(async (job) => {
        const outer = queue.add(async () => {
          await job();
          await queue.onIdle();
        });
        return stateAfter(outer);
      });
      assert.equal(run.value, 'pending', 'deadlocked');
      assert.equal(run.started, 1);
    });

    it('quiet shape: p-limit of one, the inner job queued without waiting for it, runs once the outer job ends', async () => {
      const limit = pLimit(1);
      const run = await measure(async (job) => {
        let inner: Promise<number> | undefined;
        await limit(() => {
          inner = limit(() => job());
        });
        return inner;
      });
      assert.equal(await run.value, 0);
      assert.equal(run.finished, 1);
    });

    it('fixed async-mutex: the section calls the work directly, without locking again', async () => {
      const mutex = new Mutex();
      const run = await measure(async (job) => {
        const outer = mutex.runExclusive(async () => {
          await job();
        });
        const state = await stateAfter(outer);
        await outer;
        return state;
      });
      assert.equal(run.value, 'settled');
      assert.equal(mutex.isLocked(), false);
    });
  });

  describe('doubleRelease and releaseWithoutAcquire: a surplus release raises the limit', () => {
    it('buggy async-mutex: releaser() in try and mutex.release() in finally let two holders in at once', async () => {
      const mutex = new Mutex();
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, async () => {
            const release = await mutex.acquire();
            try {
              await job();
              release();
            } finally {
              mutex.release();
            }
          }),
        ),
      );
      assertExceeds(run, 1);
    });

    it('fixed async-mutex: one release, in finally, keeps one holder', async () => {
      const mutex = new Mutex();
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, async () => {
            const release = await mutex.acquire();
            try {
              await job();
            } finally {
              release();
            }
          }),
        ),
      );
      assertWithin(run, 1);
    });

    it('buggy async-sema: sema.release() in try and again in finally adds a permit each time', async () => {
      const sema = new Sema(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, async () => {
            await sema.acquire();
            try {
              await job();
              sema.release();
            } finally {
              sema.release();
            }
          }),
        ),
      );
      assertExceeds(run, LIMIT);
    });

    it('buggy async-mutex Semaphore: a release() without an acquire raises the limit by one', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) => {
        semaphore.release();
        return Promise.all(Array.from({ length: JOBS }, () => semaphore.runExclusive(() => job())));
      });
      assertExceeds(run, LIMIT);
      assert.equal(run.peak, LIMIT + 1);
    });

    it('not a bug at runtime: calling the releaser async-mutex returned twice is a no-op', async () => {
      const semaphore = new Semaphore(LIMIT);
      const run = await measure((job) =>
        Promise.all(
          Array.from({ length: JOBS }, async () => {
            const [, release] = await semaphore.acquire();
            try {
              await job();
              release();
            } finally {
              release();
            }
          }),
        ),
      );
      assertWithin(run, LIMIT);
      assert.equal(semaphore.getValue(), LIMIT);
    });
  });
});
