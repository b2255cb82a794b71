/** The LanguageClient for the bundled server: IPC transport, workspace trust, crash handling. */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** Files on disk and untitled buffers of the four languages (plain objects: both VS Code's and the protocol's selector type). */
export const DOCUMENT_SELECTOR: { language: string; scheme: string }[] = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'].flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

export interface ClientSetup {
  serverModule: string;
  output: vscode.LogOutputChannel;
  /** Called when the connection to the server closes unexpectedly (a crash). */
  onCrash(): void;
}

export function createLanguageClient({ serverModule, output, onCrash }: ClientSetup): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  // Restarts are ours (with backoff, see restartPolicy.ts), not the library's immediate retries.
  const errorHandler: ErrorHandler = {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      onCrash();
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    errorHandler,
    // Trust is the server's input: untrusted, it never loads workspace code (configs, plugins).
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    // The problems are shown by their diagnostics; a failing lint is told by the status item.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient('asyncguard', 'asyncguard', serverOptions, clientOptions);
}
