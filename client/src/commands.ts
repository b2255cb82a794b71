/** The palette commands; each asks the language server (or the client) and reports back. */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient, type WorkDoneProgressReport } from 'vscode-languageclient/node';

/** The server's own commands (server/src/codeActions.ts `COMMANDS`). */
const SERVER = { fixAll: 'asyncguard.server.fixAll', lintWorkspace: 'asyncguard.server.lintWorkspace' } as const;

export interface CommandHost {
  client(): LanguageClient | undefined;
  restart(): Promise<void>;
  output: vscode.LogOutputChannel;
}

export function registerCommands(host: CommandHost): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('asyncguard.restartServer', () => host.restart()),
    vscode.commands.registerCommand('asyncguard.showOutput', () => host.output.show(true)),
    vscode.commands.registerCommand('asyncguard.fixAll', () => fixAll(host)),
    vscode.commands.registerCommand('asyncguard.lintWorkspace', () => lintWorkspace(host)),
  ];
}

async function fixAll(host: CommandHost): Promise<void> {
  const client = running(host);
  const document = vscode.window.activeTextEditor?.document;
  if (!client || !document) return;
  const { applied } = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER.fixAll,
    arguments: [{ uri: document.uri.toString() }],
  })) as { applied: boolean };
  if (!applied) void vscode.window.setStatusBarMessage('asyncguard: nothing to fix automatically in this file', 3_000);
}

/** A cancellable notification fed by the server's progress reports for this request. */
async function lintWorkspace(host: CommandHost): Promise<void> {
  const client = running(host);
  if (!client) return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'asyncguard: linting the workspace', cancellable: true },
    async (progress, token) => {
      const workDoneToken = `asyncguard-lint-${Date.now()}`;
      let last = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'report') return;
        const report = value as WorkDoneProgressReport;
        const percentage = report.percentage ?? last;
        progress.report({ message: report.message, increment: percentage - last });
        last = percentage;
      });
      try {
        return (await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER.lintWorkspace, workDoneToken }, token)) as {
          files: number;
          problems: number;
          cancelled: boolean;
        };
      } finally {
        listener.dispose();
      }
    },
  );
  const summary = `asyncguard: ${result.problems} problem${result.problems === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'}`;
  void vscode.window.showInformationMessage(result.cancelled ? `${summary} (cancelled)` : summary);
}

function running(host: CommandHost): LanguageClient | undefined {
  const client = host.client();
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('The asyncguard server is not running.', 'Show Output').then((choice) => {
      if (choice) host.output.show(true);
    });
    return undefined;
  }
  return client;
}
