import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from './config.js';

const ordersDir = path.join(config.dataDir, 'orders');

export async function ensureDirs() {
  await mkdir(ordersDir, { recursive: true });
}

/** Write to a temporary file, then rename: readers never see half an order. */
export async function saveOrder(order) {
  const target = path.join(ordersDir, `${order.id}.json`);
  const tmp = `${target}.tmp`;
  await writeFile(tmp, JSON.stringify(order, null, 2));
  await rename(tmp, target);
}

export async function hasOrder(id) {
  try {
    await readFile(path.join(ordersDir, `${id}.json`));
    return true;
  } catch {
    return false;
  }
}

export async function appendAudit(line) {
  await appendFile(path.join(config.dataDir, 'audit.log'), `${new Date().toISOString()} ${line}\n`);
}

export function removeStaleLock() {
  // BUG: the write is dropped; a failure here is an unhandled rejection.
  writeFile(path.join(config.dataDir, 'worker.lock'), '');
}
