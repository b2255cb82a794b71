import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

describe('related locations (for editors)', function () {
  this.timeout(60_000);

  it('records the leaking exit of a no-unclosed-session report, replaced on each lint', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const plugin = require('eslint-plugin-asyncguard') as typeof import('../rules/src/index');
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never] });
    const filePath = path.join(__dirname, 'leak.mjs');
    const code = [
      "import { open } from 'node:fs/promises';",
      'export async function read(path, skip) {',
      '  const handle = await open(path);',
      '  if (skip) return null;',
      '  await handle.close();',
      '}',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath });
    const report = result.messages.find((m) => m.ruleId === 'asyncguard/no-unclosed-session');
    assert.ok(report, 'the leak is reported');
    assert.deepEqual(plugin.relatedLocations(filePath), [
      {
        ruleId: 'asyncguard/no-unclosed-session',
        messageId: 'notReleasedOnEarlyExit',
        line: report.line,
        column: report.column,
        related: { line: 4, column: 13, endLine: 4, endColumn: 25, message: 'the resource leaks when this runs' },
      },
    ]);
    await eslint.lintText(code.replace('if (skip) return null;', ''), { filePath });
    assert.deepEqual(plugin.relatedLocations(filePath), []);
  });

  it('records the exit past a permit and the acquire of a double release for no-semaphore-misuse', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const plugin = require('eslint-plugin-asyncguard') as typeof import('../rules/src/index');
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never] });
    const filePath = path.join(__dirname, 'permits.mjs');
    const code = [
      "import { Mutex } from 'async-mutex';",
      'const mutex = new Mutex();',
      'export async function save(item, skip) {',
      '  const release = await mutex.acquire();',
      '  if (skip) return;',
      '  await item.write();',
      '  release();',
      '  release();',
      '}',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath });
    const ours = result.messages.filter((m) => m.ruleId === 'asyncguard/no-semaphore-misuse');
    assert.deepEqual(ours.map((m) => m.messageId).sort(), ['doubleRelease', 'releaseNotGuaranteed'], JSON.stringify(result.messages));
    const related = plugin.relatedLocations(filePath).map((r) => [r.messageId, r.line, r.related.line, r.related.column, r.related.message]);
    assert.deepEqual(related.sort(), [
      ['doubleRelease', 8, 4, 25, 'the permit was taken here, once'],
      ['releaseNotGuaranteed', 4, 5, 13, 'the permit is not given back when this runs'],
    ]);
  });
});
