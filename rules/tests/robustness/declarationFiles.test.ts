/**
 * No rule crashes on any type: every rule, typed, over every declaration file of TypeScript's `lib`,
 * of `@types/node`, and of two large typed packages (TypeScript's own API, and the LSP protocol
 * with vscode-jsonrpc) — recursive, generic, overloaded, mapped and conditional types in bulk. One
 * program holds them all, so the checker sees each file as a real project would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Linter } from 'eslint';
import * as parser from '@typescript-eslint/parser';
import * as ts from 'typescript';
import plugin from '../../src/index';

const root = path.join(__dirname, '..', '..', '..', 'node_modules');

function declarationFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file))
    .sort();
}

const sets: Record<string, string[]> = {
  lib: fs
    .readdirSync(path.join(root, 'typescript', 'lib'))
    .filter((file) => /^lib\..*\.d\.ts$/.test(file))
    .map((file) => path.join(root, 'typescript', 'lib', file))
    .sort(),
  '@types/node': declarationFiles(path.join(root, '@types', 'node')),
  typescript: [path.join(root, 'typescript', 'lib', 'typescript.d.ts')],
  'vscode-languageserver-protocol': [
    ...declarationFiles(path.join(root, 'vscode-languageserver-protocol', 'lib')),
    ...declarationFiles(path.join(root, 'vscode-jsonrpc', 'lib')),
  ],
};

describe('every rule, typed, over declaration files', function () {
  this.timeout(600_000);
  const files = Object.values(sets).flat();
  let program: ts.Program;
  before(() => {
    // The lib files are roots here, not the default library (that would declare everything twice).
    program = ts.createProgram(files, { noLib: true, types: [], skipLibCheck: true, strict: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.NodeNext });
  });

  for (const [name, list] of Object.entries(sets)) {
    it(`${name}: ${list.length} files, no rule throws and no file fails to lint`, () => {
      assert.ok(list.length > 0, `no declaration files found for ${name}`);
      const linter = new Linter({ configType: 'flat' });
      const config = [
        { ignores: ['!**/node_modules/'] }, // these files live there, ignored by default
        {
          files: ['**/*.ts'],
          languageOptions: { parser, parserOptions: { programs: [program] } },
          plugins: { asyncguard: plugin },
          rules: Object.fromEntries(Object.keys(plugin.rules).map((rule) => [`asyncguard/${rule}`, 'error'])),
        },
      ] as Linter.Config[];
      for (const file of list) {
        const text = program.getSourceFile(file)!.text;
        let messages: Linter.LintMessage[];
        try {
          messages = linter.verify(text, config, { filename: file });
        } catch (error) {
          assert.fail(`${path.relative(root, file)}: ${error instanceof Error ? error.stack : String(error)}`);
        }
        const fatal = messages.filter((message) => message.fatal || message.ruleId === null);
        assert.deepEqual(fatal, [], `${path.relative(root, file)} failed to lint`);
      }
    });
  }
});
