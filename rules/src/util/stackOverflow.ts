/** A JavaScript stack overflow (V8's `RangeError: Maximum call stack size exceeded`), and nothing else. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
