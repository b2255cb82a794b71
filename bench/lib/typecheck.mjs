// A TypeScript language service over one tsconfig, whose files' text can be replaced one at a time:
// the typed corpus is linted through its program, and each fix is type-checked by replacing the
// file's text with the fixed text and comparing the file's diagnostics with the original's.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newErrors } from './lintFile.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ts = createRequire(path.join(ROOT, 'package.json'))('typescript');

export function createTypeChecker(tsconfigPath) {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  const overrides = new Map();
  const versions = new Map();
  const host = {
    getCompilationSettings: () => parsed.options,
    getScriptFileNames: () => parsed.fileNames,
    getScriptVersion: (file) => String(versions.get(file) ?? 0),
    getScriptSnapshot: (file) => {
      const text = overrides.get(file) ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => path.dirname(tsconfigPath),
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const baselines = new Map();

  const setText = (file, text) => {
    if (text === undefined) overrides.delete(file);
    else overrides.set(file, text);
    versions.set(file, (versions.get(file) ?? 0) + 1);
  };
  /** The file's syntactic and semantic errors, without positions (a fix moves the code after it). */
  const errorsOf = (file) =>
    [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)]
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);

  return {
    fileNames: parsed.fileNames.map((file) => path.resolve(file)),
    /** The current program, for typescript-eslint's `programs` option. */
    program: () => service.getProgram(),
    /** Errors in the whole program before any fix (the corpus's own, e.g. from a newer TypeScript). */
    baselineErrorCount: () => ts.getPreEmitDiagnostics(service.getProgram()).filter((d) => d.category === ts.DiagnosticCategory.Error).length,
    /** Type errors `fixedText` adds to `file`, compared with its original text (empty: none). */
    addedErrors(file, fixedText) {
      if (!baselines.has(file)) baselines.set(file, errorsOf(file));
      setText(file, fixedText);
      try {
        return newErrors(baselines.get(file), errorsOf(file));
      } finally {
        setText(file, undefined);
      }
    },
  };
}
