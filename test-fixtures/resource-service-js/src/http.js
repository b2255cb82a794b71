import http from 'node:http';
import { Agent, Client, Pool, request } from 'undici';

const billingUrl = process.env.BILLING_URL ?? 'https://billing.internal.example.com';
const ratesUrl = process.env.RATES_URL ?? 'https://rates.internal.example.com/v1/rates';
const metricsUrl = process.env.METRICS_URL ?? 'http://metrics.internal.example.com:8428';

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function fetchInvoice(id) {
  // BUG: res body is neither consumed nor cancelled when the status is not ok: the throw leaves the socket checked out.
  const res = await fetch(`${billingUrl}/invoices/${encodeURIComponent(id)}`);
  if (!res.ok) throw new HttpError(res.status, `invoice ${id}: HTTP ${res.status}`);
  return res.json();
}

export async function fetchAccountInvoices(accountId) {
  // OK: the body is cancelled before the throw and read on success.
  const res = await fetch(`${billingUrl}/accounts/${encodeURIComponent(accountId)}/invoices`);
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpError(res.status, `invoices of ${accountId}: HTTP ${res.status}`);
  }
  return res.json();
}

export async function fetchRate(currency) {
  // BUG: body is not consumed on the early `return undefined` for an unknown currency (404).
  const { statusCode, body } = await request(`${ratesUrl}/${encodeURIComponent(currency)}`);
  if (statusCode === 404) return undefined;
  const { rate } = await body.json();
  return rate;
}

export async function firstReachableMirror(mirrors) {
  for (const mirror of mirrors) {
    // BUG: a new Agent (and its connection pool) per iteration instead of one shared dispatcher.
    const agent = new Agent({ connect: { timeout: 2_000 } });
    try {
      const { statusCode, body } = await request(mirror, { method: 'HEAD', dispatcher: agent });
      await body.dump();
      if (statusCode === 200) return mirror;
    } catch {
      continue;
    } finally {
      await agent.close();
    }
  }
  return undefined;
}

export async function unhealthyShards(origins) {
  const down = [];
  for (let i = 0; i < origins.length; i++) {
    // BUG: a new undici Pool per iteration: its connections are never reused.
    const shard = new Pool(origins[i], { connections: 2 });
    try {
      const { statusCode, body } = await shard.request({ path: '/healthz', method: 'GET' });
      await body.dump();
      if (statusCode !== 200) down.push(origins[i]);
    } finally {
      await shard.close();
    }
  }
  return down;
}

export function statusOf(host) {
  // BUG: a keep-alive agent per call, never destroyed: its idle socket stays open after the call.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const req = http.get({ host, path: '/status', agent }, (res) => resolve(res.resume().statusCode ?? 0));
    req.on('error', reject);
  });
}

export async function pushMetrics(lines) {
  // OK: one client for the whole batch, closed in finally.
  const client = new Client(metricsUrl, { pipelining: 4 });
  try {
    for (const line of lines) {
      const { body } = await client.request({ path: '/api/v1/import/prometheus', method: 'POST', body: line });
      await body.dump();
    }
  } finally {
    await client.close();
  }
}
