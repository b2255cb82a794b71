// Every rule in the registry has what a rule needs to ship: a doc page whose generated header
// matches its meta, a test file that exercises its messages, config entries that agree with
// `meta.docs.recommended` and `meta.docs.strict`, a docs URL that points at the page, and a documented schema.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import plugin from '../src';
import { rules } from '../src/rules';

const packageRoot = path.join(__dirname, '..');
const repoRoot = path.join(packageRoot, '..');
const docPath = (name: string) => path.join(packageRoot, 'docs', 'rules', `${name}.md`);
const testPath = (name: string) => path.join(packageRoot, 'tests', 'rules', `${name}.test.ts`);
const sourcePath = (name: string) => path.join(packageRoot, 'src', 'rules', `${name}.ts`);
const read = (file: string) => fs.readFileSync(file, 'utf8');

/** All test sources of a rule: `<name>.test.ts` and any `<name>.<part>.test.ts` beside it. */
function testSources(name: string): string {
  const dir = path.join(packageRoot, 'tests', 'rules');
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${name}.`) && f.endsWith('.test.ts'))
    .map((f) => read(path.join(dir, f)))
    .join('\n');
}

/** All of rules/src: a message id may be chosen in a helper rather than in the rule file. */
function allSources(dir = path.join(packageRoot, 'src')): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? allSources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? read(path.join(dir, e.name)) : ''))
    .join('\n');
}

/** eslint-doc-generator's `desc-parens-prefix-name` title (see .eslint-doc-generatorrc.json). */
function expectedTitle(name: string, description: string): string {
  const sentence = description.charAt(0).toUpperCase() + description.slice(1);
  return `# ${sentence.replace(/\.$/, '')} (\`asyncguard/${name}\`)`;
}

/** The parts of a JSON schema these checks read. */
interface Schema {
  type?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  additionalProperties?: unknown;
}

/**
 * Every named option the rule defines (the properties of its option objects, nested objects
 * included), with its path. Value shapes under `items`/`oneOf`/`anyOf` are not walked: they are
 * data formats (often typescript-eslint's shared specifier schema), not options of ours.
 */
function optionSchemas(schema: Schema, where: string): [string, Schema][] {
  const found: [string, Schema][] = [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    found.push([`${where}.${key}`, sub], ...optionSchemas(sub, `${where}.${key}`));
  }
  return found;
}

/** The schema of each positional option: `schema: [a, b]` or `{ type: 'array', items: [a, b] }`. */
function topLevelSchemas(metaSchema: unknown): Schema[] {
  if (metaSchema === undefined || metaSchema === false) return [];
  if (Array.isArray(metaSchema)) return metaSchema as Schema[];
  const single = metaSchema as Schema;
  return single.type === 'array' && Array.isArray(single.items) ? single.items : [single];
}

/** The rules table between the README's eslint-doc-generator markers. */
function readmeRulesTable(): string {
  const readme = read(path.join(repoRoot, 'README.md'));
  const match = /<!-- begin auto-generated rules list -->([\s\S]*?)<!-- end auto-generated rules list -->/.exec(readme);
  assert.ok(match, 'README.md has the auto-generated rules list markers');
  return match[1];
}

