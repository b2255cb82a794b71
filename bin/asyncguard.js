#!/usr/bin/env node
'use strict';

if (process.env.ASYNCGUARD_DEBUG) process.setSourceMapsEnabled(true);

// The CLI lives in the bundle built by `npm run build` (server/src/cli.ts → dist/cli.js).
let cliPath;
try {
  cliPath = require.resolve('../dist/cli.js');
} catch {
  process.stderr.write('asyncguard: dist/cli.js is missing; run `npm run build` first\n');
  process.exit(2);
}
const cli = require(cliPath);

cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main() reports its own errors; this only guards against a bug in that reporting.
    process.stderr.write(`asyncguard: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
