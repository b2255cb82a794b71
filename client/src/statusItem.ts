/** The language status item: idle, linting or error (from the server's `asyncguard/status`); a click opens the output. */
import * as vscode from 'vscode';

export type ServerState = 'starting' | 'idle' | 'linting' | 'error' | 'stopped';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('asyncguard.status', selector);
    this.item.name = 'asyncguard';
    this.item.command = { title: 'Show Output', command: 'asyncguard.showOutput' };
    this.show('starting');
  }

  show(state: ServerState, detail?: string): void {
    const { text, severity, busy } = PRESENTATION[state];
    this.item.text = text;
    this.item.detail = detail ?? PRESENTATION[state].detail;
    this.item.severity = severity;
    this.item.busy = busy;
  }

  dispose(): void {
    this.item.dispose();
  }
}

const PRESENTATION: Record<ServerState, { text: string; detail: string; severity: vscode.LanguageStatusSeverity; busy: boolean }> = {
  starting: { text: 'asyncguard', detail: 'starting', severity: vscode.LanguageStatusSeverity.Information, busy: true },
  idle: { text: '$(check) asyncguard', detail: 'idle', severity: vscode.LanguageStatusSeverity.Information, busy: false },
  linting: { text: 'asyncguard', detail: 'linting', severity: vscode.LanguageStatusSeverity.Information, busy: true },
  error: { text: '$(error) asyncguard', detail: 'error: see the output', severity: vscode.LanguageStatusSeverity.Error, busy: false },
  stopped: { text: '$(circle-slash) asyncguard', detail: 'the server stopped: see the output', severity: vscode.LanguageStatusSeverity.Error, busy: false },
};
