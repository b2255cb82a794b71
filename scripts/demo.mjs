// `npm run demo`: the CLI on the bundled sample service. Finding problems is the point of the demo,
// so the CLI's "problems found" exit code (1) is success here; a usage error or crash (2) is not.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { status } = spawnSync(process.execPath, ['bin/asyncguard.js', 'test-fixtures/sample-service'], {
  cwd: root,
  stdio: 'inherit',
});
if (status === 1) {
  console.log('\nThese are the deliberate bugs of test-fixtures/sample-service; each `↳` is a quick fix your editor offers.');
}
process.exit(status === 1 ? 0 : (status ?? 2));
