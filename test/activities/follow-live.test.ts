import { MockActivityEnvironment } from '@temporalio/testing';
import { generateTenant } from '../../emulators/shared/tenant';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import type { FollowLiveResult } from '../../src/activities/contracts';
import { makeFollowLive, type FollowLease } from '../../src/activities/follow-live';
import { importKey, type ConnectorConfig } from '../../src/model';
import { buildActivityDeps } from '../../src/runtime/build-deps';
import { startHarness, TEST_ENV, type Harness } from '../support/connector-harness';

/**
 * The live follower collects windows in-process. A follow lost with its worker is run again from the same cursor
 * by Temporal (attempt 2): it must cut the same windows, rewrite the same log parts and manifests, and count what it
 * finds of the lost attempt's items as imported, so the log never lists a pair twice.
 */
describe('followLive (emulators over HTTP, Azurite)', () => {
  let h: Harness;
  const anchor = Date.now();
  const agents = generateTenant(42).agents.filter((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted);
  const wanted: FollowLease = { standing: () => Promise.resolve('wanted') };

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 0, days: 1, anchorTime: anchor, maxMessages: 4 } });
  });
  afterAll(async () => h?.close());

  function config(): ConnectorConfig {
    return h.config({ startDate: new Date(anchor - 3_600_000).toISOString(), pollInterval: '2s', minWindow: '2s' });
  }

  async function close(agentIds: string[], endTime: number): Promise<{ conversationId: string; endTime: number }> {
    const res = await fetch(`${h.lp.url}/_emulator/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentIds, endTime, visibleImmediately: true }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; endTime: number };
  }

  function follow(c: ConnectorConfig, cursor: number, attempt: number, lease = wanted): Promise<FollowLiveResult> {
    const run = makeFollowLive(buildActivityDeps(h.staging, TEST_ENV), lease);
    const env = new MockActivityEnvironment({ attempt, heartbeatTimeoutMs: 0 });
    return env.run(() => run({ config: c, lanes: [{ source: 'messaging', cursor, lagMs: 5_000 }], maxWaitMs: 1_000 }));
  }

  it('reuses a lease read within LEASE_READ_MS while it only polls, and reads afresh before every window it writes', async () => {
    let reads = 0;
    const counting: FollowLease = { standing: () => Promise.resolve((reads++, 'wanted')) };
    // The production poll interval: reads are reused for LEASE_READ_MS (15 s), not for a (shorter) poll interval.
    const c = h.config({ startDate: new Date(anchor - 3_600_000).toISOString(), pollInterval: '30s', minWindow: '2s' });
    const run = makeFollowLive(buildActivityDeps(h.staging, TEST_ENV), counting);
    const followFor = (cursor: number, maxWaitMs: number): Promise<FollowLiveResult> =>
      new MockActivityEnvironment({ attempt: 1, heartbeatTimeoutMs: 0 }).run(() =>
        run({ config: c, lanes: [{ source: 'messaging', cursor, lagMs: 5_000 }], maxWaitMs }),
      );
    // 9 s with nothing closing: the first poll reads the lease, the last pass (before 15 s) reuses that read.
    const idle = await followFor(Date.now() - 6_000, 9_000);
    expect(idle.windows).toHaveLength(0);
    expect(reads).toBe(1);
    reads = 0;
    const cursor = Date.now() - 40 * 60_000; // far before the other tests' conversations
    await close([agents[2]!.id], cursor + 20_500);
    const busy = await followFor(cursor, 1_000);
    expect(busy.windows).toHaveLength(1);
    expect(reads).toBe(2); // the poll's, then the window's own
  }, 30_000);

  it('a retried follow cuts the same windows and log parts, and counts the lost attempt’s items as imported', async () => {
    const c = config();
    const cursor = Date.now() - 60_000;
    const closed = [await close([agents[0]!.id], cursor + 10_500), await close([agents[1]!.id], cursor + 31_000)];
    const first = await follow(c, cursor, 1);
    expect(first.windows).toHaveLength(2);
    expect(first.handBack).toBeUndefined();
    // Each window is the grid step (pollInterval) holding its close; the first starts at the cursor if it is inside.
    for (const [i, w] of first.windows.entries()) {
      expect(w.window.from).toBeLessThanOrEqual(closed[i]!.endTime);
      expect(w.window.to).toBeGreaterThan(closed[i]!.endTime);
      expect(w.window.to % c.schedule.pollIntervalMs).toBe(0);
      expect(w.manifest).toBe(true);
    }
    const imported = (r: FollowLiveResult) => r.windows.flatMap((w) => w.batches).reduce((n, b) => n + b.counts.imported, 0);
    const duplicates = (r: FollowLiveResult) => r.windows.flatMap((w) => w.batches).reduce((n, b) => n + b.counts.skippedDuplicate, 0);
    expect(imported(first)).toBe(2);
    // Everything after the last window was searched and found empty: the cursor may move up to now − lag.
    expect(first.emptyUntil[0]!.to).toBeGreaterThan(first.windows[1]!.window.to);
    const partsAfterFirst = await h.staging.list('logs', `${c.name}/`);

    // Temporal runs it again from the same cursor, later: same windows, same parts, imported (not duplicates).
    await new Promise((r) => setTimeout(r, 2_500));
    const again = await follow(c, cursor, 2);
    expect(again.windows.map((w) => w.window)).toEqual(first.windows.map((w) => w.window));
    expect(again.windows.flatMap((w) => w.batches.map((b) => b.logPart))).toEqual(
      first.windows.flatMap((w) => w.batches.map((b) => b.logPart)),
    );
    expect(imported(again)).toBe(2);
    expect(duplicates(again)).toBe(0);
    expect(await h.staging.list('logs', `${c.name}/`)).toEqual(partsAfterFirst);
    const items = await mailboxItems(h.graph.url, c.graph.folderName);
    for (const conv of closed) {
      expect(items.filter((i) => i.importKey === importKey(c.name, conv.conversationId, String(conv.endTime)))).toHaveLength(1);
    }
  }, 120_000);

  it('asked to end, collects what has closed up to now − lag and returns at once', async () => {
    const c = config();
    const cursor = Date.now() - 60_000;
    const conv = await close([agents[3]!.id], cursor + 5_000);
    const ending: FollowLease = { standing: () => Promise.resolve('ending') };
    const run = makeFollowLive(buildActivityDeps(h.staging, TEST_ENV), ending);
    const env = new MockActivityEnvironment({ attempt: 1, heartbeatTimeoutMs: 0 });
    const started = Date.now();
    const result: FollowLiveResult = await env.run(() =>
      run({ config: c, lanes: [{ source: 'messaging', cursor, lagMs: 5_000 }], maxWaitMs: 300_000 }),
    );
    expect(Date.now() - started).toBeLessThan(60_000); // not its 5-minute wait
    // (the emulator also holds the first test's conversations, closed in the same minute)
    expect(result.windows.map((w) => w.window.from <= conv.endTime && conv.endTime < w.window.to)).toContain(true);
    expect(result.emptyUntil[0]!.to).toBeGreaterThan(result.windows[result.windows.length - 1]!.window.to);
  }, 120_000);

  it('writes nothing once it is lost (retried elsewhere, or Temporal cannot be read)', async () => {
    const c = config();
    const cursor = Date.now() - 60_000;
    await close([agents[2]!.id], cursor + 5_000);
    const gone: FollowLease = { standing: () => Promise.resolve('lost') };
    const result = await follow(c, cursor, 1, gone);
    expect(result.windows).toHaveLength(0);
    const mine = (await mailboxItems(h.graph.url, c.graph.folderName)).filter((i) => i.importKey?.includes(`:${c.name}:`));
    expect(mine).toHaveLength(0);
    expect(await h.staging.list('logs', `${c.name}/`)).toHaveLength(0);
  }, 60_000);
});
