import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourceCatalogue } from '../../src/analysis/resourceCatalogue';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules', 'no-unclosed-session.md'), 'utf8');

describe('resource catalogue', () => {
  it('has unique ids', () => {
    const ids = resourceCatalogue.map((kind) => kind.id);
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), []);
  });

  it('derives resources only from kinds it has', () => {
    const ids = new Set(resourceCatalogue.map((kind) => kind.id));
    for (const kind of resourceCatalogue) {
      for (const creation of kind.create) {
        if ('method' in creation) for (const on of creation.on) assert.ok(ids.has(on), `${kind.id} is made on ${on}, which is not in the catalogue`);
      }
    }
  });

  it('says how every entry is released', () => {
    for (const kind of resourceCatalogue) {
      const released = (kind.releaseMethods?.length ?? 0) + (kind.releaseFunctions?.length ?? 0) + (kind.body ? 1 : 0);
      assert.ok(released > 0, `${kind.id} has a release`);
    }
  });

  it('is documented: every module appears in the rule doc catalogue table', () => {
    const table = doc.slice(doc.indexOf('## Catalogue'), doc.indexOf('## Suggestions'));
    for (const kind of resourceCatalogue) {
      for (const module of kind.modules) {
        const name = module === 'globalThis' ? (kind.id.startsWith('timers') ? 'timers' : 'fetch') : module.replace(/^node:/, '');
        assert.match(table, new RegExp(`\`(node:)?${name.replace(/[/.]/g, '\\$&')}\``), `${kind.id}: ${module} is in the doc's catalogue table`);
      }
    }
  });
});
