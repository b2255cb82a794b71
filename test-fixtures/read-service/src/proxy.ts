import { createServer, type IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { text } from 'node:stream/consumers';
import { request } from 'undici';

const CONFIG_URL = 'https://config.internal.example.com/proxy.json';
const uploadsDir = '/srv/uploads';

export interface Feed {
  items: { id: string; title: string }[];
}

export async function loadConfig(): Promise<unknown> {
  // OK: a constant URL the program chooses.
  const res = await fetch(CONFIG_URL);
  return res.json();
}

export async function importFeed(feedUrl: string): Promise<Feed> {
  const res = await fetch(feedUrl);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`feed ${feedUrl}: HTTP ${res.status}`);
  }
  // BUG: the feed's owner chooses how much this buffers.
  return (await res.json()) as Feed;
}

export async function mirror(assetUrl: string): Promise<ArrayBuffer> {
  const res = await fetch(assetUrl);
  const declared = Number(res.headers.get('content-length'));
  if (declared > 5_000_000) throw new Error('asset too large');
  // BUG: the Content-Length check lets a chunked response (no length at all) through.
  return res.arrayBuffer();
}

export async function mirrorChecked(assetUrl: string): Promise<ArrayBuffer> {
  const res = await fetch(assetUrl);
  const declared = res.headers.get('content-length');
  // OK: a missing length is refused too, and the client stops at a declared one.
  if (!declared || Number(declared) > 5_000_000) {
    await res.body?.cancel();
    throw new Error('asset too large or of unknown size');
  }
  return res.arrayBuffer();
}

export async function thumbnail(id: string): Promise<string> {
  // BUG: an undici body read whole, from a URL built at run time.
  const { body } = await request(`https://images.example.com/${encodeURIComponent(id)}/meta`);
  return body.text();
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  // BUG: the whole request body, however large, goes into memory.
  return JSON.parse(await text(req));
}

async function readUpload(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // BUG: every chunk is kept, with no running count.
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readUploadCapped(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  // OK: counts bytes and stops past the cap.
  for await (const chunk of req) {
    received += (chunk as Buffer).length;
    if (received > 1_000_000) {
      req.destroy();
      throw new Error('upload too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/import') {
    res.end(JSON.stringify(await readJsonBody(req)));
  } else if (url.pathname === '/upload') {
    res.end(String((await readUpload(req)).length + (await readUploadCapped(req)).length));
  } else {
    // BUG: the path comes from the request: any file, of any size, is read whole.
    const file = await readFile(path.join(uploadsDir, url.searchParams.get('name') ?? ''));
    res.end(file);
  }
});
