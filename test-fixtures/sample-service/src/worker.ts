import { setTimeout as sleep } from 'node:timers/promises';
import { config, type Order, type WebhookEvent } from './config.js';
import { fetchOrder, fetchOrderWithRetry, fetchPendingOrders, isKnownCustomer, postWebhook } from './upstream.js';
import { appendAudit, hasOrder, saveOrder } from './store.js';
import { orderEvents } from './events.js';

export async function syncPendingOrders(): Promise<number> {
  const orders = await fetchPendingOrders();

  // BUG: an async predicate returns a promise, which is always truthy: nothing is filtered out.
  const fromKnownCustomers = orders.filter(async (order) => isKnownCustomer(order.customerId));

  // BUG: forEach ignores the returned promises; the function returns before any order is saved.
  fromKnownCustomers.forEach(async (order) => {
    await saveOrder(order);
  });

  // Correct: all saves awaited together.
  await Promise.all(fromKnownCustomers.map(async (order) => saveOrder(order)));

  // BUG: the audit write is dropped.
  appendAudit(`synced ${fromKnownCustomers.length} orders`);

  return fromKnownCustomers.length;
}

export async function importOrder(id: string): Promise<void> {
  // BUG: a promise is always truthy, so `!hasOrder(id)` is always false: nothing is ever imported.
  if (!hasOrder(id)) {
    const order = await fetchOrderWithRetry(id);
    await saveOrder(order);
    orderEvents.emit('order:seen', order);
  }
}

export async function handleWebhook(event: WebhookEvent): Promise<void> {
  const audit = appendAudit(`webhook ${event.id} ${event.type}`);
  if (event.type === 'order.created') {
    // BUG: `audit` is never awaited on this path; its failure goes unhandled.
    return;
  }
  const order = await fetchOrder(event.orderId);
  if (event.type === 'order.paid') orderEvents.emit('order:paid', order);
  if (event.type === 'order.cancelled') orderEvents.emit('order:cancelled', order);
  await audit;
}

export function notifyShipped(order: Order): void {
  // BUG: `.then` without a rejection handler; a failed webhook is an unhandled rejection.
  postWebhook({ type: 'order.shipped', orderId: order.id }).then(() => {
    console.log(`notified shipment of ${order.id}`);
  });
}

export function notifyShippedSafely(order: Order): void {
  // Correct: the rejection is handled.
  postWebhook({ type: 'order.shipped', orderId: order.id }).then(
    () => console.log(`notified shipment of ${order.id}`),
    (err: unknown) => console.error(`shipment webhook for ${order.id} failed`, err),
  );
}

export function waitForOrder(id: string, timeoutMs: number): Promise<Order> {
  // BUG: an async executor: a rejection from fetchOrder never reaches the returned promise.
  return new Promise(async (resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`order ${id} timed out`)), timeoutMs);
    const order = await fetchOrder(id);
    clearTimeout(timer);
    resolve(order);
  });
}

export async function runWorker(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const count = await syncPendingOrders();
      // Correct: an explicit fire-and-forget.
      void appendAudit(`poll done: ${count}`);
    } catch (err) {
      console.error('poll failed', err);
    }
    // BUG: the pause is not awaited, so the loop polls as fast as it can.
    sleep(config.pollIntervalMs);
    // Correct: awaited, and cancelled with the worker.
    await sleep(config.pollIntervalMs, undefined, { signal }).catch(() => {});
  }
}
