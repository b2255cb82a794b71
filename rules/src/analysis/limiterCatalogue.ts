/**
 * Concurrency limiters, as data: where each comes from, how it is made, and how work goes through
 * it. The limiter model reads this; users add entries through the rule's options, same shape.
 */
export interface LimiterKind {
  id: string;
  /** How messages name it: "mutex", "semaphore", "p-limit limiter". */
  label: string;
  modules: string[];
  /** `{ construct: ['Mutex'] }`, `{ call: ['default'] }`: paths from the module, as for resources. */
  create: ({ construct: string[] } | { call: string[] })[];
  /**
   * Taking a permit by hand: `acquire()` resolves to a release function (`returnsRelease`), to a
   * tuple whose second element is one (`returnsTuple`, async-mutex's Semaphore), or to nothing, the
   * permit being given back with a method of the limiter (`releaseMethod`).
   */
  acquire?: { method: string; returnsRelease?: boolean; returnsTuple?: boolean; releaseMethod?: string };
  /** Methods that run a function under the limit, and the index of that function (`runExclusive(fn)`, `add(fn)`). */
  runs?: { method: string; index: number; list?: boolean }[];
  /** The limiter is itself a function taking the work: `limit(fn)`, `throttle(fn)`. */
  callable?: { index: number; returnsFunction?: boolean };
  /** Waiting until the lock is free: never ends inside its own section when it is exclusive. */
  waitMethods?: string[];
  /** Waiting until every permit is back (`drain()`): never ends inside a section, whatever the capacity. */
  drainMethods?: string[];
  /** A mutex: entering it again inside its own section deadlocks. */
  exclusive?: boolean;
  /** A function that takes the limiter as its first argument and returns one of the same kind (`withTimeout`). */
  wraps?: boolean;
  /**
   * A wrapper that never waits for a permit: it takes one at once or rejects (`tryAcquire`), so
   * taking it inside the limiter's own section fails instead of deadlocking.
   */
  failsFast?: boolean;
  /**
   * Where a creation gives its number of permits: argument `index`, a number or (with `option`) an
   * options object's property (`pLimit(1)`, `pLimit({ concurrency: 1 })`, `new PQueue({ concurrency: 1 })`).
   * A capacity of a literal 1 makes it exclusive: work waited for inside its own job deadlocks.
   */
  capacity?: { index: number; option?: string };
  /** TypeScript types of the library that are this limiter, for typed receivers (`lock: Mutex`). */
  types?: { package: string; name: string }[];
}

