/* eslint-disable @typescript-eslint/no-explicit-any -- tests inspect raw LivePerson JSON loosely, as it arrives */
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { ENGAGEMENT_HISTORY_SCOPE } from '../../src/liveperson/chat';
import { LivePersonAuthError, LivePersonScopeError, LivePersonThrottledError } from '../../src/liveperson/errors';
import { TEN_MINUTES_MS } from '../../src/model';
import { addChat, chatClientFor, chatTruth, collectChats } from './chat-support';
import { clientFor, DAY, duplicates, jsonOf, MINUTE, setFaults, startEmulator, stats } from './support';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('Engagement History client: paging the chats that ended in a window', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 21, conversations: 0, chats: 1300, days: 2, anchorTime: anchor, chatMaxLines: 3 });
  });
  afterAll(() => emu.close());

  it('pages across more than 1,000 chats and returns each exactly once', async () => {
    const window = { from: anchor - 2 * DAY - MINUTE, to: anchor + MINUTE };
    const truth = await chatTruth(emu, window);
    expect(truth.length).toBeGreaterThan(1000);
    const got = await collectChats(chatClientFor(emu), window, 100);
    expect(duplicates(got.ids)).toEqual([]);
    expect(new Set(got.ids)).toEqual(new Set(truth.map((t) => t.engagementId)));
    expect(got.pages).toBe(Math.ceil(got.count / 100));
  });

  it('returns exactly the chats ending inside a window that is not aligned to 10 minutes', async () => {
    const boundary = Math.floor((anchor - 7 * 60 * MINUTE) / TEN_MINUTES_MS) * TEN_MINUTES_MS;
    const window = { from: boundary - 7 * MINUTE - 1234, to: boundary + 33 * MINUTE + 4321 };
    const truth = await chatTruth(emu, window);
    expect(truth.length).toBeGreaterThan(5);
    const got = await collectChats(chatClientFor(emu), window);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.engagementId).sort());
  });

  it('gives a chat that ends on the boundary of two windows to the later one only', async () => {
    const t = Math.floor((anchor - DAY) / TEN_MINUTES_MS) * TEN_MINUTES_MS;
    const added = await addChat(emu, { endTime: t, lineCount: 2, ingestionDelayMs: 0 });
    const left = await collectChats(chatClientFor(emu), { from: t - 10 * MINUTE, to: t });
    const right = await collectChats(chatClientFor(emu), { from: t, to: t + 10 * MINUTE });
    expect(left.ids).not.toContain(added.engagementId);
    expect(right.ids.filter((id) => id === added.engagementId)).toHaveLength(1);
  });

  it('reads a short window’s own chats, not the day of older chats its start range holds', async () => {
    const window = { from: anchor - 5 * 60 * MINUTE, to: anchor - 5 * 60 * MINUTE + 10 * MINUTE };
    const inRange = await chatTruth(emu, { from: window.from - DAY, to: window.to });
    expect(inRange.length).toBeGreaterThan(500); // what the start range [from − 1 day, to] covers
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
    const page = await chatClientFor(emu).searchClosed(window, 0, 100);
    const truth = await chatTruth(emu, window);
    // Only the chats that ended in the window, plus those still running at its end (chats last ≤ 1.5 h here).
    expect(page.count).toBeGreaterThanOrEqual(truth.length);
    expect(page.count).toBeLessThan(truth.length + 60);
    expect((await stats(emu)).byRoute['eh.search']).toBeLessThanOrEqual(2);
  });

  it('reads the whole start range, and loses nothing, when LivePerson does not sort by end time as asked', async () => {
    await setFaults(emu, { ehIgnoreSort: true });
    try {
      const window = { from: anchor - 5 * 60 * MINUTE, to: anchor - 5 * 60 * MINUTE + 10 * MINUTE };
      const truth = await chatTruth(emu, window);
      const got = await collectChats(chatClientFor(emu), window, 100);
      expect(got.ids.sort()).toEqual(truth.map((t) => t.engagementId).sort());
      expect(got.count).toBeGreaterThan(500); // no cut: every chat that started in [from − 1 day, to]
    } finally {
      await setFaults(emu, { ehIgnoreSort: false });
    }
  });

  it('uses small pages too (limit 7) without losing or repeating a chat', async () => {
    const window = { from: anchor - 9 * 60 * MINUTE, to: anchor - 6 * 60 * MINUTE };
    const truth = await chatTruth(emu, window);
    const got = await collectChats(chatClientFor(emu), window, 7);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.engagementId).sort());
  });
});

describe('Engagement History client: the 1-month cap', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, conversations: 0, chats: 500, chatDays: 70, anchorTime: anchor, chatMaxLines: 2 });
  });
  afterAll(() => emu.close());

  it('splits a 65-day window into start ranges LivePerson accepts and returns every chat once', async () => {
    const window = { from: anchor - 66 * DAY + 12_345, to: anchor - DAY + 999 };
    const truth = await chatTruth(emu, window);
    expect(truth.length).toBeGreaterThan(400);
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
    const got = await collectChats(chatClientFor(emu, { now: () => anchor }), window, 100);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.engagementId).sort());
    expect((await stats(emu)).byStatus['400']).toBeUndefined(); // no start range broke the cap
  });
});

