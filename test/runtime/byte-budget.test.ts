import { ByteBudget } from '../../src/runtime/byte-budget';

const settled = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ByteBudget: bytes of archive items held in memory by the running activities of a worker', () => {
  it('grants at once what fits, and makes the next wait until enough is given back', async () => {
    const budget = new ByteBudget(100);
    const a = await budget.take(60);
    const b = await budget.take(40);
    let c = false;
    const pending = budget.take(30).then((release) => ((c = true), release));
    await settled();
    expect(c).toBe(false);
    expect(budget.inUse).toBe(100);

    a();
    a(); // twice gives back once
    const release = await pending;
    expect(c).toBe(true);
    expect(budget.inUse).toBe(70);
    b();
    release();
    expect(budget.inUse).toBe(0);
  });

  it('serves waiting requests in order: a large one is not overtaken by later small ones', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.take(90);
    const order: string[] = [];
    const large = budget.take(80).then((r) => (order.push('large'), r));
    const small = budget.take(5).then((r) => (order.push('small'), r));
    await settled();
    expect(order).toEqual([]); // 5 would fit, but the large one asked first

    first();
    (await large)();
    (await small)();
    expect(order).toEqual(['large', 'small']);
  });

  it('grants a request larger than the whole budget alone', async () => {
    const budget = new ByteBudget(100);
    const small = await budget.take(10);
    let huge = false;
    const pending = budget.take(500).then((r) => ((huge = true), r));
    await settled();
    expect(huge).toBe(false);
    small();
    const release = await pending;
    expect(huge).toBe(true);
    expect(budget.inUse).toBe(100);
    release();
    expect(budget.inUse).toBe(0);
  });
});
