import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { createClient } from 'redis';
import { track } from './lifecycle.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://localhost:6379';
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://localhost:27017';

export async function getSession(token) {
  // BUG: a new ioredis connection per call, never quit(): one more open connection per lookup.
  const redis = new Redis(redisUrl);
  return redis.get(`session:${token}`);
}

export async function publishInvalidation(key) {
  // OK: close() in finally covers both the connect and the publish.
  const client = createClient({ url: redisUrl });
  try {
    await client.connect();
    await client.publish('cache:invalidate', key);
  } finally {
    await client.close();
  }
}

export function subscribeInvalidations(onKey) {
  // OK: handed to track(), which quits it at shutdown.
  const subscriber = new Redis(redisUrl);
  track(subscriber);
  subscriber.on('message', (_channel, key) => onKey(key));
  subscriber.subscribe('cache:invalidate').catch((err) => console.error('subscribe failed', err));
}

export async function archiveInvoice(invoice) {
  // BUG: client is closed only on the success path: a failed insert leaves it connected.
  const client = new MongoClient(mongoUrl);
  await client.connect();
  await client.db('archive').collection('invoices').insertOne(invoice);
  await client.close();
}