describe('Engagement History client: chats that become searchable late', () => {
  let emu: LivePersonEmulator;
  let clock = anchor;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 8, conversations: 0, chats: 60, days: 1, anchorTime: anchor - 3 * 60 * MINUTE, clock: () => clock });
  });
  afterAll(() => emu.close());

  it('finds a chat that became searchable 90 minutes after it ended in a later search of its window, once', async () => {
    const end = anchor - 30 * MINUTE;
    const late = await addChat(emu, { endTime: end, lineCount: 3, ingestionDelayMs: 90 * MINUTE });
    const window = { from: end - 5 * MINUTE, to: end + 5 * MINUTE };
    const client = chatClientFor(emu, { now: () => clock });
    const first = await collectChats(client, window);
    expect(first.ids).not.toContain(late.engagementId); // not ingested yet: the live window misses it
    clock = end + 90 * MINUTE + 1;
    const again = await collectChats(client, window);
    expect(again.ids.filter((id) => id === late.engagementId)).toHaveLength(1);
    // A sweep reaching 2 hours back covers it too, exactly once.
    const sweep = await collectChats(client, { from: clock - 2 * 60 * MINUTE, to: clock - MINUTE });
    expect(sweep.ids.filter((id) => id === late.engagementId)).toHaveLength(1);
  });
});

describe('Engagement History client: credentials', () => {
  let emu: LivePersonEmulator;
  const window = { from: anchor - DAY, to: anchor };
  beforeAll(async () => {
    emu = await startEmulator({
      seed: 9,
      conversations: 30,
      chats: 30,
      days: 1,
      anchorTime: anchor,
      clientScopes: ['msg.hist', 'users.read'],
      oauth1: { consumerKey: 'ck', consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' },
    });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
  });

  it('gives a credential without the Engagement History scope one clear, non-retryable error naming the scope and the fix', async () => {
    const e = await rejection(chatClientFor(emu).searchClosed(window, 0, 50));
    expect(e).toBeInstanceOf(LivePersonScopeError);
    expect(e).toBeInstanceOf(LivePersonAuthError); // so the connector shows needs-credentials, like any credential problem
    const err = e as LivePersonScopeError;
    expect(err.retryable).toBe(false);
    expect(err.scope).toBe(ENGAGEMENT_HISTORY_SCOPE);
    expect(err.service).toBe('engHistDomain');
    expect(err.message).toBe(
      `LivePerson Engagement History (legacy chat) refused a chat search for account ${emu.accountId} (HTTP 403: Forbidden: the access token lacks the scope data.services.enghist): the credentials lack the scope data.services.enghist. To archive chats, add the scope data.services.enghist to the OAuth app installation whose credentials are in LP_CLIENT_ID / LP_CLIENT_SECRET (its JSON schema's "scope"), then reinstall it; or drop 'chat' from liveperson.sources if this account has no legacy chat`,
    );
    expect((await stats(emu)).byRoute['eh.search']).toBe(1); // asked once: no retry storm
  });

  it('still reads messaging with the same credential', async () => {
    const page = await clientFor(emu).searchClosed(window, 0, 50);
    expect(page.count).toBeGreaterThan(0);
  });

  it('accepts an OAuth 1.0 API key, as Engagement History does', async () => {
    const client = chatClientFor(emu, {
      auth: { kind: 'oauth1', consumerKey: 'ck', consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' },
    });
    const got = await collectChats(client, window);
    expect(got.ids.sort()).toEqual((await chatTruth(emu, window)).map((t) => t.engagementId).sort());
  });
});

describe('Engagement History client: incomplete answers', () => {
  let emu: LivePersonEmulator;
  const window = { from: anchor - DAY, to: anchor };
  beforeAll(async () => {
    emu = await startEmulator({ seed: 12, conversations: 0, chats: 400, days: 1, anchorTime: anchor, chatMaxLines: 4, chatPartialRate: 0 });
  });
  afterAll(() => emu.close());
  afterEach(() => setFaults(emu, { partialResultRate: 0, partialRecordRate: 0, rate429: 0, rate5xx: 0 }));

  it('never takes a partialResult page as complete: it asks again, then fails retryably', async () => {
    await setFaults(emu, { partialResultRate: 1 });
    const e = await rejection(chatClientFor(emu, { partialResultRetries: 2 }).searchClosed(window, 0, 100));
    expect(e).toBeInstanceOf(LivePersonThrottledError);
    expect((e as LivePersonThrottledError).reason).toBe('partial-result');
    expect((e as LivePersonThrottledError).retryable).toBe(true);
  });

  it('returns every chat once through partial pages, 429s and 5xx, with the activity’s retries', async () => {
    await setFaults(emu, { partialResultRate: 0.3, rate429: 0.1, rate5xx: 0.1, retryAfterSeconds: 0 });
    const got = await collectChats(chatClientFor(emu), window, 100, true);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual((await chatTruth(emu, window)).map((t) => t.engagementId).sort());
  });

  it('replaces an isPartial record by the whole chat fetched by its engagement id', async () => {
    await setFaults(emu, { partialRecordRate: 1 });
    const w = { from: anchor - 4 * 60 * MINUTE, to: anchor - 3 * 60 * MINUTE };
    const got = await collectChats(chatClientFor(emu), w);
    expect(got.records.length).toBeGreaterThan(0);
    for (const r of got.records as any[]) {
      expect(r.info.isPartial).toBe(false);
      const full = await jsonOf(fetch(`${emu.url}/_emulator/chats/${r.info.engagementId}/record`));
      expect(r.transcript.lines).toHaveLength(full.transcript.lines.length);
    }
  });

  it('keeps a chat LivePerson never completed as partial, for the item to say so', async () => {
    const end = anchor - 2 * 60 * MINUTE - 17_000;
    const added = await addChat(emu, { endTime: end, lineCount: 6, partial: true, ingestionDelayMs: 0 });
    const got = await collectChats(chatClientFor(emu), { from: end - MINUTE, to: end + MINUTE });
    const rec = (got.records as any[]).find((r) => r.info.engagementId === added.engagementId);
    expect(rec.info.isPartial).toBe(true);
  });
});
