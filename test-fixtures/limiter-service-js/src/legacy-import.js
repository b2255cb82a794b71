// The nightly import from the legacy CRM, never ported to TypeScript. JavaScript-only: these are the
// "promise where the limiter takes a function" shapes that TypeScript refuses to compile, so the
// typed twin (../../limiter-service) cannot hold them.
import { writeFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import pThrottle from 'p-throttle';
import { getText, postJson } from './upstream.js';

const CRM = process.env.CRM_URL ?? 'https://crm.example.com';
const CHECKPOINT_PATH = process.env.IMPORT_CHECKPOINT ?? '/var/lib/limiter-service/import-checkpoint.json';

// OK: module-level limiters, shared by every call.
const limit = pLimit(4);
const importQueue = new PQueue({ concurrency: 2 });
const checkpointLock = new Mutex();
const throttle = pThrottle({ limit: 5, interval: 1_000 });

async function fetchCustomer(id) {
  const { text } = await getText(`${CRM}/customers/${id}`);
  return JSON.parse(text);
}

async function syncTable(table) {
  await postJson(`/import/${table}`, { since: Date.now() - 86_400_000 });
}

export async function importCustomers(ids) {
  // BUG: fetchCustomer(id) runs when the argument is evaluated: every customer is fetched at once, and p-limit then rejects the promise it got.
  return Promise.all(ids.map((id) => limit(fetchCustomer(id))));
}

export async function importOrders(ids) {
  return Promise.all(
    ids.map((id) =>
      // BUG: an async IIFE is a promise, already running: the queue gets no function to schedule.
      importQueue.add((async () => {
        const { text } = await getText(`${CRM}/orders/${id}`);
        await postJson('/import/orders', JSON.parse(text));
      })()),
    ),
  );
}

export async function syncAllTables() {
  // BUG: the array holds three syncs that are already running: addAll gets promises, not functions.
  await importQueue.addAll([syncTable('customers'), syncTable('orders'), syncTable('invoices')]);
}

export async function saveCheckpoint(state) {
  const saving = writeFile(CHECKPOINT_PATH, JSON.stringify(state));
  // BUG: a variable holding a write that already started: runExclusive gets a promise, not a function.
  await checkpointLock.runExclusive(saving);
}

export async function importCustomerNotes(id) {
  // BUG: throttle() takes the function to throttle; this hands it the promise of a fetch that already started.
  const throttledNotes = throttle(getText(`${CRM}/customers/${id}/notes`));
  return throttledNotes();
}

export async function importCustomersSafely(ids) {
  // OK: the same import with the work wrapped in functions.
  const customers = await Promise.all(ids.map((id) => limit(() => fetchCustomer(id))));
  await importQueue.addAll([() => syncTable('customers'), () => syncTable('orders')]);
  await checkpointLock.runExclusive(() => writeFile(CHECKPOINT_PATH, JSON.stringify({ done: ids.length })));
  return customers;
}
