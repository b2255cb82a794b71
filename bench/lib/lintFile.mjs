// Lints one file with every asyncguard rule (configs.strict) and checks its fixes.
//
// - A crash is an exception out of Linter#verify (ESLint rethrows a rule's exception with the rule id
//   appended) or a fatal message that is not a parse error. A parse error of the file itself (Flow
//   types, syntax newer than the parser) is counted apart: it is the corpus's, not ours.
// - Every autofix and every suggestion is applied alone to the original text, then the result is
//   parsed again: with the same typescript-eslint parser (a fatal message = broken), and, because that
//   parser accepts code TypeScript only rejects later (`await` in a function that is not async, a
//   `return` at the top of a module...), with a stricter check when the original passes it: espree
//   for JavaScript, TypeScript's grammar diagnostics (codes 1xxx) of a one-file program for TypeScript.
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Resolved from the repository root, never from bench/node_modules: a corpus may ship its own copy
// of eslint or typescript, and the benchmark must run the project's.
const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));
const { Linter } = requireFromRoot('eslint');
const tsParser = requireFromRoot('@typescript-eslint/parser');
const ts = requireFromRoot('typescript');
const espree = createRequire(requireFromRoot.resolve('eslint'))('espree');
const plugin = requireFromRoot('eslint-plugin-asyncguard');

export const LINTED_FILES = ['**/*.{js,mjs,cjs,ts,mts,cts}'];

/** `languageOptions` for a file; `parserOptions` carries `programs` for typed linting. */
function languageOptions(sourceType, parserOptions) {
  return { parser: tsParser, ecmaVersion: 'latest', sourceType, parserOptions };
}

/** ESLint ignores node_modules by default; the corpora live there. */
const UNIGNORE_NODE_MODULES = { name: 'bench/lint-node-modules', ignores: ['!**/node_modules/'] };

/** Flat config running a set of the plugin's rules on the corpus files. */
function pluginConfig(rules, sourceType, parserOptions) {
  return [
    UNIGNORE_NODE_MODULES,
    { files: LINTED_FILES, languageOptions: languageOptions(sourceType, parserOptions), plugins: { asyncguard: plugin }, rules },
  ];
}

/** Every rule of the plugin (strict = recommended + the strict-only rules). */
export function strictConfig(sourceType, parserOptions = {}) {
  return pluginConfig(plugin.configs.strict.rules, sourceType, parserOptions);
}

/** `configs.recommended`, as a user gets it (the precision audit). */
export function recommendedConfig(sourceType, parserOptions = {}) {
  return pluginConfig(plugin.configs.recommended.rules, sourceType, parserOptions);
}

/** The same parsing, no rules: re-parses fixed text exactly as the lint parsed the original. */
function parseOnlyConfig(sourceType) {
  return [UNIGNORE_NODE_MODULES, { files: LINTED_FILES, languageOptions: languageOptions(sourceType, {}) }];
}

export function createLinter() {
  return new Linter({ cwd: ROOT, configType: 'flat' });
}

/** Verify options: corpus code is full of `eslint-disable` comments for rules we don't load; ignore them all. */
function verifyOptions(filename) {
  return { filename, allowInlineConfig: false };
}

export { countLines } from './corpora.mjs';

function isParseError(message) {
  return message.fatal === true && message.ruleId === null && /^Parsing error/.test(message.message);
}

/**
 * Lints `text`: `{ ms, parseError, crash, problems, messages }` where `messages` are asyncguard's
 * reports (with their fixes and suggestions) and `problems` counts them per rule.
 */
export function lintText(linter, text, filename, config) {
  const start = performance.now();
  let messages;
  try {
    messages = linter.verify(text, config, verifyOptions(filename));
  } catch (error) {
    return { ms: performance.now() - start, parseError: null, crash: describeCrash(error, filename), problems: {}, messages: [] };
  }
  const ms = performance.now() - start;
  const parseError = messages.find(isParseError);
  if (parseError) return { ms, parseError: `${parseError.line}:${parseError.column} ${parseError.message}`, crash: null, problems: {}, messages: [] };
  // Any other message without a rule (fatal, or "No matching configuration") means the file was not
  // linted as asked: a crash, so that a broken harness cannot pass as a clean run.
  const unexpected = messages.find((message) => message.ruleId === null);
  if (unexpected) return { ms, parseError: null, crash: { rule: null, message: unexpected.message, file: filename, line: unexpected.line }, problems: {}, messages: [] };
  const ours = messages.filter((message) => message.ruleId?.startsWith('asyncguard/'));
  const problems = {};
  for (const message of ours) problems[message.ruleId] = (problems[message.ruleId] ?? 0) + 1;
  return { ms, parseError: null, crash: null, problems, messages: ours };
}

