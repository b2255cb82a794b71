import { setTimeout as sleep } from 'node:timers/promises';
import { config, type Order } from './config.js';

export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${config.upstreamUrl}${path}`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new UpstreamError(res.status, `GET ${path} failed with ${res.status}`);
  }
  return (await res.json()) as T; // BUG (no-unbounded-read): the upstream chooses how much this buffers
}

export async function fetchPendingOrders(): Promise<Order[]> {
  return getJson<Order[]>('/orders?status=pending');
}

export async function fetchOrder(id: string): Promise<Order> {
  return getJson<Order>(`/orders/${encodeURIComponent(id)}`);
}

/** Retries with a linear backoff; every attempt is awaited. */
export async function fetchOrderWithRetry(id: string): Promise<Order> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOrder(id);
    } catch (err) {
      if (attempt >= config.maxAttempts) throw err;
      await sleep(attempt * 250);
    }
  }
}

export async function postWebhook(payload: unknown): Promise<void> {
  const res = await fetch(config.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  await res.body?.cancel();
  if (!res.ok) throw new UpstreamError(res.status, `webhook failed with ${res.status}`);
}

export async function isKnownCustomer(customerId: string): Promise<boolean> {
  const res = await fetch(`${config.upstreamUrl}/customers/${encodeURIComponent(customerId)}`, {
    method: 'HEAD',
  });
  return res.ok;
}
