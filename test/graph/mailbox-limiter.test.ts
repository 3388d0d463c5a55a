import { setTimeout as sleep } from 'node:timers/promises';
import { GraphThrottledError } from '../../src/graph/errors';
import { MailboxLimiter, type MailboxLimiterOptions } from '../../src/graph/mailbox-limiter';

const MAILBOX = 'user-1';
/** A 100-byte upload budget per 2 s window: the same rules as Outlook's 150 MB per 5 minutes, faster. */
const OPTIONS: MailboxLimiterOptions = {
  concurrency: 4,
  requestBudget: 10_000,
  requestWindowMs: 600_000,
  uploadBudgetBytes: 100,
  uploadWindowMs: 2_000,
  claimGraceMs: 800,
};

/** Takes `bytes` of the budget now, or fails at once (maxWaitMs 0) with the wait it was told. */
async function upload(limiter: MailboxLimiter, party: string, bytes: number, continuing = false): Promise<'sent' | number> {
  try {
    const permit = await limiter.acquire(MAILBOX, bytes, 0, { party, continuing });
    permit();
    return 'sent';
  } catch (err) {
    if (!(err instanceof GraphThrottledError)) throw err;
    expect(err.code).toBe('MailboxBudgetExhausted');
    return err.retryAfterMs;
  }
}

describe('MailboxLimiter: one app + mailbox upload budget shared by several connectors', () => {
  it('lets one connector use the whole budget while no other connector waits for it', async () => {
    const limiter = new MailboxLimiter(OPTIONS);
    expect(await upload(limiter, 'a', 60)).toBe('sent');
    expect(await upload(limiter, 'a', 30)).toBe('sent');
    expect(await upload(limiter, 'a', 10)).toBe('sent');
    expect(await upload(limiter, 'a', 1)).toBeGreaterThan(0); // the window is full
  });

  it('while a connector that has sent less waits, holds back the one that has sent more, and gives the freed budget to the waiting one', async () => {
    const limiter = new MailboxLimiter(OPTIONS);
    expect(await upload(limiter, 'backfill', 60)).toBe('sent');
    await sleep(800);
    expect(await upload(limiter, 'backfill', 30)).toBe('sent'); // 90 of 100 used
    const told = await upload(limiter, 'live', 30); // does not fit: waits, and now counts as waiting
    expect(told).toBeGreaterThan(0);
    expect(told).toBeLessThanOrEqual(1_200); // until the first 60 bytes leave the window

    await sleep(told as number); // the first 60 bytes have left the window: 30 used, by "backfill"
    // 30 + 30 fits the mailbox, but "live" (nothing sent) waits, and "backfill" has sent 30 in this window.
    const held = await upload(limiter, 'backfill', 30);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(850); // at most until its own 30 bytes leave the window (800 ms later)
    expect(await upload(limiter, 'live', 30)).toBe('sent');
  });

  it('does not hold back a later chunk of an upload session already under way', async () => {
    const limiter = new MailboxLimiter(OPTIONS);
    expect(await upload(limiter, 'backfill', 60)).toBe('sent');
    expect(await upload(limiter, 'live', 50)).toBeGreaterThan(0); // waits
    expect(await upload(limiter, 'backfill', 20)).toBeGreaterThan(0); // a new item: held back (60 > 50)
    expect(await upload(limiter, 'backfill', 20, true)).toBe('sent'); // the rest of a file: goes on
  });

  it('forgets a waiting connector that did not come back within its wait and the grace', async () => {
    const limiter = new MailboxLimiter(OPTIONS);
    expect(await upload(limiter, 'backfill', 60)).toBe('sent');
    const told = await upload(limiter, 'gone', 50); // told to wait ~2 s; its activity never asks again
    expect(told).toBeGreaterThan(0);
    expect(await upload(limiter, 'backfill', 20)).toBeGreaterThan(0); // held back while "gone" counts as waiting

    await sleep((told as number) + (OPTIONS.claimGraceMs ?? 0) + 100);
    expect(await upload(limiter, 'backfill', 60)).toBe('sent');
    expect(await upload(limiter, 'backfill', 40)).toBe('sent'); // nobody waits any more: the whole budget again
  });

  it('always lets a connector that has sent nothing in the window send an item that fits the mailbox, whoever waits', async () => {
    const limiter = new MailboxLimiter(OPTIONS);
    expect(await upload(limiter, 'a', 10)).toBe('sent');
    expect(await upload(limiter, 'b', 95)).toBeGreaterThan(0); // does not fit the mailbox: b waits
    expect(await upload(limiter, 'c', 80)).toBe('sent'); // c has sent nothing: 80 of the 90 left
  });
});
