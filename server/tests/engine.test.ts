/**
 * The engine's own decisions (typed or not, which files, fallbacks, fixes), checked in-process with a
 * probe in place of the rule, so they do not depend on what the rule reports. The probe reports, on
 * each file, whether the parser gave it a TypeScript program, and offers one autofix.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Rule } from 'eslint';
import plugin from 'eslint-plugin-asyncguard';
import { createEngine, EngineError } from '../src/engine';
import { findNearestTsconfig } from '../src/findTsconfig';
import { tempProject, TSCONFIG, type TempProject } from './helpers/tempProject';

const RULE = 'asyncguard/no-unawaited-promise';

const probe: Rule.RuleModule['create'] = (context) => ({
  Program(node) {
    const typed = Boolean(context.sourceCode.parserServices?.program);
    context.report({ node, message: typed ? 'typed' : 'untyped' });
  },
  Identifier(node) {
    if (node.name === 'renameMe') context.report({ node, message: 'rename', fix: (fixer) => fixer.replaceText(node, 'renamed') });
  },
});

/** `[file relative to dir, typed|untyped]` for each result, plus every fatal message. */
function typedness(results: { filePath: string; messages: { message: string; fatal?: boolean }[] }[], dir: string) {
  return results
    .map((r) => [path.relative(dir, r.filePath), ...r.messages.filter((m) => m.fatal || /^(un)?typed$/u.test(m.message)).map((m) => m.message)])
    .sort();
}

