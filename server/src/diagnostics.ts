/** ESLint lint messages → LSP diagnostics. Pure: knows LSP types, not the connection. */
import type { Linter, Rule } from 'eslint';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { RelatedLocation } from './documentLinter';
import { product } from './product';
import { severityOverride, type SeverityOverride, type Settings } from './settings';

export interface ConversionContext {
  uri: string;
  rulesMeta: Record<string, Rule.RuleMetaData>;
  /** Secondary locations recorded by the rules, matched to messages by rule and start. */
  related?: readonly RelatedLocation[];
  /** Per-rule severity overrides; absent = the config's severities. */
  settings?: Settings;
}

/** One diagnostic per message, except those whose rule is overridden to `off`. */
export function toDiagnostics(messages: readonly Linter.LintMessage[], context: ConversionContext): Diagnostic[] {
  return messages.flatMap((message) => {
    const diagnostic = toDiagnostic(message, context);
    return diagnostic === undefined ? [] : [diagnostic];
  });
}

export function toDiagnostic(message: Linter.LintMessage, context: ConversionContext): Diagnostic | undefined {
  const override = message.ruleId && context.settings ? severityOverride(context.settings, message.ruleId) : 'default';
  if (override === 'off') return undefined;
  const diagnostic: Diagnostic = {
    range: rangeOf(message),
    severity: severityOf(message, override),
    message: message.message,
    source: product.name,
  };
  if (message.ruleId) {
    diagnostic.code = message.ruleId;
    const url = context.rulesMeta[message.ruleId]?.docs?.url;
    if (url) diagnostic.codeDescription = { href: url };
    const related = (context.related ?? []).filter(
      (r) => r.ruleId === message.ruleId && r.line === message.line && r.column === message.column && (message.messageId === undefined || r.messageId === message.messageId),
    );
    if (related.length > 0) {
      diagnostic.relatedInformation = related.map((r) => ({
        location: {
          uri: context.uri,
          range: rangeOf({ line: r.related.line, column: r.related.column, endLine: r.related.endLine, endColumn: r.related.endColumn }),
        },
        message: r.related.message,
      }));
    }
  }
  return diagnostic;
}

/** ESLint: 1-based lines and columns, exclusive end. LSP: 0-based, exclusive end. */
export function rangeOf(message: Pick<Linter.LintMessage, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  const start = { line: Math.max((message.line ?? 1) - 1, 0), character: Math.max((message.column ?? 1) - 1, 0) };
  const end =
    message.endLine === undefined
      ? start
      : { line: Math.max(message.endLine - 1, 0), character: Math.max((message.endColumn ?? message.column ?? 1) - 1, 0) };
  return { start, end };
}

function severityOf(message: Linter.LintMessage, override: SeverityOverride): DiagnosticSeverity {
  switch (override) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warn':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
    default:
      return message.fatal || message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
  }
}
