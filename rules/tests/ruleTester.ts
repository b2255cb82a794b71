import * as path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';

/** Typed: the fixture project under tests/fixtures gives the rule a program and a checker. */
export const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: true,
      tsconfigRootDir: path.join(__dirname, 'fixtures'),
    },
  },
});

/** Untyped: the same parser with no program, so rules fall back to the syntactic model. */
export const untypedRuleTester = new RuleTester({
  languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
});

/** Typed cases resolve against this file of the fixture project. */
export const typedFile = path.join(__dirname, 'fixtures', 'file.ts');
