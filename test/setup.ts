// Registered in .mocharc.json: runs once, before any test file is loaded.
import { RuleTester } from '@typescript-eslint/rule-tester';
import * as mocha from 'mocha';

// RuleTester looks for a global `afterAll` (jest/vitest naming) to clear the typescript-eslint
// parser caches after each tester; mocha calls it `after`. `describe` and `it` are found as
// mocha globals without help. The lambda defers the lookup: mocha binds its BDD functions to the
// current file's context only while that file loads.
RuleTester.afterAll = (fn) => mocha.after(fn);
