// The end-to-end scenarios only: `mocha --config test/e2e/.mocharc.cjs` from the repository root (run.sh,
// `npm run test:e2e`). Their files are named *.e2e.ts so the root .mocharc.cjs (plain `npm test`)
// never picks them up.
module.exports = {
  spec: ['test/e2e/*.e2e.ts'],
  extension: ['ts'],
  'node-option': ['import=tsx'],
  // A session starts a code-server and a Chromium; the first lint of a cold server types the project.
  timeout: 180_000,
  slow: 30_000,
  'forbid-only': true,
};
