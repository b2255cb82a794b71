// Child process of the memory measurement: how much memory a TypeScript program for a tsconfig
// needs on its own, outside the server. Prints one JSON line: { rssMiB, hwmMiB, ... }.
//
//   node tsProgramMemory.mjs bare                      nothing loaded: bare node's baseline
//   node tsProgramMemory.mjs load                      the typescript module loaded, no program
//   node tsProgramMemory.mjs one <tsconfig> <file>     program + type checker + one file's diagnostics
//   node tsProgramMemory.mjs all <tsconfig>            program + every file's diagnostics (a full check)
//
// TypeScript is the repository root's copy, the one the server bundle inlines.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function memory() {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)[1]) / 1024;
  return { rssMiB: field('VmRSS'), hwmMiB: field('VmHWM') };
}

function createProgram(ts, tsconfig) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, host);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return { program: ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options }), rootFiles: parsed.fileNames.length };
}

function measure(mode, tsconfig, file) {
  if (mode === 'bare') return {};
  const ts = createRequire(path.join(ROOT, 'package.json'))('typescript');
  if (mode === 'load') return { typescript: ts.version };
  const start = performance.now();
  const { program, rootFiles } = createProgram(ts, tsconfig);
  // Creating the checker binds every file; one file's semantic diagnostics check that file.
  program.getTypeChecker();
  const errors =
    mode === 'one'
      ? [...program.getSyntacticDiagnostics(program.getSourceFile(file)), ...program.getSemanticDiagnostics(program.getSourceFile(file))]
      : ts.getPreEmitDiagnostics(program);
  return {
    typescript: ts.version,
    rootFiles,
    programFiles: program.getSourceFiles().length,
    errors: errors.filter((d) => d.category === ts.DiagnosticCategory.Error).length,
    ms: Math.round(performance.now() - start),
  };
}

const [mode, tsconfig, file] = process.argv.slice(2);
if (!['bare', 'load', 'one', 'all'].includes(mode)) throw new Error(`unknown mode ${mode}`);
const result = measure(mode, tsconfig, file && path.resolve(file));
console.log(JSON.stringify({ mode, ...result, ...memory() }));
