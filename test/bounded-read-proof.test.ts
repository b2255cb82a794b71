/**
 * Proof that `no-unbounded-read`'s suggestion bounds the read: the helper it inserts
 * (`rules/src/fix/boundedRead.ts`), loaded from the very text the suggestion writes — the
 * TypeScript variant transpiled, and the JavaScript variant as is — is run against a real
 * `node:http` server on 127.0.0.1, on real `fetch()` responses and real undici `request()` bodies.
 *
 * - Past the cap it rejects with the cap's error; the bytes handed to it (counted where the helper
 *   takes them: the web stream's reader, the Node stream's async iterator) stay within the cap plus
 *   one chunk; and the server, which writes on demand (backpressure), sees the client go away with
 *   most of the 50 MiB body never written.
 * - ArrayBuffer memory grows by what the client's socket reads took in — at most what the server
 *   wrote, the cap plus a few MiB of kernel and client read-ahead — not by the body.
 * - Under the cap it returns exactly what the original call returns on an identical second request.
 * - A `Content-Length` that lies low (see the `/lying` route) cannot smuggle a large body in: both
 *   clients stop at the declared length.
 *
 * Deterministic: the server writes only as fast as the client reads, and every "the server stopped"
 * check awaits the response's own `close` event, never a timer. No assertion on a duration.
 * `PROOF_LOG=1 npx mocha test/bounded-read-proof.test.ts` prints what each run measured.
 */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import * as ts from 'typescript';
import { Agent, request } from 'undici';
import { BOUNDED_READ_NAME, boundedReadHelper } from '../rules/src/fix/boundedRead';

const KiB = 1024;
const MiB = 1024 * KiB;
/** The cap under test: far below the body (the rule's default, 10 MiB, would only make the run slower). */
const CAP = 1 * MiB;
const CHUNK = 64 * KiB;
const TOTAL = 50 * MiB;
/** A lying length: small and under the cap, so a `Content-Length` check would wave the response through. */
const LIED_LENGTH = 10;

type As = 'text' | 'json' | 'bytes' | 'arrayBuffer';
type ReadBounded = (source: unknown, maxBytes: number, as: As) => Promise<unknown>;

/** The helper as the suggestion inserts it, evaluated: the TypeScript variant transpiled, the JavaScript one as is. */
function load(typescript: boolean): ReadBounded {
  const text = boundedReadHelper({ typescript });
  const js = typescript
    ? ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText
    : text;
  return new Function(`${js}\nreturn ${BOUNDED_READ_NAME};`)() as ReadBounded;
}

/** What the server saw of one response. */
interface Served {
  /** Body bytes handed to `res.write` (after which the kernel or the client holds them). */
  written: number;
  /** Whether the server wrote the whole body. */
  ended: boolean;
  /** Resolves when the response closes: the server finished or the client went away. */
  closed: Promise<void>;
}

const served = new Map<string, Served>();
let server: http.Server;
let base: string;
/** undici's `request()` through its own agent, closed in `after` (fetch has Node's global one). */
let agent: Agent;

const JSON_BODY = { name: 'Zoë', city: 'Kraków', price: '12 €', emoji: '🦀', list: [1, 2.5, null, true], nested: { ok: false } };
const TEXT = 'naïve café — 你好, 🦀 and € at the edges: ß';

