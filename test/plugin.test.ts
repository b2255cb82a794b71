// The built plugin (rules/dist, made by `npm run build`) as users load it: through require and
// import, by path and by package name, in ESLint 10 and ESLint 9 flat configs, typed and untyped.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as eslint10 from 'eslint';
import * as eslint9 from 'eslint9';
import tseslint from 'typescript-eslint';

const repoRoot = path.join(__dirname, '..');
const distEntry = path.join(repoRoot, 'rules', 'dist', 'index.js');
const ruleId = 'asyncguard/no-unawaited-promise';

interface Plugin {
  meta: { name: string; version: string };
  rules: Record<string, unknown>;
  configs: { recommended: { name?: string; plugins?: Record<string, unknown>; rules?: Record<string, unknown> } };
}

function loadBuilt(): Plugin {
  assert.ok(fs.existsSync(distEntry), 'rules/dist/index.js exists: run `npm run build` first');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(distEntry) as Plugin;
}

function assertIsPlugin(value: unknown): asserts value is Plugin {
  const p = value as Plugin;
  assert.equal(p.meta.name, 'eslint-plugin-asyncguard');
  assert.match(p.meta.version, /^\d+\.\d+\.\d+/);
  assert.ok(p.rules['no-unawaited-promise'], 'rules has no-unawaited-promise');
  assert.equal(p.configs.recommended.plugins?.asyncguard, p, 'configs.recommended registers the plugin itself');
  assert.equal(p.configs.recommended.rules?.[ruleId], 'error');
}

describe('the built plugin', () => {
  describe('loading', () => {
    it('require(rules/dist/index.js) is the plugin', () => {
      assertIsPlugin(loadBuilt());
    });

    it('require(<repo>/rules) and require("eslint-plugin-asyncguard") are the same object', () => {
      const plugin = loadBuilt();
      /* eslint-disable @typescript-eslint/no-require-imports */
      assert.equal(require(path.join(repoRoot, 'rules')), plugin);
      assert.equal(require('eslint-plugin-asyncguard'), plugin);
      /* eslint-enable @typescript-eslint/no-require-imports */
    });

    it('import() by package name and by file URL yields the plugin as the default export (native ESM)', () => {
      loadBuilt();
      // A child process, so that Node's own ESM loader answers, not the test runner's transform.
      const script = `
        const results = {};
        for (const [key, spec] of Object.entries(JSON.parse(process.argv[1]))) {
          try {
            const ns = await import(spec);
            const p = ns.default;
            results[key] = { ok: true, name: p?.meta?.name, hasRules: !!p?.rules?.['no-unawaited-promise'],
              hasRecommended: !!p?.configs?.recommended, sameAsRecommendedPlugin: p?.configs?.recommended?.plugins?.asyncguard === p };
          } catch (err) {
            results[key] = { ok: false, code: err.code };
          }
        }
        console.log(JSON.stringify(results));
      `;
      const specs = {
        byName: 'eslint-plugin-asyncguard',
        byFileUrl: pathToFileURL(distEntry).href,
        byDirectory: pathToFileURL(path.join(repoRoot, 'rules')).href,
      };
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(specs)], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      const results = JSON.parse(out) as Record<string, { ok: boolean; code?: string }>;
      const plugin = { ok: true, name: 'eslint-plugin-asyncguard', hasRules: true, hasRecommended: true, sameAsRecommendedPlugin: true };
      assert.deepEqual(results.byName, plugin);
      assert.deepEqual(results.byFileUrl, plugin);
      // Documented in README: Node's ESM loader never imports a directory by path.
      assert.deepEqual(results.byDirectory, { ok: false, code: 'ERR_UNSUPPORTED_DIR_IMPORT' });
    });
  });

  const versions = [
    { label: 'ESLint 10', ESLint: eslint10.ESLint, major: 10 },
    { label: 'ESLint 9', ESLint: eslint9.ESLint as unknown as typeof eslint10.ESLint, major: 9 },
  ];

  for (const { label, ESLint, major } of versions) {
    describe(`in ${label} as a flat config`, () => {
      it(`is ESLint ${major}`, () => {
        assert.equal(Number(ESLint.version.split('.')[0]), major);
      });

      it('untyped: reports a dropped fetch() once, and nothing on correct code', async () => {
        const plugin = loadBuilt();
        const eslint = new ESLint({
          cwd: repoRoot,
          overrideConfigFile: true,
          overrideConfig: [plugin.configs.recommended as eslint10.Linter.Config],
        });
        const [bad] = await eslint.lintText("async function f() { fetch('x'); }\n", { filePath: 'snippet.js' });
        assert.deepEqual(
          bad.messages.map((m) => ({ ruleId: m.ruleId, line: m.line, fatal: m.fatal ?? false })),
          [{ ruleId, line: 1, fatal: false }],
        );
        const [good] = await eslint.lintText("async function f() { await (await fetch('x')).text(); }\n", { filePath: 'snippet.js' });
        assert.deepEqual(good.messages, []);
      });

      it('typed (typescript-eslint, projectService): reports on the TypeScript sample service without crashing', async () => {
        const plugin = loadBuilt();
        const fixture = path.join(repoRoot, 'test-fixtures', 'sample-service');
        const eslint = new ESLint({
          cwd: fixture,
          overrideConfigFile: true,
          overrideConfig: [
            {
              files: ['**/*.ts'],
              languageOptions: {
                parser: tseslint.parser,
                parserOptions: { projectService: true, tsconfigRootDir: fixture },
              },
            },
            plugin.configs.recommended as eslint10.Linter.Config,
          ],
        });
        const results = await eslint.lintFiles(['src']);
        assert.ok(results.length >= 5, `linted the fixture's files (${results.length})`);
        const messages = results.flatMap((r) => r.messages.map((m) => ({ ...m, file: path.relative(fixture, r.filePath) })));
        assert.deepEqual(messages.filter((m) => m.fatal), [], 'no parse errors or crashes');
        // Only asyncguard's rules report (nothing else is configured), and the fixture's dropped promises are found.
        const reported = new Set(messages.map((m) => m.ruleId));
        assert.ok([...reported].every((id) => id?.startsWith('asyncguard/')), `only asyncguard reports: ${[...reported].join(', ')}`);
        assert.ok(reported.has(ruleId), 'no-unawaited-promise reports');
      });

      it('untyped: reports on the JavaScript sample service without crashing', async () => {
        const plugin = loadBuilt();
        const fixture = path.join(repoRoot, 'test-fixtures', 'sample-service-js');
        const eslint = new ESLint({
          cwd: fixture,
          overrideConfigFile: true,
          overrideConfig: [plugin.configs.recommended as eslint10.Linter.Config],
        });
        const results = await eslint.lintFiles(['src']);
        assert.ok(results.length >= 5, `linted the fixture's files (${results.length})`);
        const messages = results.flatMap((r) => r.messages);
        assert.deepEqual(messages.filter((m) => m.fatal), [], 'no parse errors or crashes');
        // Only asyncguard's rules report (nothing else is configured), and the fixture's dropped promises are found.
        const reported = new Set(messages.map((m) => m.ruleId));
        assert.ok([...reported].every((id) => id?.startsWith('asyncguard/')), `only asyncguard reports: ${[...reported].join(', ')}`);
        assert.ok(reported.has(ruleId), 'no-unawaited-promise reports');
      });
    });
  }
});
