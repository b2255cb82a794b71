/**
 * Code actions from a document's cached lint results; never a re-lint. Pure: the server hands in the
 * document, the cached messages and the request, and sends back what this returns.
 */
import type { Linter } from 'eslint';
import { CodeAction, CodeActionKind, type Command, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { disableForLineEdit } from './disableComment';
import { rangeOf, toDiagnostic, type ConversionContext } from './diagnostics';
import { fixToEdit, mergeFixes } from './fixEdits';

/** `source.fixAll.asyncguard`: for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.asyncguard`;

/**
 * The server's commands. Namespaced apart from the VS Code extension's own palette commands
 * (`asyncguard.fixAll`…), which vscode-languageclient would otherwise clash with when it registers
 * these.
 */
export const COMMANDS = {
  fixAll: 'asyncguard.server.fixAll',
  lintWorkspace: 'asyncguard.server.lintWorkspace',
  showDocumentation: 'asyncguard.server.showDocumentation',
} as const;

export const FIX_ALL_TITLE = 'Fix all asyncguard problems in this file';

export interface CodeActionRequest {
  range: Range;
  /** Kinds the client asked for (`context.only`); absent = every kind but source actions. */
  only?: readonly string[];
}

export function codeActionsFor(
  document: TextDocument,
  messages: readonly Linter.LintMessage[],
  conversion: ConversionContext,
  request: CodeActionRequest,
): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wants(request.only, CodeActionKind.QuickFix)) {
    const documentation = new Map<string, CodeAction>();
    const disables = new Map<string, CodeAction>();
    for (const message of messages) {
      if (!message.ruleId || message.fatal || !overlaps(rangeOf(message), request.range)) continue;
      const diagnostic = toDiagnostic(message, conversion);
      if (diagnostic === undefined) continue;
      if (message.fix) {
        actions.push(quickFix(`Fix this ${message.ruleId} problem`, diagnostic, editOf(document, [fixToEdit(document, message.fix)]), true));
      }
      for (const suggestion of message.suggestions ?? []) {
        actions.push(quickFix(suggestion.desc, diagnostic, editOf(document, [fixToEdit(document, suggestion.fix)]), false));
      }
      const disableKey = `${message.ruleId}:${diagnostic.range.start.line}`;
      const disableEdit = disables.has(disableKey) ? undefined : disableForLineEdit(document, diagnostic.range.start.line, message.ruleId);
      if (disableEdit) disables.set(disableKey, quickFix(`Disable ${message.ruleId} for this line`, diagnostic, editOf(document, [disableEdit]), false));
      const url = diagnostic.codeDescription?.href;
      if (url && !documentation.has(message.ruleId)) {
        const command: Command = { title: `Show documentation for ${message.ruleId}`, command: COMMANDS.showDocumentation, arguments: [url] };
        documentation.set(message.ruleId, CodeAction.create(command.title, command, CodeActionKind.QuickFix));
      }
    }
    // Fixes first, then the escape hatches, as the ESLint extension orders them.
    actions.push(...disables.values(), ...documentation.values());
    const fixAll = fixAllEdit(document, messages);
    if (fixAll !== undefined && actions.length > 0) {
      actions.push(CodeAction.create(FIX_ALL_TITLE, fixAll, CodeActionKind.QuickFix));
    }
  }
  if (request.only?.some((kind) => isWithin(FIX_ALL_KIND, kind) && kind.startsWith(CodeActionKind.Source))) {
    // Always answered, even with no edit, so that a save waiting for it is never held up.
    actions.push(CodeAction.create(FIX_ALL_TITLE, fixAllEdit(document, messages) ?? { changes: {} }, FIX_ALL_KIND));
  }
  return actions;
}

/** One edit applying every autofix (not suggestions: those need a person's choice), or undefined when none. */
export function fixAllEdit(document: TextDocument, messages: readonly Linter.LintMessage[]): WorkspaceEdit | undefined {
  const fixes = mergeFixes(messages.flatMap((message) => (message.fix ? [message.fix] : [])));
  return fixes.length === 0 ? undefined : editOf(document, fixes.map((fix) => fixToEdit(document, fix)));
}

function quickFix(title: string, diagnostic: Diagnostic, edit: WorkspaceEdit, isPreferred: boolean): CodeAction {
  const action = CodeAction.create(title, edit, CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (isPreferred) action.isPreferred = true;
  return action;
}

/** Edits pinned to the document version they were computed for: a client rejects them on a newer one. */
function editOf(document: TextDocument, edits: TextEdit[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] };
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.length === 0 || only.some((requested) => isWithin(kind, requested));
}

/** `source.fixAll.asyncguard` is within `source`, `source.fixAll` and itself. */
function isWithin(kind: string, requested: string): boolean {
  return kind === requested || kind.startsWith(`${requested}.`);
}

function overlaps(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
