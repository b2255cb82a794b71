/**
 * The bounded read that `no-unbounded-read`'s suggestion puts in place of a whole-body read
 * (`await res.text()` → `await readBounded(res, 1048576, 'text')`), and the helper it inserts once
 * per file. The helper uses globals only (no imports), so it fits any file, ES module or CommonJS,
 * and is a function declaration, so it is hoisted wherever it lands.
 */

export const BOUNDED_READ_NAME = 'readBounded';

/**
 * The source of the helper: `readBounded(source, maxBytes, as)` reads a fetch/undici `Response`
 * (through its web `ReadableStream` body; a null body reads as empty) or a Node.js readable such as
 * undici `request()`'s body (an async iterable of bytes), keeping at most `maxBytes` plus the chunk
 * in hand. Past the cap it cancels the web stream or destroys the Node stream, which closes the
 * connection, and throws; under it, it decodes as the original call: `text` UTF-8 (decoded once,
 * from all the bytes, so a character split across chunks survives), `json` parsed from that text,
 * `bytes` a `Uint8Array`, `arrayBuffer` an `ArrayBuffer`.
 *
 * Node streams are told apart by `Symbol.asyncIterator` (a `Response` has none), not by `body`:
 * undici's body stream has a `body` getter too. Typed, `as` picks the result type (`'json'` is
 * `unknown`, as undici types `Response#json()`).
 */
export function boundedReadHelper(options: { typescript: boolean; name?: string }): string {
  const t = (annotation: string) => (options.typescript ? annotation : '');
  const name = options.name ?? BOUNDED_READ_NAME;
  const results = '{ text: string; json: unknown; bytes: Uint8Array; arrayBuffer: ArrayBuffer }';
  return [
    '/** Reads a response or stream body like `.text()`/`.json()`/…, but throws (and stops reading) past `maxBytes`. */',
    `async function ${name}${t("<As extends 'text' | 'json' | 'bytes' | 'arrayBuffer'>")}(`,
    `  source${t(': { body: ReadableStream<Uint8Array> | null } | (AsyncIterable<Uint8Array> & { destroy(): void })')},`,
    `  maxBytes${t(': number')},`,
    `  as${t(': As')},`,
    `)${t(`: Promise<${results}[As]>`)} {`,
    `  const chunks${t(': Uint8Array[]')} = [];`,
    '  let size = 0;',
    '  if (Symbol.asyncIterator in source) {',
    '    for await (const chunk of source) {',
    '      size += chunk.byteLength;',
    '      if (size > maxBytes) {',
    '        source.destroy();',
    '        throw new Error(`body exceeds ${maxBytes} bytes`);',
    '      }',
    '      chunks.push(chunk);',
    '    }',
    '  } else if (source.body) {',
    '    const reader = source.body.getReader();',
    '    for (let read = await reader.read(); !read.done; read = await reader.read()) {',
    '      size += read.value.byteLength;',
    '      if (size > maxBytes) {',
    '        await reader.cancel();',
    '        throw new Error(`body exceeds ${maxBytes} bytes`);',
    '      }',
    '      chunks.push(read.value);',
    '    }',
    '  }',
    '  const bytes = new Uint8Array(size);',
    '  let offset = 0;',
    '  for (const chunk of chunks) {',
    '    bytes.set(chunk, offset);',
    '    offset += chunk.byteLength;',
    '  }',
    `  const decode = ()${t(': unknown')} => {`,
    "    if (as === 'bytes') return bytes;",
    "    if (as === 'arrayBuffer') return bytes.buffer;",
    '    const text = new TextDecoder().decode(bytes);',
    "    return as === 'json' ? JSON.parse(text) : text;",
    '  };',
    `  return decode()${t(` as ${results}[As]`)};`,
    '}',
  ].join('\n');
}

/** The bounded read that replaces a whole read of `receiverText` (the rule wraps it in `await`). */
export function boundedReadCall(receiverText: string, maxBytes: number, as: string, name: string = BOUNDED_READ_NAME): string {
  return `${name}(${receiverText}, ${maxBytes}, '${as}')`;
}
