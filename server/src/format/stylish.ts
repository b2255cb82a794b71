/**
 * ESLint-stylish-like output that also shows each problem's suggestions (the editor quick fixes), so
 * a CLI user sees the fix, not just the problem:
 *
 *   src/worker.ts
 *     12:5  error  Promise returned by `fetch(url)` is dropped  asyncguard/no-unawaited-promise
 *           ↳ suggestion: Add `await`
 *
 *   ✖ 1 problem (1 error, 0 warnings)
 */
import * as path from 'node:path';
import { styleText } from 'node:util';
import type { ESLint, Linter } from 'eslint';

export interface StylishOptions {
  /** Paths are shown relative to this directory when inside it. */
  cwd: string;
  color: boolean;
}

type Style = Parameters<typeof styleText>[0];

export function formatStylish(results: readonly ESLint.LintResult[], { cwd, color }: StylishOptions): string {
  const paint = (style: Style, text: string) => (color ? styleText(style, text) : text);
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  let out = '';

  for (const result of results) {
    if (result.messages.length === 0) continue;
    errors += result.errorCount;
    warnings += result.warningCount;
    fixableErrors += result.fixableErrorCount;
    fixableWarnings += result.fixableWarningCount;

    out += `\n${paint('underline', displayPath(result.filePath, cwd))}\n`;
    const rows = result.messages.map((m) => ({
      line: String(m.line ?? 0),
      column: String(m.column ?? 0),
      severity: m.fatal || m.severity === 2 ? 'error' : 'warning',
      message: m,
    }));
    const widest = (cells: string[]) => Math.max(...cells.map((cell) => cell.length));
    const lineWidth = widest(rows.map((r) => r.line));
    const columnWidth = widest(rows.map((r) => r.column));
    const severityWidth = widest(rows.map((r) => r.severity));
    // Continuation lines (multi-line messages, suggestions) start under the message column.
    const hang = ' '.repeat(2 + lineWidth + 1 + columnWidth + 2 + severityWidth + 2);
    for (const { line, column, severity, message } of rows) {
      // Aligned on the colon, as ESLint's stylish does.
      const position = `${line.padStart(lineWidth)}:${column.padEnd(columnWidth)}`;
      const [first = '', ...rest] = messageText(message).split('\n');
      const severityCell = paint(severity === 'error' ? 'red' : 'yellow', severity.padEnd(severityWidth));
      const ruleCell = message.ruleId ? `  ${paint('dim', message.ruleId)}` : '';
      out += `  ${paint('dim', position)}  ${severityCell}  ${first}${ruleCell}\n`;
      for (const line of rest) out += `${hang}${line}\n`;
      for (const suggestion of message.suggestions ?? []) {
        out += `${hang}${paint('cyan', '↳ suggestion:')} ${suggestion.desc}\n`;
      }
    }
  }

  const total = errors + warnings;
  if (total === 0) return '';
  const summary = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  out += `\n${paint(['bold', errors > 0 ? 'red' : 'yellow'], summary)}\n`;
  if (fixableErrors + fixableWarnings > 0) {
    out += `  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.\n`;
  }
  return out;
}

function messageText(message: Linter.LintMessage): string {
  // Like ESLint's stylish: drop a trailing period, it reads better before the rule id.
  return message.message.replace(/([^ ])\.$/u, '$1');
}

function displayPath(filePath: string, cwd: string): string {
  if (!path.isAbsolute(filePath)) return filePath;
  const relative = path.relative(cwd, filePath);
  return relative.startsWith('..') || path.isAbsolute(relative) ? filePath : relative;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