function describeCrash(error, filename) {
  const text = error instanceof Error ? error.message : String(error);
  const rule = /Rule: "([^"]+)"/.exec(text)?.[1] ?? error?.ruleId ?? null;
  const line = new RegExp(`Occurred while linting ${escapeRegExp(filename)}:(\\d+)`).exec(text)?.[1];
  const stack = error instanceof Error ? (error.stack ?? '').split('\n').slice(0, 8).join('\n') : '';
  return { rule, message: text.split('\n')[0], file: filename, line: line === undefined ? null : Number(line), stack };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every fix a lint offered, one entry per autofix and per suggestion. */
export function offeredFixes(messages) {
  const fixes = [];
  for (const message of messages) {
    const at = { rule: message.ruleId, line: message.line, column: message.column };
    if (message.fix) fixes.push({ ...at, kind: 'autofix', desc: message.message, fix: message.fix });
    for (const suggestion of message.suggestions ?? []) fixes.push({ ...at, kind: 'suggestion', desc: suggestion.desc, fix: suggestion.fix });
  }
  return fixes;
}

export function applyFix(text, fix) {
  const [start, end] = fix.range;
  if (!(start >= 0 && start <= end && end <= text.length)) throw new RangeError(`fix range [${start}, ${end}] outside the text (${text.length})`);
  return text.slice(0, start) + fix.text + text.slice(end);
}

/**
 * A checker of fixed texts for one file: `check(fixedText)` returns why the fixed text is broken, or
 * null. The stricter check reports only errors the original does not have.
 */
export function fixChecker(linter, original, filename, sourceType) {
  const config = parseOnlyConfig(sourceType);
  const strict = strictSyntaxCheck(filename, sourceType);
  const before = strict(original);
  // espree stops at the first error: a file it cannot parse (JSX, Flow, TypeScript syntax) tells nothing.
  const strictApplies = !(before.length > 0 && before[0].startsWith('espree'));
  return (fixed) => {
    const messages = linter.verify(fixed, config, verifyOptions(filename));
    const fatal = messages.find((message) => message.fatal);
    if (fatal) return `typescript-eslint: ${fatal.line}:${fatal.column} ${fatal.message}`;
    if (!strictApplies) return null;
    const added = newErrors(before, strict(fixed));
    return added.length === 0 ? null : added.join('; ');
  };
}

/** The errors of `after` that `before` does not have as many times. */
export function newErrors(before, after) {
  const counts = new Map();
  for (const error of before) counts.set(error, (counts.get(error) ?? 0) + 1);
  const added = [];
  for (const error of after) {
    const left = counts.get(error) ?? 0;
    if (left > 0) counts.set(error, left - 1);
    else added.push(error);
  }
  return added;
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/** `(text) => errors`: espree for JavaScript, TypeScript's own grammar checks for TypeScript. */
function strictSyntaxCheck(filename, sourceType) {
  return TS_EXTENSIONS.has(path.extname(filename)) ? (text) => typeScriptGrammarErrors(text, filename) : (text) => espreeErrors(text, sourceType);
}

function espreeErrors(text, sourceType) {
  try {
    espree.parse(text, { ecmaVersion: 'latest', sourceType: sourceType === 'module' ? 'module' : 'script', ecmaFeatures: { globalReturn: sourceType === 'commonjs' } });
    return [];
  } catch (error) {
    return [`espree: ${error.message}`];
  }
}

/** Options for a one-file program: no lib, no imports; only the file's own syntax and grammar matter. */
const GRAMMAR_OPTIONS = { noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, noEmit: true };

/**
 * TypeScript's syntactic diagnostics and its grammar errors (codes 1xxx, reported by the checker: an
 * `await` in a function that is not async...), for the file alone; messages without positions, so
 * that the errors of a fixed text compare with the original's.
 */
export function typeScriptGrammarErrors(text, filename) {
  const host = ts.createCompilerHost(GRAMMAR_OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion) => (name === filename ? ts.createSourceFile(name, text, languageVersion, true) : getSourceFile(name, languageVersion));
  const program = ts.createProgram([filename], GRAMMAR_OPTIONS, host);
  const file = program.getSourceFile(filename);
  const grammar = program.getSemanticDiagnostics(file).filter((d) => d.code >= 1000 && d.code < 2000);
  return [...program.getSyntacticDiagnostics(file), ...grammar].map((d) => `typescript: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}
