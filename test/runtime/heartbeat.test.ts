import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeat, throwIfCancelled, withKeepAlive } from '../../src/runtime/heartbeat';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('activity heartbeats', () => {
  it('keep a long single call alive well inside a short heartbeat timeout (else Temporal retries it elsewhere while it runs)', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 4_000 });
    const beats: number[] = [];
    env.on('heartbeat', () => beats.push(Date.now()));
    const t0 = Date.now();
    await env.run(() => withKeepAlive(() => sleep(3_500)));
    // Every timeout / 4 = 1 s: at least three beats, the first within the first timeout.
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats[0]! - t0).toBeLessThan(4_000);
  });

  it('pass per-item progress to the SDK at most every 2 s, with the latest details', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000, currentAttemptScheduledTimestampMs: Date.now() - 120_000 });
    const sent: unknown[] = [];
    env.on('heartbeat', (d: unknown) => sent.push(d));
    await env.run(async () => {
      for (let i = 1; i <= 1000; i++) heartbeat({ done: i });
      await sleep(2_100);
      heartbeat({ done: 1001 });
    });
    expect(sent).toEqual([{ done: 1 }, { done: 1001 }]);
  });

  it('stop a cancelled attempt before its next side effect', async () => {
    const env = new MockActivityEnvironment();
    const run = env.run(async () => {
      throwIfCancelled();
      env.cancel('TIMED_OUT');
      await sleep(10);
      throwIfCancelled();
      return 'created twice';
    });
    await expect(run).rejects.toThrow();
  });
});
