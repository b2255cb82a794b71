/**
 * VS Code entry point. Activated when a JavaScript or TypeScript file opens; starts the bundled
 * language server (dist/server.js) over IPC, forwards workspace trust, restarts it with backoff after
 * a crash, and wires the commands and the status item. Knows nothing about ESLint or the rules.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createLanguageClient, DOCUMENT_SELECTOR } from './languageClient';
import { RestartPolicy } from './restartPolicy';
import { StatusItem } from './statusItem';

let client: LanguageClient | undefined;
let restartTimer: NodeJS.Timeout | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('asyncguard', { log: true });
  const status = new StatusItem(DOCUMENT_SELECTOR);
  const policy = new RestartPolicy();
  const serverModule = context.asAbsolutePath('dist/server.js');
  context.subscriptions.push(output, status, { dispose: () => clearTimeout(restartTimer) });

  const start = async (): Promise<void> => {
    const created = createLanguageClient({ serverModule, output, onCrash: () => onCrash(created) });
    client = created;
    status.show('starting');
    created.onNotification('asyncguard/status', (params: { state: 'idle' | 'linting' | 'error'; message?: string }) => status.show(params.state, params.message));
    try {
      await created.start();
    } catch (error) {
      output.error(`the server did not start: ${String(error)}`);
      status.show('stopped');
    }
  };

  const restart = async (): Promise<void> => {
    clearTimeout(restartTimer);
    policy.reset();
    const previous = client;
    client = undefined;
    if (previous?.isRunning()) await previous.stop();
    await start();
  };

  const onCrash = (crashed: LanguageClient): void => {
    if (client !== crashed) return; // An old client closing after a deliberate restart.
    const decision = policy.onCrash(Date.now());
    if (decision.delayMs === undefined) {
      status.show('stopped');
      void vscode.window
        .showErrorMessage(`The asyncguard server crashed ${decision.crashes} times in 3 minutes and will not be restarted.`, 'Show Output', 'Restart')
        .then((choice) => {
          if (choice === 'Show Output') output.show(true);
          if (choice === 'Restart') void restart();
        });
      return;
    }
    output.warn(`the server stopped unexpectedly; restarting in ${decision.delayMs} ms`);
    status.show('starting');
    restartTimer = setTimeout(() => void start(), decision.delayMs);
  };

  context.subscriptions.push(
    ...registerCommands({ client: () => client, restart, output }),
    // Trust granted: the server may now use the workspace's own ESLint config.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  clearTimeout(restartTimer);
  const stopping = client;
  client = undefined;
  if (stopping?.isRunning()) await stopping.stop();
}
