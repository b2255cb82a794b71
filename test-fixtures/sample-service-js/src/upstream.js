import { setTimeout as sleep } from 'node:timers/promises';
import { config } from './config.js';

export class UpstreamError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function getJson(path) {
  const res = await fetch(`${config.upstreamUrl}${path}`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new UpstreamError(res.status, `GET ${path} failed with ${res.status}`);
  }
  return res.json(); // BUG (no-unbounded-read): the upstream chooses how much this buffers
}

export async function fetchPendingOrders() {
  return getJson('/orders?status=pending');
}

export async function fetchOrder(id) {
  return getJson(`/orders/${encodeURIComponent(id)}`);
}

/** Retries with a linear backoff; every attempt is awaited. */
export async function fetchOrderWithRetry(id) {
  for (let attempt = 1;; attempt++) {
    try {
      return await fetchOrder(id);
    } catch (err) {
      if (attempt >= config.maxAttempts) throw err;
      await sleep(attempt * 250);
    }
  }
}

export async function postWebhook(payload) {
  const res = await fetch(config.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  await res.body?.cancel();
  if (!res.ok) throw new UpstreamError(res.status, `webhook failed with ${res.status}`);
}

export async function isKnownCustomer(customerId) {
  const res = await fetch(`${config.upstreamUrl}/customers/${encodeURIComponent(customerId)}`, {
    method: 'HEAD',
  });
  return res.ok;
}
