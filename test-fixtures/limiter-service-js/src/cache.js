import { readFile, writeFile } from 'node:fs/promises';
import { Mutex, withTimeout } from 'async-mutex';
import { audit, getText } from './upstream.js';

const ORIGIN = process.env.ORIGIN_URL ?? 'https://api.example.com';
const SNAPSHOT_PATH = process.env.CACHE_SNAPSHOT ?? '/var/cache/limiter-service/snapshot.json';
const DAY_MS = 86_400_000;

async function loadFromOrigin(key) {
  const { text } = await getText(`${ORIGIN}/items/${encodeURIComponent(key)}`);
  return text;
}

// OK: a module-level lock with a timeout: a stuck holder fails its waiters after 2 s instead of hanging them.
const snapshotLock = withTimeout(new Mutex(), 2_000, new Error('snapshot lock timed out'));

export class CacheRefresher {
  // OK: a class-field mutex, one per cache, shared by every method.
  lock = new Mutex();
  entries = new Map();
  refreshing = undefined;

  get(key) {
    return this.entries.get(key);
  }

  async refresh(key) {
    // OK: runExclusive releases whatever the callback does, and the callback awaits its work.
    return this.lock.runExclusive(async () => {
      const entry = { value: await loadFromOrigin(key), fetchedAt: Date.now() };
      this.entries.set(key, entry);
      return entry;
    });
  }

  async refreshAll(keys) {
    await this.lock.runExclusive(async () => {
      for (const key of keys) {
        // BUG: refresh() takes this.lock again, inside this.lock's own section: deadlock on the first key.
        await this.refresh(key);
      }
    });
  }

  async refreshPair(first, second) {
    await this.lock.runExclusive(async () => {
      // OK: both loads start inside the section and are awaited inside it.
      const [a, b] = await Promise.all([loadFromOrigin(first), loadFromOrigin(second)]);
      this.entries.set(first, { value: a, fetchedAt: Date.now() });
      this.entries.set(second, { value: b, fetchedAt: Date.now() });
    });
  }

  async put(key, value) {
    // BUG: the mutex stays locked for good when persist() throws: release() only runs after it succeeds.
    const release = await this.lock.acquire();
    this.entries.set(key, { value, fetchedAt: Date.now() });
    await this.persist();
    release();
  }

  async evict(key) {
    // OK: released in finally.
    const release = await this.lock.acquire();
    try {
      this.entries.delete(key);
      await this.persist();
    } finally {
      release();
    }
  }

  async reload(key) {
    // BUG: the section only stores the pending load in a field: the load runs after the lock is released.
    await this.lock.runExclusive(() => {
      this.refreshing = loadFromOrigin(key);
    });
    const entry = { value: await this.refreshing, fetchedAt: Date.now() };
    this.entries.set(key, entry);
    return entry;
  }

  async snapshot() {
    const writing = writeFile(SNAPSHOT_PATH, JSON.stringify([...this.entries]));
    // BUG: the write already started on the line above: runExclusive only waits for it, it does not serialise it.
    await this.lock.runExclusive(() => writing);
  }

  async compact() {
    const release = await this.lock.acquire();
    let removed = 0;
    try {
      for (const [key, entry] of this.entries) {
        if (Date.now() - entry.fetchedAt > DAY_MS) {
          this.entries.delete(key);
          removed++;
        }
      }
      await this.persist();
    } finally {
      release();
    }
    if (removed > 0) {
      // BUG: released in finally already: this second release unlocks the mutex under its next holder.
      this.lock.release();
    }
    return removed;
  }

  async clear() {
    const release = await this.lock.acquire();
    try {
      // BUG: waits for the lock this very function holds: never resolves.
      await this.lock.waitForUnlock();
      this.entries.clear();
    } finally {
      release();
    }
  }

  async persist() {
    // OK: a different lock than this.lock, taken inside its sections: nesting, not re-entering.
    await snapshotLock.runExclusive(async () => {
      await writeFile(SNAPSHOT_PATH, JSON.stringify([...this.entries]));
    });
  }
}

async function writeSnapshot(data) {
  // OK: released in finally.
  const release = await snapshotLock.acquire();
  try {
    await writeFile(SNAPSHOT_PATH, data);
  } finally {
    release();
  }
}

export async function pruneSnapshot() {
  return snapshotLock.runExclusive(async () => {
    const entries = JSON.parse(await readFile(SNAPSHOT_PATH, 'utf8'));
    const kept = entries.filter(([, entry]) => Date.now() - entry.fetchedAt <= DAY_MS);
    // BUG: writeSnapshot() acquires snapshotLock again, inside snapshotLock's own section: times out after 2 s, every time.
    await writeSnapshot(JSON.stringify(kept));
    return kept.length;
  });
}

export async function rotateSnapshot(maxBytes) {
  // BUG: the lock is not released on the early `return false`, nor when readFile() or writeFile() throws.
  const release = await snapshotLock.acquire();
  const data = await readFile(SNAPSHOT_PATH, 'utf8');
  if (data.length <= maxBytes) return false;
  await writeFile(`${SNAPSHOT_PATH}.1`, data);
  await writeFile(SNAPSHOT_PATH, '[]');
  release();
  return true;
}

/** For callers that run several steps under the snapshot lock: they release it. */
export async function lockSnapshot() {
  // OK: the release function is returned: the caller owns the lock.
  return snapshotLock.acquire();
}

export async function auditAccess(key, who) {
  // BUG: a new mutex per call: concurrent audit lines do not exclude each other.
  const lock = new Mutex();
  await lock.runExclusive(() => audit(`read ${key} by ${who}`));
}
