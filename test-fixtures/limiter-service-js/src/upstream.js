import { appendFile } from 'node:fs/promises';

const UPSTREAM = process.env.UPSTREAM_URL ?? 'https://api.example.com';
const AUDIT_PATH = process.env.AUDIT_LOG ?? '/var/log/limiter-service/audit.log';

/** POSTs JSON to the upstream API and returns its JSON answer (the body is always read). */
export async function postJson(path, body) {
  const res = await fetch(new URL(path, UPSTREAM), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} failed with ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** Reads a text resource from the upstream API (the body is always read). */
export async function getText(url) {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

export async function audit(line) {
  await appendFile(AUDIT_PATH, `${new Date().toISOString()} ${line}\n`);
}
