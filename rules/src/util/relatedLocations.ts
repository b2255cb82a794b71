import type { TSESTree } from '@typescript-eslint/utils';

/**
 * Secondary locations of reports (the exit that leaks a resource, the call that throws), kept for
 * editors: ESLint's messages carry only text, so a rule records here what an LSP server turns into
 * `relatedInformation`. Keyed by file and rule; each lint of a file replaces its previous entries.
 */
export interface RelatedLocation {
  /** The report this belongs to: its rule, message id and start. */
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
  /** The secondary location and what it is. */
  related: { line: number; column: number; endLine: number; endColumn: number; message: string };
}

const byFile = new Map<string, Map<string, RelatedLocation[]>>();

/** Forget a rule's entries for a file: called when the rule starts on it. */
export function resetRelated(filename: string, ruleId: string): void {
  byFile.get(filename)?.delete(ruleId);
}

export function addRelated(
  filename: string,
  ruleId: string,
  report: { messageId: string; node: TSESTree.Node },
  related: { node: TSESTree.Node; message: string },
): void {
  let perRule = byFile.get(filename);
  if (!perRule) byFile.set(filename, (perRule = new Map()));
  const list = perRule.get(ruleId) ?? [];
  perRule.set(ruleId, list);
  const { start, end } = related.node.loc;
  list.push({
    ruleId: `asyncguard/${ruleId}`,
    messageId: report.messageId,
    line: report.node.loc.start.line,
    column: report.node.loc.start.column + 1,
    related: { line: start.line, column: start.column + 1, endLine: end.line, endColumn: end.column + 1, message: related.message },
  });
}

/** Every secondary location recorded by the last lint of `filename` (1-based lines and columns, like ESLint's). */
export function relatedLocations(filename: string): RelatedLocation[] {
  return [...(byFile.get(filename)?.values() ?? [])].flat();
}
