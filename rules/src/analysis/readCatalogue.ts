/**
 * Reads that take a whole body or stream into memory, as data. The read model and
 * `no-unbounded-read` use it; users add whole-read functions through the rule's options.
 */

/** Methods of a fetch/undici `Response` (and of an undici `request()` body) that read it whole, and how a bounded read decodes like them. */
export const WHOLE_BODY_METHODS: Record<string, 'text' | 'json' | 'arrayBuffer' | 'bytes' | null> = {
  text: 'text',
  json: 'json',
  arrayBuffer: 'arrayBuffer',
  bytes: 'bytes',
  blob: null,
  formData: null,
};

/** `node:stream/consumers`: functions that read a whole stream, and the bounded equivalent's decoding. */
export const STREAM_CONSUMERS: Record<string, 'text' | 'json' | 'arrayBuffer' | 'bytes' | null> = {
  text: 'text',
  json: 'json',
  arrayBuffer: 'arrayBuffer',
  buffer: null,
  blob: null,
};
export const STREAM_CONSUMER_MODULES = ['stream/consumers', 'node:stream/consumers'];

/** `fs` reads of a whole file. */
export const FILE_READS = {
  modules: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'],
  functions: ['readFile', 'readFileSync'],
};

/** Upload parsers that take `limits`, and body parsers that take `limit`. */
export const UPLOAD_PARSERS = ['multer', 'busboy', '@fastify/busboy'];
export const BODY_PARSERS: { module: string; functions: string[] }[] = [
  { module: 'express', functions: ['json', 'raw', 'text', 'urlencoded'] },
  { module: 'body-parser', functions: ['json', 'raw', 'text', 'urlencoded'] },
];

/** Names the incoming request (or socket) goes by in a handler's parameters. */
export const REQUEST_NAMES = /^(req|request|incoming|socket|ctx)$/;
/** Properties of a request that carry client-chosen values (`req.params.file`). */
export const REQUEST_INPUTS = new Set(['params', 'query', 'body', 'headers', 'url', 'path', 'originalUrl', 'cookies', 'files', 'file']);

/** The cap a fix writes when the options name none: 10 MiB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
