/** ESLint fixes (offsets into the linted text) → LSP text edits. Pure. */
import type { Rule } from 'eslint';
import { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * ESLint strips a byte order mark before linting, so its offsets are one short of the document's
 * when the text starts with one.
 */
export function fixToEdit(document: TextDocument, fix: Rule.Fix): TextEdit {
  const shift = document.getText().startsWith('\uFEFF') ? 1 : 0;
  const [start, end] = fix.range;
  return TextEdit.replace({ start: document.positionAt(start + shift), end: document.positionAt(end + shift) }, fix.text);
}

/**
 * Every fix that does not overlap an earlier one, in order: one pass of what `eslint --fix` does,
 * computed from cached results. Overlapping fixes are left for the next pass (the re-lint after the
 * edit offers them again).
 */
export function mergeFixes(fixes: readonly Rule.Fix[]): Rule.Fix[] {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const kept: Rule.Fix[] = [];
  let lastEnd = -1;
  for (const fix of sorted) {
    // Touching is overlapping too: two inserts at one offset have no defined order.
    if (fix.range[0] <= lastEnd && kept.length > 0) continue;
    kept.push(fix);
    lastEnd = fix.range[1];
  }
  return kept;
}
