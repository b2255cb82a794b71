/**
 * Golden tests over the sample services under test-fixtures/: what the engine reports on each, as
 * the user reads it, and proof that every suggested fix yields code that parses (and, for the
 * TypeScript service, still type-checks). Refresh the expectations with UPDATE_GOLDEN=1 and review
 * the diff like code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import type { ESLint, Linter } from 'eslint';
import * as ts from 'typescript';
import { createEngine } from '../server/src/engine';

const FIXTURES = path.join(__dirname, '..', 'test-fixtures');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Finding {
  at: string;
  rule: string | null;
  messageId: string | undefined;
  message: string;
  suggestions: string[];
}

function findings(results: ESLint.LintResult[], root: string): Finding[] {
  return results.flatMap((result) =>
    result.messages.map((m) => ({
      at: `${path.relative(root, result.filePath)}:${m.line}:${m.column}-${m.endLine}:${m.endColumn}`,
      rule: m.ruleId,
      messageId: m.messageId,
      message: m.message,
      suggestions: (m.suggestions ?? []).map((s) => s.desc),
    })),
  );
}

function applyFix(text: string, fix: Linter.LintSuggestion['fix']): string {
  return text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
}

/** A language service over the fixture's tsconfig whose file contents can be swapped in memory. */
function typeChecker(tsconfigPath: string) {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const overrides = new Map<string, string>();
  const versions = new Map<string, number>();
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => config.fileNames,
    getScriptVersion: (file) => String(versions.get(file) ?? 0),
    getScriptSnapshot: (file) => {
      const text = overrides.get(file) ?? ts.sys.readFile(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => path.dirname(tsconfigPath),
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  return {
    /** The errors TypeScript reports for `file` when its text is `text`. */
    errors(file: string, text: string): string[] {
      overrides.set(file, text);
      versions.set(file, (versions.get(file) ?? 0) + 1);
      const diagnostics = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)];
      overrides.delete(file);
      versions.set(file, (versions.get(file) ?? 0) + 1);
      return diagnostics.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  };
}

const projects = [
  { name: 'sample-service', typed: 'on' as const },
  { name: 'sample-service-js', typed: 'off' as const },
  { name: 'resource-service', typed: 'on' as const },
  { name: 'resource-service-js', typed: 'off' as const },
  { name: 'limiter-service', typed: 'on' as const },
  { name: 'limiter-service-js', typed: 'off' as const },
  { name: 'read-service', typed: 'on' as const },
  { name: 'read-service-js', typed: 'off' as const },
];

describe('fixture projects', function () {
  this.timeout(120_000);

  for (const project of projects) {
    describe(project.name, () => {
      const root = path.join(FIXTURES, project.name);
      const goldenPath = path.join(root, 'expected-diagnostics.json');
      let results: ESLint.LintResult[];

      before(async () => {
        results = await createEngine({ cwd: root, typed: project.typed }).lintFiles(['.']);
      });

      it('reports exactly the expected diagnostics', () => {
        const actual = findings(results, root);
        if (UPDATE) fs.writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
        const expected = JSON.parse(fs.readFileSync(goldenPath, 'utf8')) as Finding[];
        assert.deepEqual(actual, expected);
        assert.ok(actual.length > 0, 'the sample service has known bugs to find');
        assert.ok(actual.every((f) => f.rule?.startsWith('asyncguard/')), 'only our rules report, and nothing fails to parse');
      });

      it('offers only suggestions that keep the code valid', () => {
        const checker = project.typed === 'on' ? typeChecker(path.join(root, 'tsconfig.json')) : null;
        let applied = 0;
        for (const result of results) {
          const original = fs.readFileSync(result.filePath, 'utf8');
          const baseline = checker?.errors(result.filePath, original) ?? [];
          assert.deepEqual(baseline, [], `${result.filePath} type-checks before any fix`);
          for (const message of result.messages) {
            for (const suggestion of message.suggestions ?? []) {
              const fixed = applyFix(original, suggestion.fix);
              const where = `${path.relative(root, result.filePath)}:${message.line} "${suggestion.desc}"`;
              assert.doesNotThrow(
                () => parse(fixed, { jsx: false, errorOnTypeScriptSyntacticAndSemanticIssues: false }),
                `${where} parses`,
              );
              if (checker) assert.deepEqual(checker.errors(result.filePath, fixed), [], `${where} type-checks`);
              applied++;
            }
          }
        }
        assert.ok(applied > 0, 'some suggestions were applied');
      });

      if (project.typed === 'on') {
        it('would catch a fix that breaks the types (the check is not vacuous)', () => {
          const checker = typeChecker(path.join(root, 'tsconfig.json'));
          const file = results[0].filePath;
          const broken = `${fs.readFileSync(file, 'utf8')}\nexport function bad() { await Promise.resolve(1); }\n`;
          assert.notDeepEqual(checker.errors(file, broken), []);
        });
      }
    });
  }
});
