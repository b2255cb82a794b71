// `npx mocha` runs every test; `npx mocha path/to/x.test.ts` runs only the files named (mocha
// would otherwise add this config's spec to the ones given on the command line).
const named = process.argv.slice(2).some((arg) => /\.test\.[cm]?ts$/.test(arg));

module.exports = {
  spec: named ? [] : ['**/tests/**/*.test.ts', 'test/**/*.test.ts'],
  ignore: ['**/node_modules/**', '**/dist/**', 'test-fixtures/**'],
  extension: ['ts'],
  'node-option': ['import=tsx'],
  // Wires @typescript-eslint/rule-tester to mocha's hooks.
  require: ['./test/setup.ts'],
  // Typed linting builds a TypeScript program: seconds, not milliseconds.
  timeout: 120_000,
  slow: 5_000,
  'forbid-only': true,
};