describe('engine', function () {
  this.timeout(60_000);
  const rule = (plugin.rules as unknown as Record<string, Rule.RuleModule>)['no-unawaited-promise']!;
  const original = { create: rule.create, fixable: rule.meta!.fixable };
  let p: TempProject;

  before(() => {
    rule.create = probe;
    rule.meta!.fixable = 'code';
    p = tempProject({
      'tsconfig.json': TSCONFIG,
      'src/a.ts': 'export const a = 1;\n',
      'src/b.js': 'export const b = 2;\n',
      'scripts/tool.mjs': 'export const t = 3;\n',
      'packages/inner/tsconfig.json': TSCONFIG,
      'packages/inner/src/c.ts': 'export const c: number = 3;\n',
      'dist/out.js': 'export const out = 1;\n',
      'fixme/f.js': 'export const renameMe = 1;\n',
    });
  });
  after(() => {
    rule.create = original.create;
    rule.meta!.fixable = original.fixable;
    p.remove();
  });

  describe('typed: auto', () => {
    it('types files in the tsconfig project and lints the others untyped, without parse errors', async () => {
      const engine = createEngine({ cwd: p.dir });
      const results = await engine.lintFiles(['.']);
      assert.deepEqual(typedness(results, p.dir), [
        ['fixme/f.js', 'untyped'],
        ['packages/inner/src/c.ts', 'typed'],
        ['scripts/tool.mjs', 'untyped'],
        // .js outside `allowJs` is not in the project: untyped.
        ['src/a.ts', 'typed'],
        ['src/b.js', 'untyped'],
      ]);
    });

    it('says which results were typed: not those linted again untyped outside every project', async () => {
      const engine = createEngine({ cwd: p.dir });
      const typed = await engine.lintText('export const a = 1;\n', { filePath: p.path('src/a.ts') });
      // src/b.js lies under the tsconfig but outside its project (no allowJs): the fallback is untyped.
      const fallback = await engine.lintText('export const b = 2;\n', { filePath: p.path('src/b.js') });
      const untyped = await createEngine({ cwd: p.dir, typed: 'off' }).lintText('export const a = 1;\n', { filePath: p.path('src/a.ts') });
      assert.deepEqual([engine.isTyped(typed), engine.isTyped(fallback), engine.isTyped(untyped)], [true, false, false]);
    });

    it('finds a nested tsconfig by walking up from the linted path', async () => {
      const engine = createEngine({ cwd: p.dir });
      assert.equal(engine.tsconfigFor('packages/inner/src/c.ts'), p.path('packages/inner/tsconfig.json'));
      const results = await engine.lintFiles(['packages/inner/src']);
      assert.deepEqual(typedness(results, p.dir), [['packages/inner/src/c.ts', 'typed']]);
    });

    it('lints paths outside its cwd', async () => {
      const engine = createEngine({ cwd: p.path('scripts') });
      const results = await engine.lintFiles([p.path('src/a.ts'), p.path('fixme/f.js')]);
      assert.deepEqual(typedness(results, p.dir), [
        ['fixme/f.js', 'untyped'],
        ['src/a.ts', 'typed'],
      ]);
    });
  });

  describe('typed: off / on', () => {
    it('off never types', async () => {
      const results = await createEngine({ cwd: p.dir, typed: 'off' }).lintFiles(['src']);
      assert.deepEqual(typedness(results, p.dir), [
        ['src/a.ts', 'untyped'],
        ['src/b.js', 'untyped'],
      ]);
    });

    it('on without a tsconfig.json at or above the path throws an EngineError', async () => {
      const bare = tempProject({ 'x.js': '' });
      try {
        await assert.rejects(createEngine({ cwd: bare.dir, typed: 'on' }).lintFiles(['.']), (error) => {
          assert.ok(error instanceof EngineError);
          assert.equal(error.code, 'NO_TSCONFIG');
          return true;
        });
      } finally {
        bare.remove();
      }
    });
  });

  describe('lintText', () => {
    it('types the text of a project file (the editor buffer, not the file on disk)', async () => {
      const engine = createEngine({ cwd: p.dir });
      const results = await engine.lintText('export const a = 2; const renameMe = a;\n', { filePath: p.path('src/a.ts') });
      assert.deepEqual(
        results[0]!.messages.map((m) => m.message),
        ['typed', 'rename'],
      );
    });

    it('lints an unsaved buffer outside every project untyped', async () => {
      const engine = createEngine({ cwd: p.dir });
      const results = await engine.lintText('export const n = 1;\n', { filePath: p.path('src/new-unsaved.ts') });
      assert.deepEqual(
        results[0]!.messages.map((m) => m.message),
        ['untyped'],
      );
    });

    it('lints text without a path, untyped', async () => {
      const results = await createEngine({ cwd: p.dir }).lintText('export const n = 1;\n');
      assert.deepEqual(
        results[0]!.messages.map((m) => m.message),
        ['untyped'],
      );
    });

    it('returns nothing for an ignored path', async () => {
      assert.deepEqual(await createEngine({ cwd: p.dir }).lintText('x;\n', { filePath: p.path('dist/out.js') }), []);
    });
  });

  describe('fixes and metadata', () => {
    it('fix: true computes output; outputFixes writes it', async () => {
      const engine = createEngine({ cwd: p.dir, fix: true });
      const results = await engine.lintFiles(['fixme']);
      assert.equal(results[0]!.output, 'export const renamed = 1;\n');
      await engine.outputFixes(results);
      assert.equal(p.read('fixme/f.js'), 'export const renamed = 1;\n');
    });

    it('fix: false leaves files alone', async () => {
      const engine = createEngine({ cwd: p.dir });
      const results = await engine.lintText('const renameMe = 1;\n', { filePath: p.path('src/x.js') });
      assert.equal(results[0]!.output, undefined);
    });

    it('rulesMeta gives the docs url of each rule that reported', async () => {
      const engine = createEngine({ cwd: p.dir });
      const results = await engine.lintFiles(['src/a.ts']);
      const meta = engine.rulesMeta(results);
      assert.match(meta[RULE]?.docs?.url ?? '', /rules\/docs\/rules\/no-unawaited-promise\.md$/u);
    });
  });
});

describe('findNearestTsconfig', () => {
  let p: TempProject;
  before(() => {
    p = tempProject({ 'tsconfig.json': '{}', 'a/b/c.ts': '', 'a/tsconfig.json': '{}' });
  });
  after(() => p.remove());

  it('returns the nearest tsconfig.json at or above a file or directory', () => {
    assert.equal(findNearestTsconfig(p.path('a/b/c.ts')), p.path('a/tsconfig.json'));
    assert.equal(findNearestTsconfig(p.path('a/b')), p.path('a/tsconfig.json'));
    assert.equal(findNearestTsconfig(p.path('a')), p.path('a/tsconfig.json'));
    assert.equal(findNearestTsconfig(p.dir), p.path('tsconfig.json'));
  });

  it('accepts paths that do not exist yet (unsaved buffers)', () => {
    assert.equal(findNearestTsconfig(p.path('a/b/new.ts')), p.path('a/tsconfig.json'));
  });

  it('stops at the filesystem root', () => {
    assert.equal(findNearestTsconfig(path.parse(p.dir).root), null);
  });
});