export const limiterCatalogue: LimiterKind[] = [
  {
    id: 'async-mutex.Mutex',
    label: 'mutex',
    modules: ['async-mutex'],
    create: [{ construct: ['Mutex'] }],
    acquire: { method: 'acquire', returnsRelease: true, releaseMethod: 'release' },
    runs: [{ method: 'runExclusive', index: 0 }],
    waitMethods: ['waitForUnlock'],
    exclusive: true,
    types: [{ package: 'async-mutex', name: 'Mutex' }, { package: 'async-mutex', name: 'MutexInterface' }],
  },
  {
    id: 'async-mutex.Semaphore',
    label: 'semaphore',
    modules: ['async-mutex'],
    create: [{ construct: ['Semaphore'] }],
    acquire: { method: 'acquire', returnsTuple: true, releaseMethod: 'release' },
    runs: [{ method: 'runExclusive', index: 0 }],
    waitMethods: ['waitForUnlock'],
    capacity: { index: 0 },
    types: [{ package: 'async-mutex', name: 'Semaphore' }, { package: 'async-mutex', name: 'SemaphoreInterface' }],
  },
  {
    id: 'async-mutex.withTimeout',
    label: 'lock',
    modules: ['async-mutex'],
    create: [{ call: ['withTimeout'] }],
    acquire: { method: 'acquire', returnsRelease: true, releaseMethod: 'release' },
    runs: [{ method: 'runExclusive', index: 0 }],
    waitMethods: ['waitForUnlock'],
    wraps: true,
  },
  {
    // `tryAcquire(mutex)`: the same mutex (its `release()` gives back what this `acquire()` took),
    // but an acquire that rejects with E_ALREADY_LOCKED instead of waiting.
    id: 'async-mutex.tryAcquire',
    label: 'lock',
    modules: ['async-mutex'],
    create: [{ call: ['tryAcquire'] }],
    acquire: { method: 'acquire', returnsRelease: true, releaseMethod: 'release' },
    runs: [{ method: 'runExclusive', index: 0 }],
    waitMethods: ['waitForUnlock'],
    wraps: true,
    failsFast: true,
  },
  {
    id: 'async-sema.Sema',
    label: 'semaphore',
    modules: ['async-sema'],
    create: [{ construct: ['Sema'] }, { construct: ['default', 'Sema'] }],
    acquire: { method: 'acquire', releaseMethod: 'release' },
    drainMethods: ['drain'],
    capacity: { index: 0 },
    types: [{ package: 'async-sema', name: 'Sema' }],
  },
  {
    id: 'p-limit',
    label: 'p-limit limiter',
    modules: ['p-limit'],
    create: [{ call: [] }, { call: ['default'] }],
    callable: { index: 0 },
    capacity: { index: 0, option: 'concurrency' },
    types: [{ package: 'p-limit', name: 'LimitFunction' }],
  },
  {
    id: 'p-queue',
    label: 'queue',
    modules: ['p-queue'],
    create: [{ construct: [] }, { construct: ['default'] }, { construct: ['PQueue'] }],
    runs: [
      { method: 'add', index: 0 },
      { method: 'addAll', index: 0, list: true },
    ],
    // Settle once nothing is queued or running (`onIdle`) or running (`onPendingZero`): the job that waits included.
    drainMethods: ['onIdle', 'onPendingZero'],
    capacity: { index: 0, option: 'concurrency' },
    types: [{ package: 'p-queue', name: 'PQueue' }, { package: 'p-queue', name: 'default' }],
  },
  {
    id: 'p-throttle',
    label: 'throttle',
    modules: ['p-throttle'],
    create: [{ call: [] }, { call: ['default'] }],
    callable: { index: 0, returnsFunction: true },
  },
];

/** Functions that take work and a concurrency: `pMap(input, mapper, { concurrency })`, `limitFunction(fn, …)`. */
export const limitedCalls: { module: string; path: string[]; fnIndex: number; inputIndex?: number; label: string }[] = [
  { module: 'p-map', path: [], fnIndex: 1, inputIndex: 0, label: 'p-map' },
  { module: 'p-map', path: ['default'], fnIndex: 1, inputIndex: 0, label: 'p-map' },
  { module: 'p-map', path: ['pMapIterable'], fnIndex: 1, inputIndex: 0, label: 'p-map' },
  { module: 'p-limit', path: ['limitFunction'], fnIndex: 0, label: 'limitFunction' },
];

/** A limiter the user declares through the rule option, in the option's own terms. */
export interface UserLimiter {
  label: string;
  module: string;
  create: ({ construct: string[] } | { call: string[] })[];
  acquire?: string;
  release?: string;
  /** `acquire()` resolves to the function that releases. */
  acquireReturnsRelease?: boolean;
  /** Methods that take the work as their first argument (`run(fn)`). */
  runs?: string[];
  /** The limiter is called with the work (`limit(fn)`). */
  callable?: boolean;
  /** Entering it again inside its own section deadlocks. */
  exclusive?: boolean;
}

/** The rule option's entries (`limiters`), as catalogue kinds. */
export function userLimiterKinds(limiters: readonly UserLimiter[]): LimiterKind[] {
  return limiters.map((limiter) => ({
    id: `${limiter.module}.${limiter.label}`,
    label: limiter.label,
    modules: [limiter.module],
    create: limiter.create,
    acquire: limiter.acquire
      ? { method: limiter.acquire, releaseMethod: limiter.release, returnsRelease: limiter.acquireReturnsRelease }
      : undefined,
    runs: limiter.runs?.map((method) => ({ method, index: 0 })),
    callable: limiter.callable ? { index: 0 } : undefined,
    exclusive: limiter.exclusive,
  }));
}
