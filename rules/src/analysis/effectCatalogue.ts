/**
 * What well-known functions do to the values passed to them and whether they throw, as data, for
 * calls the function summaries cannot look into (globals, Node.js, libraries). Callees are matched
 * as dotted text (`console.log`, `JSON.parse`, `this.emit` → `emit` by its last part where noted).
 */

/** Calls that look at a value without taking it over: passing a resource to these is only a use. */
export const NON_OWNING_CALLEES =
  /^(console\.\w+|assert(\.\w+)?|util\.inspect|inspect|JSON\.stringify|String|Number|Boolean|expect|debug|log|logger\.\w+|\w+\.(log|debug|info|warn|error|trace))$/;

/** Calls that cannot throw in practice: never an exception path. */
export const NON_THROWING_CALLEES =
  /^(console\.\w+|Math\.\w+|Date\.now|performance\.now|Number|String|Boolean|Symbol|Array\.isArray|Object\.(keys|values|entries|freeze|assign|create)|clearTimeout|clearInterval|setTimeout|setImmediate|queueMicrotask|\S+\.(push|unshift|add|has|toString))$/;

/**
 * Synchronous calls that throw on bad input, the everyday ways a function leaves between an
 * acquisition and its release without an `await`: parsing, URLs, decoding, assertions.
 */
export const THROWING_CALLEES =
  /^(JSON\.parse|URL|new URL|decodeURIComponent|decodeURI|encodeURIComponent|structuredClone|BigInt|assert(\.\w+)?|\w+\.parse|(fs\.)?(read|write|append|copy|rename|unlink|mkdir|stat|lstat|readdir|rm|rmdir|open|truncate|fsync|exec|execFile|spawn)\w*Sync)$/;

/**
 * Callees that take over what an options object passed to them holds (`Object.assign(this, { pool })`
 * stores it; `resolve({ client })` hands it to whoever awaits): with any other call, a resource
 * in an options object (`https.get(url, { agent })`) is only used there. Matched on the last part.
 */
export const OPTION_KEEPING_CALLEES = new Set(['assign', 'resolve', 'emit', 'push', 'unshift', 'set', 'add', 'next', 'callback', 'cb', 'done', 'defineProperty']);