/** The text's bytes cut in the middle of multi-byte characters (every cut lands inside one). */
function splitMidCharacter(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const cuts = [bytes.indexOf(Buffer.from('ï')) + 1, bytes.indexOf(Buffer.from('你')) + 2, bytes.indexOf(Buffer.from('🦀')) + 3, bytes.length - 1];
  const parts: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    parts.push(bytes.subarray(start, cut));
    start = cut;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const record: Served = { written: 0, ended: false, closed: once(res, 'close').then(() => undefined) };
  served.set(url.searchParams.get('id') ?? url.pathname, record);
  res.on('finish', () => (record.ended = true));

  /** Writes `total` bytes in 64 KiB chunks, only when the socket takes them, and stops when the client goes away. */
  const stream = (total: number) => {
    const chunk = Buffer.alloc(CHUNK, 'x');
    const pump = () => {
      while (!res.destroyed && record.written < total) {
        record.written += CHUNK;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

  switch (url.pathname) {
    case '/chunked': // (a) no length at all: what a `Content-Length` check that tolerates a missing length lets through
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      stream(TOTAL);
      return;
    case '/sized': // (a') an honest length, far over the cap
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': TOTAL });
      stream(TOTAL);
      return;
    case '/lying':
      // (b) A length that lies: it declares LIED_LENGTH bytes (under the cap, so a length check
      // passes it) and then streams 50 MiB. HTTP/1.1 framing is the declared length: fetch and
      // undici end the body after LIED_LENGTH bytes and drop the connection when the rest arrives
      // as garbage where the next response should be. So a small declared length cannot smuggle a
      // large body into the read — the original call and the bounded one both return the first
      // LIED_LENGTH bytes — and what a length check misses is the body with no length, which (a)
      // shows the cap stopping. The server's count shows the client hanging up long before 50 MiB.
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': LIED_LENGTH });
      stream(TOTAL);
      return;
    case '/json': // (c)
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(JSON_BODY));
      return;
    case '/split': {
      // (d) Chunked, each chunk cut inside a multi-byte character; the writes are a turn of the
      // event loop apart so they tend to arrive apart (the assertions hold however they arrive).
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      const parts = splitMidCharacter(TEXT);
      const next = () => {
        const part = parts.shift();
        if (!part) return res.end();
        res.write(part);
        setImmediate(next);
      };
      next();
      return;
    }
    case '/empty': // a null body (204)
      res.writeHead(204);
      res.end();
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

let requests = 0;
/** A fresh URL for `route` whose server-side record is `served.get(id)`. */
function url(route: string): { href: string; id: string } {
  const id = `${route}#${++requests}`;
  return { href: `${base}${route}?id=${encodeURIComponent(id)}`, id };
}

/** Bytes the helper is handed from a fetch Response's body: the reader it gets counts what it reads. */
function countedResponse(res: Response, onChunk = () => {}): { res: Response; handed: () => number; largest: () => number; chunks: () => number } {
  let handed = 0;
  let chunks = 0;
  let largest = 0;
  const body = res.body;
  if (body) {
    const getReader = body.getReader.bind(body);
    Object.defineProperty(body, 'getReader', {
      value: () => {
        const reader = getReader();
        const read = reader.read.bind(reader);
        Object.defineProperty(reader, 'read', {
          value: async () => {
            const result = await read();
            if (!result.done) {
              handed += result.value.byteLength;
              largest = Math.max(largest, result.value.byteLength);
              chunks++;
              onChunk();
            }
            return result;
          },
        });
        return reader;
      },
    });
  }
  return { res, handed: () => handed, largest: () => largest, chunks: () => chunks };
}

/** Bytes the helper is handed from a Node stream: its async iterator counts what it yields. */
function countedStream<S extends AsyncIterable<Uint8Array>>(stream: S): { stream: S; handed: () => number; largest: () => number } {
  let handed = 0;
  let largest = 0;
  const iterate = stream[Symbol.asyncIterator].bind(stream);
  Object.defineProperty(stream, Symbol.asyncIterator, {
    value: () => {
      const iterator = iterate();
      const next = iterator.next.bind(iterator);
      return Object.assign(iterator, {
        next: async () => {
          const result = await next();
          if (!result.done) {
            handed += result.value.byteLength;
            largest = Math.max(largest, result.value.byteLength);
          }
          return result;
        },
      });
    },
  });
  return { stream, handed: () => handed, largest: () => largest };
}

const log = (...args: unknown[]) => {
  if (process.env.PROOF_LOG === '1') console.log('     ', ...args);
};

describe('bounded-read proof: the suggested readBounded against a real HTTP server', function () {
  // A helper that stopped cancelling would leave a read pending forever: fail fast, not after the global 2 minutes.
  this.timeout(10_000);

  before(async () => {
    server = http.createServer(handle);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new Agent();
  });

  after(async () => {
    await agent.close();
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  /** The helper's error past a cap of `max` bytes. */
  const capError = (max = CAP) => ({ name: 'Error', message: `body exceeds ${max} bytes` });

  /** The server stopped early: it saw the client go away with most of the body never written. */
  async function assertServerStopped(id: string): Promise<number> {
    const record = served.get(id)!;
    await record.closed;
    assert.equal(record.ended, false, 'the server never finished the body');
    assert.ok(record.written < TOTAL / 4, `the server wrote ${record.written} bytes of ${TOTAL} before the client went away`);
    return record.written;
  }

  for (const typescript of [true, false]) {
    describe(typescript ? 'TypeScript variant (transpiled)' : 'JavaScript variant', () => {
      const readBounded = load(typescript);

      for (const route of ['/chunked', '/sized']) {
        it(`fetch ${route}: rejects past the cap, holding at most the cap plus one chunk, and the server stops`, async () => {
          const { href, id } = url(route);
          const counted = countedResponse(await fetch(href));
          await assert.rejects(readBounded(counted.res, CAP, 'text'), capError());
          assert.ok(counted.handed() <= CAP + counted.largest(), `handed ${counted.handed()} bytes`);
          assert.ok(counted.handed() > CAP, 'it read up to the cap');
          const written = await assertServerStopped(id);
          log(`fetch ${route}: handed ${counted.handed()} B (largest chunk ${counted.largest()} B), server wrote ${written} B of ${TOTAL}`);
        });

        it(`undici request ${route}: rejects past the cap, holding at most the cap plus one chunk, and the server stops`, async () => {
          const { href, id } = url(route);
          const { body } = await request(href, { dispatcher: agent });
          const counted = countedStream(body);
          await assert.rejects(readBounded(counted.stream, CAP, 'bytes'), capError());
          assert.ok(counted.handed() <= CAP + counted.largest(), `handed ${counted.handed()} bytes`);
          assert.ok(counted.handed() > CAP, 'it read up to the cap');
          assert.ok(body.destroyed, 'the body stream was destroyed');
          const written = await assertServerStopped(id);
          log(`undici ${route}: handed ${counted.handed()} B (largest chunk ${counted.largest()} B), server wrote ${written} B of ${TOTAL}`);
        });
      }

      it('memory: reading the 50 MiB chunked body grows ArrayBuffer memory by what the server sent before the hang-up, not by the body', async () => {
        // Everything allocated for this read is the client's socket reads, at most the bytes the
        // server wrote on this connection (the helper only keeps references to those chunks): so the
        // growth is bounded by the server's count plus slack for unrelated buffers, and the server's
        // count is itself bounded above. A whole read of the body would grow it by 50 MiB.
        const { href, id } = url('/chunked');
        const before = process.memoryUsage().arrayBuffers;
        let peak = before;
        const counted = countedResponse(await fetch(href), () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)));
        await assert.rejects(readBounded(counted.res, CAP, 'arrayBuffer'), capError());
        const written = await assertServerStopped(id);
        log(`fetch /chunked: ArrayBuffer memory grew by at most ${peak - before} B while reading (sampled at every chunk); the server wrote ${written} B`);
        assert.ok(peak - before < written + MiB, `ArrayBuffer memory grew by ${peak - before} bytes`);
      });

      it('fetch /lying: the client stops at the declared length; the bounded read returns what text() does', async () => {
        const original = url('/lying');
        // eslint-disable-next-line asyncguard/no-unbounded-read -- the unbounded original, read to compare with
        const expected = await (await fetch(original.href)).text();
        const bounded = url('/lying');
        const actual = await readBounded(await fetch(bounded.href), CAP, 'text');
        assert.equal(expected, 'x'.repeat(LIED_LENGTH));
        assert.equal(actual, expected);
        const written = [await assertServerStopped(original.id), await assertServerStopped(bounded.id)];
        log(`fetch /lying: read ${LIED_LENGTH} B; server wrote ${written.join(' and ')} B before the client hung up`);
      });

      it('undici request /lying: the client stops at the declared length; the bounded read returns what body.text() does', async () => {
        const original = url('/lying');
        // eslint-disable-next-line asyncguard/no-unbounded-read -- the unbounded original, read to compare with
        const expected = await (await request(original.href, { dispatcher: agent })).body.text();
        const bounded = url('/lying');
        const actual = await readBounded((await request(bounded.href, { dispatcher: agent })).body, CAP, 'text');
        assert.equal(expected, 'x'.repeat(LIED_LENGTH));
        assert.equal(actual, expected);
        const written = [await assertServerStopped(original.id), await assertServerStopped(bounded.id)];
        log(`undici /lying: read ${LIED_LENGTH} B; server wrote ${written.join(' and ')} B before the client hung up`);
      });

      it('fetch under the cap: json, text, bytes and arrayBuffer exactly as the Response methods', async () => {
        const get = async (route: string) => fetch(url(route).href);
        assert.deepEqual(await readBounded(await get('/json'), CAP, 'json'), await (await get('/json')).json());
        assert.deepEqual(await readBounded(await get('/json'), CAP, 'json'), JSON_BODY);
        assert.equal(await readBounded(await get('/split'), CAP, 'text'), await (await get('/split')).text());
        const split = countedResponse(await get('/split'));
        assert.equal(await readBounded(split.res, CAP, 'text'), TEXT);
        log(`fetch /split: ${Buffer.byteLength(TEXT)} B of text arrived in ${split.chunks()} chunks`);
        assert.deepEqual(await readBounded(await get('/split'), CAP, 'bytes'), new Uint8Array(await (await get('/split')).arrayBuffer()));
        const buffer = await readBounded(await get('/json'), CAP, 'arrayBuffer');
        assert.ok(buffer instanceof ArrayBuffer);
        assert.deepEqual(buffer, await (await get('/json')).arrayBuffer());
        // A null body (204) reads as empty, as text() does.
        const empty = await get('/empty');
        assert.equal(empty.body, null);
        assert.equal(await readBounded(empty, CAP, 'text'), await (await get('/empty')).text());
        assert.deepEqual(await readBounded(await get('/empty'), CAP, 'bytes'), new Uint8Array(0));
        // Exactly at the cap is under it.
        const size = Buffer.byteLength(TEXT);
        assert.equal(await readBounded(await get('/split'), size, 'text'), TEXT);
        await assert.rejects(readBounded(await get('/split'), size - 1, 'text'), capError(size - 1));
      });

      it('undici request under the cap: json, text, bytes and arrayBuffer exactly as the body methods', async () => {
        const get = async (route: string) => (await request(url(route).href, { dispatcher: agent })).body;
        assert.deepEqual(await readBounded(await get('/json'), CAP, 'json'), await (await get('/json')).json());
        assert.equal(await readBounded(await get('/split'), CAP, 'text'), await (await get('/split')).text());
        assert.equal(await readBounded(await get('/split'), CAP, 'text'), TEXT);
        assert.deepEqual(await readBounded(await get('/split'), CAP, 'bytes'), await (await get('/split')).bytes());
        const buffer = await readBounded(await get('/json'), CAP, 'arrayBuffer');
        assert.ok(buffer instanceof ArrayBuffer);
        assert.deepEqual(buffer, await (await get('/json')).arrayBuffer());
        assert.equal(await readBounded(await get('/empty'), CAP, 'text'), await (await get('/empty')).text());
      });

      it('a character split across chunks decodes whole (chunks made to split it, independent of the network)', async () => {
        const parts = splitMidCharacter(TEXT);
        const web = new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              for (const part of parts) controller.enqueue(new Uint8Array(part));
              controller.close();
            },
          }),
        );
        assert.equal(await readBounded(web, CAP, 'text'), TEXT);
        assert.equal(await readBounded(Readable.from(parts), CAP, 'text'), TEXT);
      });
    });
  }
});
