import type { LivePersonEmulator } from '../../emulators/liveperson';
import { TEN_MINUTES_MS } from '../../src/model';
import { addConversation, clientFor, collectWindow, DAY, duplicates, groundTruth, MINUTE, startEmulator } from './support';

describe('LivePerson client: searching closed conversations by end time', () => {
  let emu: LivePersonEmulator;
  const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);

  beforeAll(async () => {
    emu = await startEmulator({ seed: 7, conversations: 2600, days: 2, anchorTime: anchor, maxMessages: 4 });
  });
  afterAll(() => emu.close());

  it('pages over 2,500+ conversations and returns each exactly once', async () => {
    const window = { from: anchor - 2 * DAY - MINUTE, to: anchor + MINUTE };
    const truth = await groundTruth(emu, window);
    expect(truth.length).toBeGreaterThanOrEqual(2500);
    const got = await collectWindow(clientFor(emu), window, 100);
    expect(duplicates(got.ids)).toEqual([]);
    expect(new Set(got.ids)).toEqual(new Set(truth.map((t) => t.conversationId)));
    expect(got.pages).toBe(Math.ceil(got.count / 100));
  });

  it('returns exactly the conversations ending inside a window that crosses a 10-minute boundary', async () => {
    // Unaligned on both sides: LivePerson rounds to 10 minutes, the client must not leak the rounding.
    const boundary = Math.floor((anchor - 5 * 60 * MINUTE) / TEN_MINUTES_MS) * TEN_MINUTES_MS;
    const window = { from: boundary - 7 * MINUTE - 1234, to: boundary + 3 * MINUTE + 4321 };
    const truth = await groundTruth(emu, window);
    expect(truth.length).toBeGreaterThan(0);
    const page = await clientFor(emu).searchClosed(window, 0, 100);
    // The covering query returns more than the window (rounding); the exact filter leaves the truth.
    expect(page.records.length).toBeGreaterThanOrEqual(truth.length);
    const got = await collectWindow(clientFor(emu), window);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.conversationId).sort());
  });

  it('splits the pages of adjacent windows so that a conversation on the boundary lands in exactly one', async () => {
    const t = Math.floor((anchor - DAY) / TEN_MINUTES_MS) * TEN_MINUTES_MS;
    const added = await addConversation(emu, { endTime: t, messageCount: 2 });
    const left = await collectWindow(clientFor(emu), { from: t - 10 * MINUTE, to: t });
    const right = await collectWindow(clientFor(emu), { from: t, to: t + 10 * MINUTE });
    expect(left.ids).not.toContain(added.conversationId);
    expect(right.ids).toContain(added.conversationId);
  });

  it('uses small pages too (limit 7) without losing or repeating anything', async () => {
    const window = { from: anchor - 6 * 60 * MINUTE, to: anchor - 3 * 60 * MINUTE };
    const truth = await groundTruth(emu, window);
    const got = await collectWindow(clientFor(emu), window, 7);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.conversationId).sort());
  });

  it('serves a limit above 100 with several LivePerson pages', async () => {
    const window = { from: anchor - 2 * DAY - MINUTE, to: anchor + MINUTE };
    const page = await clientFor(emu).searchClosed(window, 0, 250);
    expect(page.records).toHaveLength(250);
    expect(page.nextOffset).toBe(250);
  });
});

describe('LivePerson client: windows longer than LivePerson’s 3-month cap', () => {
  let emu: LivePersonEmulator;
  const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);

  beforeAll(async () => {
    // 400 conversations over 200 days, a fifth of them open for up to 60 days.
    emu = await startEmulator({
      seed: 11,
      conversations: 400,
      days: 200,
      anchorTime: anchor,
      maxMessages: 2,
      longConversationRate: 0.2,
      maxLongConversationDays: 60,
    });
  });
  afterAll(() => emu.close());

  it('splits the window into ≤3-month queries and returns exactly the conversations ending inside', async () => {
    const window = { from: anchor - 190 * DAY + 12345, to: anchor - 3 * DAY + 999 };
    const truth = await groundTruth(emu, window);
    expect(truth.length).toBeGreaterThan(300);
    expect(truth.some((t) => t.endTime - t.startTime > 30 * DAY)).toBe(true);
    const client = clientFor(emu, { now: () => anchor });
    const got = await collectWindow(client, window, 50);
    expect(duplicates(got.ids)).toEqual([]);
    expect(got.ids.sort()).toEqual(truth.map((t) => t.conversationId).sort());
  });

  it('finds a conversation that was open longer than 3 months when told to look back far enough', async () => {
    const end = anchor - 10 * DAY;
    const added = await addConversation(emu, { endTime: end, startTime: end - 150 * DAY, messageCount: 3 });
    const window = { from: end - MINUTE, to: end + MINUTE };
    const near = await collectWindow(clientFor(emu, { now: () => anchor }), window);
    expect(near.ids).not.toContain(added.conversationId); // default look-back: 85 days
    const far = await collectWindow(clientFor(emu, { now: () => anchor, maxConversationAgeMs: 200 * DAY }), window);
    expect(far.ids).toContain(added.conversationId);
  });
});
