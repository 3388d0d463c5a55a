/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- tests inspect raw LivePerson JSON loosely, as it arrives */
import { createHash } from 'node:crypto';
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { fileSize } from '../../emulators/liveperson/data/files';
import { LivePersonRequestError } from '../../src/liveperson/errors';
import { addConversation, clientFor, DAY, groundTruth, jsonOf, MINUTE, startEmulator } from './support';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('LivePerson emulator: the MI contract', () => {
  let emu: LivePersonEmulator;
  let token: string;
  const search = (query: string, body: unknown, auth = `Bearer ${token}`) =>
    fetch(`${emu.url}/messaging_history/api/account/${emu.accountId}/conversations/search?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const start = { from: anchor - 30 * DAY, to: anchor };

  beforeAll(async () => {
    emu = await startEmulator({ seed: 4, conversations: 200, days: 1, anchorTime: anchor, maxMessages: 3 });
    const res = await fetch(`${emu.url}/sentinel/api/v2/account/${emu.accountId}/app/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=lp-demo-client&client_secret=lp-demo-secret&grant_type=client_credentials',
    });
    const json = await jsonOf(res);
    expect(json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    token = json.access_token;
  });
  afterAll(() => emu.close());

  it.each([
    ['no source', 'limit=10', { start }, /source query parameter is required/],
    ['limit above 100', 'source=t&limit=101', { start }, /limit must be an integer in 1\.\.100/],
    ['no start range', 'source=t', { end: start }, /start/],
    ['a start range over 3 months', 'source=t', { start: { from: anchor - 100 * DAY, to: anchor } }, /longer than 3 months/],
    [
      'an end range over 3 months',
      'source=t',
      { start, end: { from: anchor - 100 * DAY, to: anchor } },
      /end range is longer than 3 months/,
    ],
    ['a bad sort', 'source=t&sort=duration:asc', { start }, /sort must be/],
    ['malformed JSON', 'source=t', '{"start":', /Malformed request body/],
  ])('answers 400 with a JSON reason for %s', async (_name, query, body, reason) => {
    const res = await search(query, body);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(reason);
  });

  it('answers 401 without a valid bearer token', async () => {
    expect((await search('source=t', { start }, '')).status).toBe(401);
    expect((await search('source=t', { start }, 'Bearer abc.def.ghi')).status).toBe(401);
  });

  it('rounds ranges to 10 minutes (from down, to up) with inclusive bounds', async () => {
    const all = await groundTruth(emu, { from: anchor - DAY, to: anchor + 1 });
    const t = all[50]!;
    const roundedFrom = Math.floor(t.endTime / 600_000) * 600_000;
    const res = await search('source=t&sort=end:asc&limit=100', {
      start,
      end: { from: t.endTime - 1, to: t.endTime - 1 },
      status: ['CLOSE'],
    });
    const body = await jsonOf(res);
    const ends = body.conversationHistoryRecords.map((r: any) => r.info.endTimeL as number);
    expect(ends).toContain(t.endTime);
    expect(Math.min(...ends)).toBeGreaterThanOrEqual(roundedFrom);
    expect(Math.max(...ends)).toBeLessThanOrEqual(roundedFrom + 600_000);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    expect(body._metadata.count).toBe(ends.length);
    expect(body._metadata.self.href).toContain('offset=0');
  });

  it('emits plural section names, literal "undefined" strings and unAuthSdes only with v=2', async () => {
    const v1 = await jsonOf(
      search('source=t&limit=100', { start, contentToRetrieve: ['consumerParticipants', 'unAuthSdes', 'messageScores'] }),
    );
    const rec = v1.conversationHistoryRecords[0];
    expect(rec.consumerParticipants).toBeDefined();
    expect(rec.consumerParticipant).toBeUndefined();
    expect(rec.messageScores).toBeDefined();
    expect(rec.unAuthSdes).toBeUndefined();
    expect(rec.messageRecords).toBeUndefined(); // not asked for
    expect(v1.conversationHistoryRecords.some((r: any) => r.consumerParticipants[0].email === 'undefined')).toBe(true);
    const v2 = await jsonOf(search('source=t&limit=100&v=2', { start, contentToRetrieve: ['unAuthSdes'] }));
    expect(v2.conversationHistoryRecords[0].unAuthSdes).toBeDefined();
  });

  it('hides a closed conversation until the ingestion lag has passed', async () => {
    const lagged = await startEmulator({ conversations: 0, ingestionLagMs: 400 });
    try {
      const now = Date.now();
      await addConversation(lagged, { endTime: now - 10 });
      const client = clientFor(lagged);
      const w = { from: now - MINUTE, to: now + MINUTE };
      expect((await client.searchClosed(w, 0, 10)).count).toBe(0);
      await new Promise((r) => setTimeout(r, 450));
      expect((await client.searchClosed(w, 0, 10)).count).toBe(1);
    } finally {
      await lagged.close();
    }
  });

  it('keeps closing conversations in live mode', async () => {
    const live = await startEmulator({ conversations: 0, livePerMinute: 600 }); // one every 100 ms
    try {
      await new Promise((r) => setTimeout(r, 550));
      const truth = await groundTruth(live, { from: 0, to: Date.now() + DAY });
      expect(truth.length).toBeGreaterThanOrEqual(4);
      expect(truth.length).toBeLessThanOrEqual(7);
    } finally {
      await live.close();
    }
  });

  it('finds a consumer’s closed conversations by participantId, newest start first, paged by offset', async () => {
    const consumer = 'returning-consumer-1';
    const added = [];
    // Days before the generated ones, so the other tests' ground truth stays as generated.
    const base = anchor - 5 * DAY;
    for (const k of [3, 1, 2])
      added.push(
        await addConversation(emu, {
          endTime: base - k * 60 * MINUTE,
          startTime: base - k * 60 * MINUTE - 5 * MINUTE,
          consumerParticipantId: consumer,
          messageCount: 2,
        }),
      );
    const client = clientFor(emu);
    const first = await client.searchByConsumer(consumer, 0, 2);
    const second = await client.searchByConsumer(consumer, 2, 2);
    expect(first.count).toBe(3);
    expect(first.records).toHaveLength(2);
    expect(second.records).toHaveLength(1);
    const got = [...first.records, ...second.records] as any[];
    expect(got.map((r) => r.info.conversationId)).toEqual(
      [...added].sort((a, b) => b.startTime - a.startTime).map((t) => t.conversationId),
    );
    for (const r of got) {
      expect(r.consumerParticipants[0].participantId).toBe(consumer);
      expect(r.info.status).toBe('CLOSE');
      expect(r.messageRecords).toHaveLength(2);
    }
    // A generated conversation is found by its own consumer; an unknown consumer has none.
    const t = (await groundTruth(emu, { from: anchor - DAY, to: anchor + 1 }))[10]!;
    const own = await client.searchByConsumer(t.consumerParticipantId, 0, 10);
    expect((own.records as any[]).map((r) => r.info.conversationId)).toContain(t.conversationId);
    expect(await client.searchByConsumer('nobody-at-all', 0, 10)).toEqual({ records: [], count: 0 });
  });

  it('answers 400 to a by-consumer search without a consumer or a status', async () => {
    const bySearch = (body: unknown) =>
      fetch(`${emu.url}/messaging_history/api/account/${emu.accountId}/conversations/consumer/search?source=t&v=2`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    for (const body of [{ status: ['CLOSE'] }, { consumer: 'x' }]) {
      const res = await bySearch(body);
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).message).toMatch(/Body needs consumer and status/);
    }
  });

  it('answers both CSDS lookup forms, and issues tokens on the v1 and v2 Sentinel paths', async () => {
    const all = await jsonOf(fetch(`${emu.url}/api/account/${emu.accountId}/service/baseURI.json?version=1.0`));
    expect(all.baseURIs.map((b: any) => b.service)).toEqual(
      expect.arrayContaining(['msgHist', 'sentinel', 'accountConfigReadOnly', 'swift', 'fms', 'agentVep']),
    );
    const one = await jsonOf(fetch(`${emu.url}/api/account/${emu.accountId}/service/msgHist/baseURI.json?version=1.0`));
    expect(one).toEqual({ service: 'msgHist', account: emu.accountId, baseURI: `127.0.0.1:${emu.port}` });
    expect((await fetch(`${emu.url}/api/account/${emu.accountId}/service/msgHist/baseURI.json`)).status).toBe(400); // version=1.0 required
    expect((await fetch(`${emu.url}/api/account/${emu.accountId}/service/msghist/baseURI.json?version=1.0`)).status).toBe(404); // names are case-sensitive
    const form = 'client_id=lp-demo-client&client_secret=lp-demo-secret&grant_type=client_credentials';
    const tokenAt = (pathAndQuery: string, body: string) =>
      fetch(`${emu.url}/sentinel/api/${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    for (const res of [
      await tokenAt(`v2/account/${emu.accountId}/app/token`, form),
      await tokenAt(`account/${emu.accountId}/app/token?v=1.0`, form),
      await tokenAt(`account/${emu.accountId}/app/token?v=1.0&${form}`, ''), // v1 samples put the credentials in the query
    ]) {
      expect(res.status).toBe(200);
      expect(await jsonOf(res)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    }
    expect((await tokenAt(`account/${emu.accountId}/app/token`, form)).status).toBe(400); // v=1.0 required
  });

  it('moves a re-opened and re-closed conversation to its new end time, with its new messages (a new version)', async () => {
    const t1 = anchor - 6 * DAY;
    const first = await addConversation(emu, { endTime: t1, messageCount: 3 });
    const client = clientFor(emu);
    const w1 = { from: t1 - MINUTE, to: t1 + MINUTE };
    const before = (await client.searchClosed(w1, 0, 100)).records as any[];
    expect(before.find((r) => r.info.conversationId === first.conversationId)?.messageRecords).toHaveLength(3);
    const t2 = t1 + 30 * MINUTE;
    const res = await fetch(`${emu.url}/_emulator/conversations/${first.conversationId}/reopen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endTime: t2, addMessages: 2 }),
    });
    expect(await jsonOf(res)).toMatchObject({ conversationId: first.conversationId, endTime: t2, messageCount: 5, previousEndTimes: [t1] });
    expect(((await client.searchClosed(w1, 0, 100)).records as any[]).map((r) => r.info.conversationId)).not.toContain(
      first.conversationId,
    );
    const after = ((await client.searchClosed({ from: t2 - MINUTE, to: t2 + MINUTE }, 0, 100)).records as any[]).find(
      (r) => r.info.conversationId === first.conversationId,
    );
    expect(after.info.endTimeL).toBe(t2);
    expect(after.messageRecords).toHaveLength(5);
    const early = await fetch(`${emu.url}/_emulator/conversations/${first.conversationId}/reopen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endTime: t1 }),
    });
    expect(early.status).toBe(400);
  });

  it('re-opens some live conversations and closes them again later', async () => {
    const live = await startEmulator({ conversations: 0, livePerMinute: 1200, reopenRate: 0.5, reopenAfterMs: 200 }); // one every 50 ms
    try {
      await new Promise((r) => setTimeout(r, 700));
      const truth = await groundTruth(live, { from: 0, to: Date.now() + DAY });
      const reopened = truth.filter((t) => t.previousEndTimes !== undefined);
      expect(reopened.length).toBeGreaterThan(0);
      expect(reopened.length).toBeLessThan(truth.length);
      for (const t of reopened) expect(t.endTime).toBeGreaterThan(t.previousEndTimes!.at(-1)!);
      expect(new Set(truth.map((t) => t.conversationId)).size).toBe(truth.length); // one record per conversation
    } finally {
      await live.close();
    }
  });

  it('is deterministic for a seed', async () => {
    const again = await startEmulator({ seed: 4, conversations: 200, days: 1, anchorTime: anchor, maxMessages: 3 });
    try {
      const w = { from: anchor - DAY, to: anchor + 1 };
      expect(await groundTruth(again, w)).toEqual(await groundTruth(emu, w));
      const id = (await groundTruth(emu, w))[7]!.conversationId;
      const a = await (await fetch(`${emu.url}/_emulator/conversations/${id}/record`)).json();
      const b = await (await fetch(`${again.url}/_emulator/conversations/${id}/record`)).json();
      expect(a).toEqual(b);
    } finally {
      await again.close();
    }
  });
});

describe('LivePerson emulator + client: hosted files', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    // URLs expire at a whole second 2 s after they are signed (so 1–2 s after): long enough for three downloads of a small file.
    emu = await startEmulator({ seed: 8, conversations: 150, days: 1, anchorTime: anchor, maxMessages: 40, fileUrlLifetimeSeconds: 2 });
  });
  afterAll(() => emu.close());

  it('downloads deterministic bytes through signed URLs, and refuses expired ones', async () => {
    const client = clientFor(emu);
    const page = await client.searchClosed({ from: anchor - DAY - MINUTE, to: anchor + MINUTE }, 0, 100);
    const smallFile = (m: any): boolean => m.type === 'HOSTED_FILE' && fileSize(m.messageData.file.relativePath) < 250 * 1024;
    const withFile = (page.records as any[]).find((r) => r.messageRecords.some(smallFile));
    expect(withFile).toBeDefined();
    const path: string = withFile.messageRecords.find(smallFile).messageData.file.relativePath;
    const urls = await client.conversationFileUrls(withFile.info.conversationId);
    const url = urls.get(path)!;
    expect(url).toContain('temp_url_sig=');
    const bytes = await client.downloadFile(url);
    expect(bytes.length).toBe(fileSize(path));
    expect(bytes.length).toBeGreaterThanOrEqual(1024);
    const again = await client.downloadFile(url);
    expect(createHash('sha256').update(again).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    await expect(client.downloadFile(url, 100)).rejects.toThrow(/above the 100-byte limit/);
    await new Promise((r) => setTimeout(r, 3100));
    await expect(client.downloadFile(url)).rejects.toBeInstanceOf(LivePersonRequestError);
  });
});
