/**
 * The VSIX ships dist/server.js and TypeScript's lib files and nothing else: the bundle must lint,
 * typed, with no node_modules anywhere above it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST } from './helpers/build';
import { TestClient } from './helpers/lspClient';
import { tempProject, TSCONFIG } from './helpers/tempProject';

/** Only the type checker (and so TypeScript's lib files, where Promise lives) knows this is a promise. */
const TYPED_ONLY_TS = 'interface Store { save(): Promise<void> }\ndeclare const store: Store;\nexport async function run(): Promise<void> {\n  store.save();\n}\n';

describe('the server bundle on its own (as in the VSIX)', function () {
  this.timeout(120_000);

  it('lints typed with only dist/server.js and the lib files, no node_modules', async () => {
    const shipped = tempProject({});
    const project = tempProject({ 'tsconfig.json': TSCONFIG, 'src/load.ts': TYPED_ONLY_TS });
    let client: TestClient | undefined;
    try {
      for (const name of fs.readdirSync(DIST).filter((n) => n === 'server.js' || /^lib\..*\.d\.ts$/u.test(n))) {
        fs.copyFileSync(path.join(DIST, name), shipped.path(name));
      }
      assert.equal(fs.existsSync(path.join(path.dirname(shipped.dir), 'node_modules')), false, 'a node_modules above the temp dir would hide a missing module');
      client = await TestClient.start({ folders: [project.dir], settings: { debounceMs: 0 }, serverPath: shipped.path('server.js') });
      const uri = client.uri(project.path('src/load.ts'));
      // The first publication may be the untyped first pass (empty here); the typed one follows.
      const published = client.nextDiagnostics(uri, (d) => d.diagnostics.length > 0);
      client.open(project.path('src/load.ts'), TYPED_ONLY_TS);
      const { diagnostics } = await published;
      assert.deepEqual(diagnostics.map((d) => d.code), ['asyncguard/no-unawaited-promise'], client.stderr);
      assert.equal(await client.stop(), 0);
    } finally {
      await client?.dispose();
      shipped.remove();
      project.remove();
    }
  });
});
