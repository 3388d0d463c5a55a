import { ActivitySlots } from '../../src/runtime/activity-slots';

/** Runs an activity through the interceptor the worker installs; it resolves or rejects when `finish` is called. */
function runThrough(slots: ActivitySlots, workflowId = 'wf') {
  let finish!: (ok: boolean) => void;
  const body = new Promise<string>((resolve, reject) => {
    finish = (ok) => (ok ? resolve('done') : reject(new Error('activity failed')));
  });
  const inbound = slots.interceptor({ info: { workflowExecution: { workflowId } } } as never).inbound!;
  const result = inbound.execute!({ args: [], headers: {} }, () => body);
  return { finish, result };
}

describe('ActivitySlots', () => {
  it('counts running activities through the interceptor, is full at capacity, and frees a slot whether the activity succeeds or fails', async () => {
    const slots = new ActivitySlots(2);
    const a = runThrough(slots);
    expect(slots.inUse).toBe(1);
    expect(slots.full).toBe(false);
    const b = runThrough(slots);
    expect(slots.full).toBe(true);
    a.finish(true);
    await expect(a.result).resolves.toBe('done');
    expect(slots.inUse).toBe(1);
    b.finish(false);
    await expect(b.result).rejects.toThrow('activity failed');
    expect(slots.inUse).toBe(0);
    expect(slots.full).toBe(false);
  });

  it('is crowded when more workflows than half the slots started activities in the last minute', async () => {
    let now = 1_000_000;
    const slots = new ActivitySlots(4, () => now);
    for (const id of ['a', 'b', 'a']) {
      const r = runThrough(slots, id);
      r.finish(true);
      await r.result;
    }
    expect(slots.activeWorkflows).toBe(2);
    expect(slots.crowded).toBe(false); // 2 workflows, 4 slots: each can run two chains
    const c = runThrough(slots, 'c');
    c.finish(true);
    await c.result;
    expect(slots.inUse).toBe(0);
    expect(slots.crowded).toBe(true); // 3 workflows want more than 4 slots
    now += 30_000;
    const b = runThrough(slots, 'b');
    b.finish(true);
    await b.result;
    now += 31_000; // a and c last started 61 s ago, b 31 s ago
    expect(slots.activeWorkflows).toBe(1);
    expect(slots.crowded).toBe(false);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new ActivitySlots(0)).toThrow(/positive integer/);
    expect(() => new ActivitySlots(1.5)).toThrow(/positive integer/);
  });
});
