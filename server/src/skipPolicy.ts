/**
 * Files not worth linting as you type: too large, or minified (one enormous line). Linting them
 * costs seconds per keystroke and finds nothing anyone will fix.
 */

/** A line this long is not hand-written code. */
const MINIFIED_LINE_LENGTH = 5_000;
/** …when lines average this many characters. */
const MINIFIED_AVERAGE_LINE_LENGTH = 300;

/** Why `text` should not be linted, or undefined when it should. */
export function skipReason(text: string, maxFileSize: number): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxFileSize) return `it is ${formatSize(bytes)}, over the asyncguard.maxFileSize limit of ${formatSize(maxFileSize)}`;
  if (looksMinified(text)) return 'it looks minified';
  return undefined;
}

function looksMinified(text: string): boolean {
  if (text.length < MINIFIED_LINE_LENGTH) return false;
  let lines = 0;
  let longest = 0;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    longest = Math.max(longest, stop - start);
    lines += 1;
    if (end === -1) break;
    start = end + 1;
  }
  return longest >= MINIFIED_LINE_LENGTH && text.length / lines >= MINIFIED_AVERAGE_LINE_LENGTH;
}

function formatSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} kB`;
}
