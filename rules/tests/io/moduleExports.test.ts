import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { promiseExports, readPromiseExports } from '../../src/io/moduleExports';

const fromFile = path.join(__dirname, '..', 'fixtures', 'file.ts');

describe('moduleExports', () => {
  it('reads ESM exports that return promises, by declaration shape', () => {
    const names = readPromiseExports(fromFile, './imports/store.js');
    assert.deepEqual([...(names ?? [])].sort(), ['appendAudit', 'default', 'loadConfig', 'purgeAll', 'saveOrder']);
  });

  it('reads CommonJS exports', () => {
    const names = readPromiseExports(fromFile, './imports/legacy');
    assert.deepEqual([...(names ?? [])].sort(), ['close', 'flush']);
  });

  it('knows nothing about packages, missing files or unparsable code', () => {
    assert.equal(readPromiseExports(fromFile, 'node:fs'), null);
    assert.equal(readPromiseExports(fromFile, './imports/missing.js'), null);
    assert.equal(readPromiseExports('relative/file.ts', './imports/store.js'), null);
    assert.throws(() => promiseExports('export async function (', false, false));
  });

  it('reads module.exports = { … } objects', () => {
    const names = promiseExports('async function a() {}\nfunction b() {}\nmodule.exports = { a, b, c: async () => {} };', false, false);
    assert.deepEqual([...names].sort(), ['a', 'c']);
  });
});