describe('rule meta', () => {
  it('the registry is not empty and every name has a source file of the same name', () => {
    assert.ok(Object.keys(rules).length > 0);
    for (const name of Object.keys(rules)) {
      assert.ok(fs.existsSync(sourcePath(name)), `rules/src/rules/${name}.ts exists`);
    }
  });

  it('the plugin exposes exactly the registry', () => {
    assert.deepEqual(Object.keys(plugin.rules).sort(), Object.keys(rules).sort());
    assert.equal(plugin.meta.name, 'eslint-plugin-asyncguard');
    assert.equal(plugin.meta.version, (JSON.parse(read(path.join(packageRoot, 'package.json'))) as { version: string }).version);
    assert.equal(plugin.configs.recommended.plugins?.asyncguard, plugin, 'recommended registers the plugin under `asyncguard`');
    assert.equal(plugin.configs.strict.plugins?.asyncguard, plugin, 'strict registers the plugin under `asyncguard`');
  });

  it('strict is recommended plus the rules marked strict', () => {
    const recommended = Object.keys(plugin.configs.recommended.rules ?? {});
    const strictOnly = Object.entries(rules).filter(([, rule]) => rule.meta.docs?.strict).map(([name]) => `asyncguard/${name}`);
    assert.deepEqual(Object.keys(plugin.configs.strict.rules ?? {}).sort(), [...recommended, ...strictOnly].sort());
  });

  it('every doc page in rules/docs/rules belongs to a rule', () => {
    const pages = fs.readdirSync(path.join(packageRoot, 'docs', 'rules')).filter((f) => f.endsWith('.md'));
    for (const page of pages) {
      assert.ok(page.slice(0, -'.md'.length) in rules, `rules/docs/rules/${page} documents a registered rule`);
    }
  });

  for (const [name, rule] of Object.entries(rules)) {
    const { meta } = rule;
    const docs = meta.docs;

    describe(name, () => {
      it('has a description in the imperative, without a trailing period', () => {
        assert.ok(docs?.description, 'meta.docs.description is set');
        assert.match(docs.description, /^(Enforce|Require|Disallow|Prefer) /, 'starts with Enforce/Require/Disallow/Prefer');
        assert.doesNotMatch(docs.description, /\.$/);
      });

      it('has a doc page whose generated title matches meta.docs.description', () => {
        assert.ok(fs.existsSync(docPath(name)), `rules/docs/rules/${name}.md exists`);
        const doc = read(docPath(name));
        const firstLine = doc.split('\n', 1)[0];
        assert.equal(firstLine, expectedTitle(name, docs!.description), 'run `npm run docs`');
        assert.ok(doc.includes('<!-- end auto-generated rule header -->'), 'the doc has the generated header marker');
      });

      it('has a doc page with a hand-written body: examples and when not to use it', () => {
        const doc = read(docPath(name));
        const body = doc.slice(doc.indexOf('<!-- end auto-generated rule header -->'));
        assert.match(body, /incorrect/i, 'the doc shows incorrect code');
        assert.match(body, /correct/i, 'the doc shows correct code');
        assert.match(body, /^## When not to use it/im, 'the doc has a "When not to use it" section');
      });

      it('has meta.docs.url pointing at its doc page', () => {
        assert.ok(docs?.url?.endsWith(`rules/docs/rules/${name}.md`), `url ends with rules/docs/rules/${name}.md: ${docs?.url}`);
      });

      it('is in configs.recommended iff meta.docs.recommended', () => {
        const configured = plugin.configs.recommended.rules?.[`asyncguard/${name}`];
        if (docs?.recommended) assert.equal(configured, 'error');
        else assert.equal(configured, undefined);
      });

      it('is in configs.strict iff meta.docs.recommended or meta.docs.strict', () => {
        const configured = plugin.configs.strict.rules?.[`asyncguard/${name}`];
        if (docs?.recommended || docs?.strict) assert.equal(configured, 'error');
        else assert.equal(configured, undefined);
        assert.ok(!(docs?.recommended && docs.strict), 'a recommended rule is in strict already: set one of the two');
      });

      it('runs without type information (requiresTypeChecking is not set)', () => {
        assert.notEqual(docs?.requiresTypeChecking, true);
      });

      it('has a known type', () => {
        assert.ok(['problem', 'suggestion', 'layout'].includes(meta.type));
      });

      it('documents every option in its schema, and closes every object', () => {
        for (const [i, top] of topLevelSchemas(meta.schema).entries()) {
          for (const [where, sub] of [[`options[${i}]`, top] as [string, Schema], ...optionSchemas(top, `options[${i}]`)]) {
            if (where !== `options[${i}]`) assert.ok(sub.description, `${where} has a description`);
            if (sub.type === 'object' || sub.properties) {
              assert.equal(sub.additionalProperties, false, `${where} sets additionalProperties: false`);
            }
          }
        }
      });

      it('has a test file', () => {
        assert.ok(fs.existsSync(testPath(name)), `rules/tests/rules/${name}.test.ts exists`);
      });

      it('is tested typed and untyped', () => {
        const tests = testSources(name);
        assert.match(tests, /\btypedRuleTester\b/, 'the test file runs the typed RuleTester');
        assert.match(tests, /\buntypedRuleTester\b/, 'the test file runs the untyped RuleTester');
      });

      it('uses and tests every messageId', () => {
        const source = allSources();
        const tests = testSources(name);
        for (const id of Object.keys(meta.messages)) {
          const quoted = new RegExp(`['"\`]${id}['"\`]`);
          assert.match(source, quoted, `messageId '${id}' is used in rules/src`);
          // Either a plain `messageId: 'x'` or the `['x', [from, to]]` suggestion tuples of the invalid() helper.
          // Also the shared case builders' arguments (`tryFinallyEdit<MessageId>('wrapInTryFinally', …)`).
          const asserted = new RegExp(`messageId: ${quoted.source}|\\[\\s*${quoted.source},|\\(\\s*${quoted.source},`);
          assert.match(tests, asserted, `messageId '${id}' is asserted in the tests`);
        }
      });

      it('tests its suggestions and fixes when it has them', () => {
        const tests = testSources(name);
        if (meta.hasSuggestions) assert.match(tests, /\bsuggestions:|\bsuggest:/, 'the tests assert suggestion outputs (directly, or through `invalidCase`)');
        if (meta.fixable) assert.match(tests, /\boutput:/, 'the tests assert fix outputs');
      });

      it('is listed in the README rules table with its description', () => {
        const table = readmeRulesTable();
        const row = table.split('\n').find((line) => line.includes(`](rules/docs/rules/${name}.md)`));
        assert.ok(row, `README rules table links rules/docs/rules/${name}.md (run \`npm run docs\`)`);
        assert.ok(row.includes(docs!.description.replace(/\.$/, '')), 'the README row shows meta.docs.description');
      });
    });
  }
});
