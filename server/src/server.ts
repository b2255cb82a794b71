/**
 * The language server: LSP wiring only. Linting goes through the engine, conversion through
 * `diagnostics`; this is the one module that touches the connection.
 * Start with `node dist/server.js --stdio` or `--node-ipc`.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostics } from './diagnostics';
import { createEngine, type Engine } from './engine';
import { product } from './product';
import { filePathOf } from './uri';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let engine: Engine = createEngine();

// The server must outlive bugs in the code it hosts: report, keep serving.
process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${describe(error)}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${describe(reason)}`));

connection.onInitialize((params) => {
  const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  const cwd = root ? filePathOf(root) : undefined;
  if (cwd) engine = createEngine({ cwd });
  return {
    capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
    serverInfo: { name: product.name, version: product.version },
  };
});

// Fires on open and on every change.
documents.onDidChangeContent(({ document }) => void validate(document));
documents.onDidClose(({ document }) => void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));

async function validate(document: TextDocument): Promise<void> {
  const { uri, version } = document;
  try {
    const results = await engine.lintText(document.getText(), { filePath: filePathOf(uri) });
    // A newer version arrived (or the document closed) while linting: these results are stale.
    if (documents.get(uri)?.version !== version) return;
    const rulesMeta = engine.rulesMeta(results);
    const diagnostics = results.flatMap((result) => toDiagnostics(result.messages, rulesMeta));
    await connection.sendDiagnostics({ uri, version, diagnostics });
  } catch (error) {
    connection.console.error(`linting ${uri} failed: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

documents.listen(connection);
connection.listen();
