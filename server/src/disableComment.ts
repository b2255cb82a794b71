/**
 * "Disable <rule> for this line": an `// eslint-disable-next-line <rule>` comment above the line,
 * merged into one already there instead of stacking a second comment. Pure.
 */
import { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

const DIRECTIVE = /^(?<indent>\s*)\/\/\s*eslint-disable-next-line(?<rules>[^\n]*?)(?<description>\s+--.*)?$/u;

/** Undefined when the line above already disables the rule. */
export function disableForLineEdit(document: TextDocument, line: number, ruleId: string): TextEdit | undefined {
  const lineText = lineAt(document, line);
  if (line > 0) {
    const above = lineAt(document, line - 1);
    const match = DIRECTIVE.exec(above);
    if (match?.groups) {
      const rules = match.groups.rules!.trim();
      const listed = rules.split(',').map((rule) => rule.trim()).filter(Boolean);
      // A bare directive already disables every rule; one naming this rule needs nothing either.
      if (rules === '' || listed.includes(ruleId)) return undefined;
      const merged = `${match.groups.indent}// eslint-disable-next-line ${[...listed, ruleId].join(', ')}${match.groups.description ?? ''}`;
      return TextEdit.replace({ start: { line: line - 1, character: 0 }, end: { line: line - 1, character: above.length } }, merged);
    }
  }
  const indent = /^\s*/u.exec(lineText)![0];
  return TextEdit.insert({ line, character: 0 }, `${indent}// eslint-disable-next-line ${ruleId}${eolOf(document)}`);
}

function lineAt(document: TextDocument, line: number): string {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/u, '');
}

function eolOf(document: TextDocument): string {
  return document.getText().includes('\r\n') ? '\r\n' : '\n';
}
