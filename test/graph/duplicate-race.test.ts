import type { GraphEmulator } from '../../emulators/graph/server';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import { keeperOf, settleDuplicates, type RaceDirectory } from '../../src/graph/duplicate-race';
import { clientFor, mailboxUser, sampleMessage, startEmulator } from './helpers';

/**
 * Graph has no conditional create. Two attempts of one import — the first cut off from Temporal but still
 * reaching Graph, the second started on another worker after the heartbeat timeout — can both create the same
 * item. Each attempt settles after its create: the key looked up again, one item kept by a rule both apply
 * alike, the other deleted.
 */
describe('the duplicate race between two attempts of one import', () => {
  let emu: GraphEmulator;

  beforeAll(async () => {
    // Every mailbox request takes 150 ms: two creates started together are both in flight before either lands.
    emu = await startEmulator({ latencyMs: 150 });
  });
  afterAll(async () => emu?.close());

  it('keeps the oldest item, ties broken by id, whatever order the racers see them in', () => {
    const a = { id: 'AAMk-b', createdDateTime: '2026-12-03T10:00:00Z' };
    const b = { id: 'AAMk-a', createdDateTime: '2026-12-03T10:00:01Z' };
    const c = { id: 'AAMk-c', createdDateTime: '2026-12-03T10:00:00Z' };
    expect(keeperOf([b, a])).toBe(a);
    expect(keeperOf([a, b])).toBe(a);
    expect(keeperOf([c, a, b])).toBe(a); // same second: the smaller id
    expect(keeperOf([])).toBeUndefined();
  });

  it('tolerates the other racer deleting the same duplicate first', async () => {
    const deleted: string[] = [];
    const items = [
      { id: 'x-2', createdDateTime: '2026-12-03T10:00:01Z' },
      { id: 'x-1', createdDateTime: '2026-12-03T10:00:00Z' },
    ];
    const dir: RaceDirectory = {
      listByImportKey: () => Promise.resolve(items),
      deleteMessage: (_u, id) => {
        deleted.push(id);
        return Promise.resolve();
      },
    };
    expect(await settleDuplicates(dir, 'u', 'f', 'k', 'x-2')).toEqual({ kept: 'x-1', removed: ['x-2'] });
    expect(await settleDuplicates(dir, 'u', 'f', 'k', 'x-1')).toEqual({ kept: 'x-1', removed: ['x-2'] });
    expect(deleted).toEqual(['x-2', 'x-2']);
  });

  async function race(
    key: string,
    settle: boolean,
  ): Promise<{ results: { messageId: string; removedDuplicates?: number }[]; items: number }> {
    const user = mailboxUser(emu, 2);
    // Two workers: two clients, each with its own limiter and token, as two processes would have.
    const [w1, w2] = [clientFor(emu, { settleAfterCreate: settle }), clientFor(emu, { settleAfterCreate: settle })];
    const folder = await w1.ensureImportFolder(user.id, `Race ${key}`);
    await w2.ensureImportFolder(user.id, `Race ${key}`);
    const msg = sampleMessage(key);
    const results = await Promise.all([w1.createSettled(user.id, folder, msg), w2.createSettled(user.id, folder, msg)]);
    const items = (await mailboxItems(emu.url, `Race ${key}`)).filter((i) => i.importKey === msg.importKey).length;
    return { results, items };
  }

  it('ends with exactly one item when both attempts create at once, and says that a duplicate was deleted', async () => {
    const { results, items } = await race('race-1', true);
    expect(items).toBe(1);
    expect(results[0]!.messageId).toBe(results[1]!.messageId); // both report the item that stays
    expect(results.reduce((n, r) => n + (r.removedDuplicates ?? 0), 0)).toBeGreaterThanOrEqual(1);
  });

  it('without settling, the same race leaves two items (the race is real)', async () => {
    const { items } = await race('race-2', false);
    expect(items).toBe(2);
  });
});
