import type { LivePersonEmulator } from '../../emulators/liveperson';
import { toActivityFailure } from '../../src/runtime/error-interceptor';
import { LivePersonUnavailableError } from '../../src/liveperson/errors';
import { clientFor, collectWindow, DAY, groundTruth, setFaults, startEmulator, stats } from '../liveperson/support';

describe('malformed JSON from LivePerson (emulator fault malformedJsonRate)', () => {
  let emu: LivePersonEmulator;
  const anchor = Date.now() - 60 * 60_000;
  const window = { from: anchor - DAY, to: anchor + 1 };

  beforeAll(async () => {
    emu = await startEmulator({ conversations: 150, days: 1, anchorTime: anchor });
  });
  afterAll(async () => emu?.close());
  afterEach(async () => setFaults(emu, { malformedJsonRate: 0 }));

  it('becomes a typed, retryable LivePersonUnavailableError naming the service and the status, never a SyntaxError', async () => {
    await setFaults(emu, { malformedJsonRate: 1 });
    const client = clientFor(emu, { maxQuickRetries: 1 });
    const error: unknown = await client.searchClosed(window, 0, 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LivePersonUnavailableError);
    const e = error as LivePersonUnavailableError;
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBeGreaterThan(0);
    expect(e.service).toBe('msgHist');
    expect(e.message).toMatch(/not JSON \(HTTP 200/);
    // The activity layer lets Temporal retry it (not a non-retryable ApplicationFailure).
    const mapped = toActivityFailure(e) as { nonRetryable?: boolean };
    expect(mapped.nonRetryable ?? false).toBe(false);
    expect((await stats(emu)).faults.malformedJson).toBeGreaterThan(0);
  });

  it('costs only retries: with 40 % of the answers broken, the window is still collected whole and once', async () => {
    const truth = (await groundTruth(emu, window)).map((c) => c.conversationId).sort();
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
    await setFaults(emu, { malformedJsonRate: 0.4 });
    const got = await collectWindow(clientFor(emu), window, 10, true); // small pages: many requests, several broken
    expect(got.ids.slice().sort()).toEqual(truth);
    expect((await stats(emu)).faults.malformedJson).toBeGreaterThan(0);
  });
});
