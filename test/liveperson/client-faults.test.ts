/* eslint-disable @typescript-eslint/no-explicit-any -- tests inspect raw LivePerson JSON loosely, as it arrives */
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { LivePersonThrottledError, LivePersonUnavailableError } from '../../src/liveperson/errors';
import { normalizeRecord, usersById } from '../../src/liveperson/normalize';
import { clientFor, collectWindow, DAY, duplicates, groundTruth, MINUTE, setFaults, startEmulator, stats } from './support';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);
const window = { from: anchor - DAY - MINUTE, to: anchor + MINUTE };
const noFaults = {
  rate429: 0,
  rate5xx: 0,
  dropRate: 0,
  slowRate: 0,
  partialResultRate: 0,
  partialRecordRate: 0,
  retryAfterSeconds: 1,
  retryAfter5xxSeconds: null,
};

describe('LivePerson client under faults', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 21, conversations: 800, days: 1, anchorTime: anchor, maxMessages: 6 });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await setFaults(emu, noFaults);
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
  });

  it('still delivers every conversation with 10% injected 429/503 (retrying as the activity would)', async () => {
    await setFaults(emu, { rate429: 0.05, rate5xx: 0.05, retryAfterSeconds: 0, retryAfter5xxSeconds: 0 });
    const truth = await groundTruth(emu, window);
    const got = await collectWindow(clientFor(emu, { maxQuickRetries: 1 }), window, 50, true);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.conversationId).sort());
    const s = await stats(emu);
    expect(s.faults.rate429 + s.faults.status500 + s.faults.status503).toBeGreaterThan(0);
  });

  it('still delivers every conversation when 10% of connections are dropped without an answer', async () => {
    await setFaults(emu, { dropRate: 0.1 });
    const truth = await groundTruth(emu, window);
    const got = await collectWindow(clientFor(emu, { maxQuickRetries: 1 }), window, 50, true);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.conversationId).sort());
    expect((await stats(emu)).faults.dropped).toBeGreaterThan(0);
  });

  it('gives up on an answer slower than the request timeout with a retryable error', async () => {
    await setFaults(emu, { slowRate: 1, slowMs: 800 });
    const e = await clientFor(emu, { maxQuickRetries: 0, requestTimeoutMs: 250 })
      .searchClosed(window, 0, 10)
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LivePersonUnavailableError);
    expect(e).toMatchObject({ retryable: true });
    expect((e as LivePersonUnavailableError).retryAfterMs).toBeGreaterThan(0);
  });

  it('re-fetches pages flagged partialResult instead of returning them short', async () => {
    await setFaults(emu, { partialResultRate: 0.3 });
    const truth = await groundTruth(emu, window);
    const got = await collectWindow(clientFor(emu), window, 100, true);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.conversationId).sort());
    expect((await stats(emu)).faults.partialResult).toBeGreaterThan(0);
  });

  it('replaces isPartial records by the full record from get-by-id', async () => {
    await setFaults(emu, { partialRecordRate: 0.3 });
    const client = clientFor(emu);
    const page = await client.searchClosed(window, 0, 100);
    expect((await stats(emu)).faults.partialRecord).toBeGreaterThan(0);
    const truth = new Map((await groundTruth(emu, window)).map((t) => [t.conversationId, t]));
    for (const r of page.records as any[]) {
      expect(r.info.isPartial).toBe(false);
      const t = truth.get(r.info.conversationId);
      if (t) expect(r.messageRecords).toHaveLength(t.messageCount);
    }
  });

  it('throws a 429 with a long Retry-After at once, carrying the wait (no hot loop)', async () => {
    await setFaults(emu, { rate429: 1, retryAfterSeconds: 30 });
    const e = await clientFor(emu)
      .searchClosed(window, 0, 10)
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LivePersonThrottledError);
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 30_000, reason: 'rate-limited', status: 429, retryAfterFromServer: true });
    expect((await stats(emu)).byRoute['mi.search']).toBe(1);
  });

  it('retries a 5xx only a bounded number of times, then hands the back-off to the caller', async () => {
    await setFaults(emu, { rate5xx: 1, retryAfter5xxSeconds: null });
    const e = await clientFor(emu, { maxQuickRetries: 2 })
      .searchClosed(window, 0, 10)
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LivePersonThrottledError);
    expect(e).toMatchObject({ retryable: true, reason: 'server-error', retryAfterMs: 5000 });
    expect((await stats(emu)).byRoute['mi.search']).toBe(3);
  });

  it('gives up on a page that stays partial with a retryable error', async () => {
    await setFaults(emu, { partialResultRate: 1 });
    const e = await clientFor(emu, { partialResultRetries: 2 })
      .searchClosed(window, 0, 10)
      .catch((err: unknown) => err);
    expect(e).toMatchObject({ name: 'LivePersonThrottledError', reason: 'partial-result', retryable: true });
    expect((await stats(emu)).byRoute['mi.search']).toBe(3);
  });
});

describe('Emulator data through the normaliser', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 99, conversations: 400, days: 1, anchorTime: anchor, maxMessages: 40 });
  });
  afterAll(() => emu.close());

  it('normalises every generated conversation, with the agents and the consumer e-mail of the ground truth', async () => {
    const client = clientFor(emu);
    const users = usersById(await client.listUsers());
    const truth = new Map((await groundTruth(emu, window)).map((t) => [t.conversationId, t]));
    const sources = new Set<string>();
    for (let offset = 0; offset < truth.size; offset += 100) {
      const page = await client.searchClosed(window, offset, 100);
      for (const record of page.records) {
        const c = normalizeRecord(record, { accountId: emu.accountId, users, allowUnauthenticatedSdeRouting: false });
        const t = truth.get(c.conversationId)!;
        expect(c.version).toBe(String(t.endTime));
        expect(c.messages).toHaveLength(t.messageCount);
        const ids = new Set(c.participants.map((p) => p.id));
        for (const a of t.agentIds) expect(ids.has(a)).toBe(true);
        const consumer = c.participants.find((p) => p.id === t.consumerParticipantId)!;
        expect(consumer.email).toBe(t.consumerEmail);
        expect(consumer.emailSource).toBe(t.consumerEmailSource);
        expect(consumer.routable).toBe(t.consumerEmailSource !== undefined && t.consumerEmailSource !== 'unauthenticated-sde');
        for (const p of c.participants.filter((x) => x.kind === 'agent')) expect(p.emailSource).toBe('users-api');
        if (t.consumerEmailSource) sources.add(t.consumerEmailSource);
      }
    }
    expect([...sources].sort()).toEqual(['authenticated-sde', 'profile', 'unauthenticated-sde']);
  });
});
