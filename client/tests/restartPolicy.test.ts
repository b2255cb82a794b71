import * as assert from 'node:assert/strict';
import { RestartPolicy } from '../src/restartPolicy';

describe('client restart policy', () => {
  it('restarts with a growing delay, then gives up once it keeps crashing', () => {
    const policy = new RestartPolicy(5, 180_000, 500, 8_000);
    assert.deepEqual(
      [0, 1_000, 2_000, 3_000, 4_000].map((t) => policy.onCrash(t)),
      [
        { crashes: 1, delayMs: 500 },
        { crashes: 2, delayMs: 1_000 },
        { crashes: 3, delayMs: 2_000 },
        { crashes: 4, delayMs: 4_000 },
        { crashes: 5 },
      ],
    );
  });

  it('forgets crashes older than the window, and on reset', () => {
    const policy = new RestartPolicy(3, 60_000, 100, 400);
    policy.onCrash(0);
    policy.onCrash(1_000);
    assert.deepEqual(policy.onCrash(70_000), { crashes: 1, delayMs: 100 }, 'the first two are outside the window');
    policy.onCrash(71_000);
    policy.reset();
    assert.deepEqual(policy.onCrash(72_000), { crashes: 1, delayMs: 100 });
  });

  it('caps the delay', () => {
    const policy = new RestartPolicy(10, 60_000, 1_000, 3_000);
    const delays = [1, 2, 3, 4].map((t) => policy.onCrash(t).delayMs);
    assert.deepEqual(delays, [1_000, 2_000, 3_000, 3_000]);
  });
});
