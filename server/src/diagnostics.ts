/** ESLint lint messages → LSP diagnostics. Pure: knows LSP types, not the connection. */
import type { Linter, Rule } from 'eslint';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { product } from './product';

export function toDiagnostics(messages: readonly Linter.LintMessage[], rulesMeta: Record<string, Rule.RuleMetaData>): Diagnostic[] {
  return messages.map((message) => toDiagnostic(message, rulesMeta));
}

export function toDiagnostic(message: Linter.LintMessage, rulesMeta: Record<string, Rule.RuleMetaData>): Diagnostic {
  // ESLint: 1-based lines and columns, exclusive end. LSP: 0-based, exclusive end.
  const start = { line: Math.max((message.line ?? 1) - 1, 0), character: Math.max((message.column ?? 1) - 1, 0) };
  const end =
    message.endLine === undefined
      ? start
      : { line: Math.max(message.endLine - 1, 0), character: Math.max((message.endColumn ?? message.column ?? 1) - 1, 0) };
  const diagnostic: Diagnostic = {
    range: { start, end },
    severity: message.fatal || message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    message: message.message,
    source: product.name,
  };
  if (message.ruleId) {
    diagnostic.code = message.ruleId;
    const url = rulesMeta[message.ruleId]?.docs?.url;
    if (url) diagnostic.codeDescription = { href: url };
  }
  return diagnostic;
}
