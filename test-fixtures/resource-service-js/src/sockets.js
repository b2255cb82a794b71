import { once } from 'node:events';
import net from 'node:net';
import WebSocket from 'ws';

const logHost = process.env.LOG_HOST ?? 'logs.internal.example.com';
const logPort = Number(process.env.LOG_PORT ?? 5170);

export async function sendAlert(url, alert) {
  // BUG: socket is left open when no ack arrives within 5 s: once() rejects with an AbortError and close() is skipped.
  const socket = new WebSocket(url);
  await once(socket, 'open');
  socket.send(JSON.stringify(alert));
  const [ack] = await once(socket, 'message', { signal: AbortSignal.timeout(5_000) });
  socket.close(1000, 'alert delivered');
  return String(ack);
}

export async function shipLogs(entries) {
  // BUG: socket is not destroyed when a write throws (an entry that fails to serialise): end() is skipped.
  const socket = net.connect({ host: logHost, port: logPort });
  await once(socket, 'connect');
  for (const entry of entries) {
    socket.write(`${JSON.stringify(entry)}\n`);
  }
  socket.end();
}

export function watchIdle(socket, onIdle) {
  let lastSeen = Date.now();
  socket.on('data', () => {
    lastSeen = Date.now();
  });
  // BUG: timer is never cleared (unref() only stops it holding the process open): one more interval per connection, forever.
  const timer = setInterval(() => {
    if (Date.now() - lastSeen > 60_000) onIdle();
  }, 5_000);
  timer.unref();
}

export function startHeartbeat(socket) {
  // OK: cleared by the returned stop(), which the caller owns.
  const timer = setInterval(() => socket.ping(), 30_000);
  return { stop: () => clearInterval(timer) };
}

export class PriceFeed {
  socket;
  heartbeat;

  constructor(url) {
    this.url = url;
  }

  start(onPrice) {
    // OK: stored on this; close() closes it.
    this.socket = new WebSocket(this.url);
    this.socket.on('message', (data) => onPrice(JSON.parse(String(data))));
    // OK: stored on this; close() clears it.
    this.heartbeat = setInterval(() => this.socket?.ping(), 30_000);
  }

  close() {
    clearInterval(this.heartbeat);
    this.socket?.close(1000, 'feed closed');
  }
}
