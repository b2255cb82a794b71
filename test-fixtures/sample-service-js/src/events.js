import { EventEmitter } from 'node:events';
import { postWebhook } from './upstream.js';
import { appendAudit, saveOrder } from './store.js';

export const orderEvents = new EventEmitter();

// BUG: EventEmitter ignores the listener's promise; a failed save is an unhandled rejection.
orderEvents.on('order:paid', async (order) => {
  await saveOrder(order);
  await postWebhook({ type: 'order.paid', orderId: order.id });
});

// Correct: the listener handles its own failure.
orderEvents.on('order:cancelled', (order) => {
  postWebhook({ type: 'order.cancelled', orderId: order.id }).catch((err) => {
    console.error(`webhook for ${order.id} failed`, err);
  });
});

// Correct: an explicit fire-and-forget.
orderEvents.on('order:seen', (order) => {
  void appendAudit(`seen ${order.id}`);
});
