// A worker thread of `npm run bench:corpus`: takes jobs from the main thread (a chunk of files to lint
// untyped, or the typed corpus), posts `{ type: 'file', path }` before each file (the main thread's
// hang watchdog) and `{ type: 'done', results }` after each job.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { applyFix, countLines, createLinter, fixChecker, lintText, offeredFixes, strictConfig } from './lintFile.mjs';
import { createTypeChecker } from './typecheck.mjs';

/** Same thresholds as the language server's skip policy (server/src/skipPolicy.ts). */
const MINIFIED_LINE_LENGTH = 5_000;
const MINIFIED_AVERAGE_LINE_LENGTH = 300;

function looksMinified(text, lines) {
  if (text.length < MINIFIED_LINE_LENGTH) return false;
  let longest = 0;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    longest = Math.max(longest, stop - start);
    start = stop + 1;
  }
  return longest >= MINIFIED_LINE_LENGTH && text.length / lines >= MINIFIED_AVERAGE_LINE_LENGTH;
}

const linter = createLinter();
const configs = new Map();

function untypedConfig(sourceType) {
  if (!configs.has(sourceType)) configs.set(sourceType, strictConfig(sourceType));
  return configs.get(sourceType);
}

/**
 * Lints one file and tries each of its fixes; `typeCheck(fixedText)` (typed corpus only) returns the
 * type errors a fix adds.
 */
function lintOne(file, text, config, sourceType, typeCheck) {
  const lines = countLines(text);
  const lint = lintText(linter, text, file, config);
  const result = { path: file, lines, ms: lint.ms, parseError: lint.parseError, crash: lint.crash, problems: lint.problems, fixesTried: 0, fixMs: 0, broken: [], typeChecked: 0 };
  const fixes = offeredFixes(lint.messages);
  if (fixes.length === 0) return result;
  const start = performance.now();
  const check = fixChecker(linter, text, file, sourceType);
  for (const fix of fixes) {
    result.fixesTried += 1;
    const where = { rule: fix.rule, kind: fix.kind, desc: fix.desc, line: fix.line, column: fix.column };
    let fixed;
    try {
      fixed = applyFix(text, fix.fix);
    } catch (error) {
      result.broken.push({ ...where, why: error.message });
      continue;
    }
    const why = check(fixed);
    if (why !== null) {
      result.broken.push({ ...where, why, fixText: fix.fix.text.slice(0, 400) });
      continue;
    }
    if (typeCheck) {
      const added = typeCheck(fixed);
      result.typeChecked += 1;
      if (added.length > 0) result.broken.push({ ...where, why: `new type errors: ${added.join('; ')}`, fixText: fix.fix.text.slice(0, 400) });
    }
  }
  result.fixMs = performance.now() - start;
  return result;
}

function runUntyped(job) {
  const results = [];
  for (const { path: file, sourceType } of job.files) {
    parentPort.postMessage({ type: 'file', path: file });
    const text = fs.readFileSync(file, 'utf8');
    const lines = countLines(text);
    if (looksMinified(text, lines)) {
      results.push({ path: file, skipped: 'minified (a line of 5,000+ characters, 300+ on average)' });
      continue;
    }
    results.push(lintOne(file, text, untypedConfig(sourceType), sourceType, null));
  }
  return { results };
}

function runTyped(job) {
  const start = performance.now();
  const checker = createTypeChecker(job.tsconfig);
  const program = checker.program();
  const programMs = performance.now() - start;
  const baselineErrors = checker.baselineErrorCount();
  const config = strictConfig('module', { programs: [program] });
  const files = checker.fileNames.filter((file) => file.startsWith(job.under) && !/\.d\.[cm]?ts$/.test(file)).sort();
  const results = [];
  for (const file of files) {
    parentPort.postMessage({ type: 'file', path: file });
    const text = program.getSourceFile(file)?.text ?? fs.readFileSync(file, 'utf8');
    const typeCheck = job.typeCheckFixes ? (fixed) => checker.addedErrors(file, fixed) : null;
    results.push(lintOne(file, text, config, 'module', typeCheck));
  }
  return { results, programMs, baselineErrors };
}

parentPort.on('message', (job) => {
  try {
    const output = job.kind === 'typed' ? runTyped(job) : runUntyped(job);
    parentPort.postMessage({ type: 'done', ...output });
  } catch (error) {
    // Not a rule's crash (those are caught per file): the harness itself failed.
    parentPort.postMessage({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
