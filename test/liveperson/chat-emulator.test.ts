/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- tests inspect raw LivePerson JSON loosely, as it arrives */
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { addChat, chatTruth, demoToken, ehSearch } from './chat-support';
import { DAY, jsonOf, MINUTE, startEmulator } from './support';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);
const day = { from: anchor - DAY, to: anchor };

describe('LivePerson emulator: Engagement History contract', () => {
  let emu: LivePersonEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startLivePersonEmulatorForChats();
    token = await demoToken(emu);
  });
  afterAll(() => emu.close());

  function startLivePersonEmulatorForChats(): Promise<LivePersonEmulator> {
    return startEmulator({ seed: 31, conversations: 0, chats: 250, days: 1, anchorTime: anchor, chatMaxLines: 12 });
  }

  it('serves no chats unless asked, so messaging-only runs are unchanged', async () => {
    const plain = await startEmulator({ seed: 31, conversations: 5, days: 1, anchorTime: anchor });
    try {
      expect(await chatTruth(plain, day)).toEqual([]);
      const res = await ehSearch(plain, await demoToken(plain), { start: day });
      expect((await jsonOf(res))._metadata.count).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('names the Engagement History host in CSDS as engHistDomain', async () => {
    const one = await jsonOf(fetch(`${emu.url}/api/account/${emu.accountId}/service/engHistDomain/baseURI.json?version=1.0`));
    expect(one).toEqual({ service: 'engHistDomain', account: emu.accountId, baseURI: `127.0.0.1:${emu.port}` });
  });

  it('refuses a search without start, with a start range over one month, or with limit over 100', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{}, 'offset=0&limit=10&source=t', /Invalid search body: start/],
      [{ start: { from: anchor - 32 * DAY, to: anchor } }, 'offset=0&limit=10&source=t', /longer than one month/],
      [{ start: day }, 'offset=0&limit=101&source=t', /limit must be an integer in 1\.\.100/],
      [{ start: day, interactive: false }, 'offset=0&limit=10&source=t', /Only interactive=true is supported/],
      [{ start: day }, 'offset=0&limit=10', /source query parameter is required/],
      [{ start: day }, 'offset=0&limit=10&source=t&sort=colour:asc', /sort keys are/],
    ];
    for (const [body, query, message] of cases) {
      const res = await ehSearch(emu, token, body, query);
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).message).toMatch(message);
    }
    // Exactly one calendar month (after rounding) is still accepted.
    const ok = await ehSearch(emu, token, { start: { from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 2, 1) } });
    expect(ok.status).toBe(200);
  });

  it('rounds the start range to 10 minutes: from down, to up', async () => {
    const start = Date.UTC(2026, 10, 19, 10, 5, 0);
    const added = await addChat(emu, { endTime: start + 20 * MINUTE, startTime: start, ingestionDelayMs: 0 });
    const find = async (from: number, to: number): Promise<string[]> =>
      ((await jsonOf(ehSearch(emu, token, { start: { from, to } }, 'offset=0&limit=100&source=t'))).interactionHistoryRecords as any[]).map(
        (r) => r.info.engagementId,
      );
    expect(await find(Date.UTC(2026, 10, 19, 10, 9, 59), Date.UTC(2026, 10, 19, 10, 30))).toContain(added.engagementId); // from 10:09:59 → 10:00
    expect(await find(Date.UTC(2026, 10, 19, 9, 50), Date.UTC(2026, 10, 19, 10, 0, 1))).toContain(added.engagementId); // to 10:00:01 → 10:10
    expect(await find(Date.UTC(2026, 10, 19, 10, 10), Date.UTC(2026, 10, 19, 10, 30))).not.toContain(added.engagementId);
  });

  it('pages by offset and limit with _metadata count, next, prev and last, and stops giving next on the last page', async () => {
    const first = await jsonOf(ehSearch(emu, token, { start: day }, 'offset=0&limit=100&source=t&sort=start:asc'));
    const count = first._metadata.count as number;
    expect(count).toBeGreaterThan(200);
    expect(first.interactionHistoryRecords).toHaveLength(100);
    expect(first._metadata.next.href).toContain('offset=100');
    expect(first._metadata.last.href).toContain(`offset=${Math.floor((count - 1) / 100) * 100}`);
    expect(first._metadata.shardsStatusResult.partialResult).toBe(false);
    const lastOffset = Math.floor((count - 1) / 100) * 100;
    const last = await jsonOf(ehSearch(emu, token, { start: day }, `offset=${lastOffset}&limit=100&source=t&sort=start:asc`));
    expect(last._metadata.next).toBeUndefined();
    expect(last._metadata.prev.href).toContain(`offset=${lastOffset - 100}`);
    expect(last.interactionHistoryRecords).toHaveLength(count - lastOffset);
  });

  it('sorts by end descending when asked', async () => {
    const res = await jsonOf(ehSearch(emu, token, { start: day }, 'offset=0&limit=100&source=t&sort=end:desc'));
    const ends = (res.interactionHistoryRecords as any[]).map((r) => r.info.endTimeL as number);
    expect(ends).toEqual([...ends].sort((a, b) => b - a));
  });

  it('finds a chat by engagementId whatever the start range, as LivePerson does', async () => {
    const [some] = await chatTruth(emu, { from: anchor - 20 * 60 * MINUTE, to: anchor - 19 * 60 * MINUTE });
    expect(some).toBeDefined();
    const far = { from: anchor + 10 * DAY, to: anchor + 11 * DAY };
    const res = await jsonOf(ehSearch(emu, token, { start: far, engagementId: some!.engagementId }));
    expect(res._metadata.count).toBe(1);
    expect(res.interactionHistoryRecords[0].info.engagementId).toBe(some!.engagementId);
  });

  it('makes a chat searchable only after its ingestion delay', async () => {
    const end = Date.now() - 10 * MINUTE;
    const added = await addChat(emu, { endTime: end, ingestionDelayMs: 2 * 60 * MINUTE });
    expect(added.visibleAt).toBe(end + 2 * 60 * MINUTE);
    const res = await jsonOf(ehSearch(emu, token, { start: { from: end - 3 * 60 * MINUTE, to: end } }, 'offset=0&limit=100&source=t'));
    expect((res.interactionHistoryRecords as any[]).map((r) => r.info.engagementId)).not.toContain(added.engagementId);
    expect((await chatTruth(emu, { from: end - 1, to: end + 1 })).map((t) => t.engagementId)).toContain(added.engagementId); // the truth knows it
  });

  it('draws most ingestion delays within 5 minutes and every one within 2 hours', async () => {
    const truth = await chatTruth(emu, day);
    const delays = truth.map((t) => t.visibleAt - t.endTime);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 * 60 * MINUTE);
    expect(delays.filter((d) => d <= 5 * MINUTE).length / delays.length).toBeGreaterThan(0.95);
  });

  it('renders chats with every kind of line, survey and visitor info, deterministically from the seed', async () => {
    const truth = await chatTruth(emu, day);
    const records = await Promise.all(truth.map(async (t) => jsonOf(fetch(`${emu.url}/_emulator/chats/${t.engagementId}/record`))));
    const lines = records.flatMap((r) => r.transcript.lines as any[]);
    for (const source of ['visitor', 'agent', 'system']) expect(lines.some((l) => l.source === source)).toBe(true);
    for (const textType of ['plain', 'html', 'url', 'rich-content']) expect(lines.some((l) => l.textType === textType)).toBe(true);
    expect(lines.some((l) => l.subType === 'ONLY_TO_REP')).toBe(true);
    expect(lines.some((l) => l.textType === 'rich-content' && typeof l.json === 'object')).toBe(true);
    expect(lines.some((l) => /transferred from/.test(l.text ?? ''))).toBe(true);
    expect(records.some((r) => new Set((r.transcript.lines as any[]).map((l) => l.agentId).filter((a) => a !== 0)).size > 1)).toBe(true);
    for (const kind of ['preChat', 'postChat', 'operator']) expect(records.some((r) => r.surveys[kind].length > 0)).toBe(true);
    expect(records.some((r) => r.surveys.preChat.some((q: any) => q.displayName === 'Email'))).toBe(true);
    expect(records.every((r) => typeof r.visitorInfo.browser === 'string' && r.info.ended === true)).toBe(true);
    expect(records.every((r) => r.info.engagementId.startsWith(emu.accountId))).toBe(true);

    const twin = await startLivePersonEmulatorForChats();
    try {
      const again = await chatTruth(twin, day);
      expect(again).toEqual(truth); // the chats added by other tests end outside this day
      const a = await jsonOf(fetch(`${twin.url}/_emulator/chats/${truth[0]!.engagementId}/record`));
      expect(a).toEqual(records[0]);
    } finally {
      await twin.close();
    }
  });

  it('refuses a token without data.services.enghist with 403 insufficient_scope', async () => {
    const narrow = await startEmulator({ seed: 31, conversations: 0, chats: 3, days: 1, anchorTime: anchor, clientScopes: ['msg.hist'] });
    try {
      const res = await ehSearch(narrow, await demoToken(narrow), { start: day });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="data.services.enghist"');
      expect((await jsonOf(res)).message).toBe('Forbidden: the access token lacks the scope data.services.enghist');
    } finally {
      await narrow.close();
    }
  });
});
