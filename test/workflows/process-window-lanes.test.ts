import type { ImportBatchResult } from '../../src/activities/contracts';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { zeroCounts } from '../../src/model';
import type { WindowActivities } from '../../src/workflows/activities-proxy';
import { processWindow, type Guard } from '../../src/workflows/process-window';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

/** Thrown by the guard of a window a reconfigure restarts while one of its lanes waits out a failure. */
class Restart extends Error {}

const base = parseConnectorConfig(validConnectorFile(), CONFIG_NOW);
const config = { ...base, schedule: { ...base.schedule, batchSize: 10, pageConcurrency: 2 } };
const window = { from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 10, 3) };
const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A window of three pages on two lanes: page 1's import fails the window (the guard rethrows, as after a
 * reconfigure during its backoff) while page 0's import is still in flight; page 2 would come next.
 */
function windowOfThreePages() {
  const events: string[] = [];
  const counts = (page: number): ImportBatchResult => ({
    counts: { ...zeroCounts(), fromSource: page + 1 },
    failures: [],
    failuresTotal: 0,
    logPart: `p${page}`,
  });
  const acts = {
    fetchPage: ({ page }: { page: number }) => {
      events.push(`fetch ${page}`);
      return Promise.resolve({ rawPage: `raw-${page}`, kept: 10, totalCount: 30 });
    },
    convertPage: () => Promise.resolve({ converted: 'c' }),
    stagePage: () => Promise.resolve({ staged: 's' }),
    resolvePage: () => Promise.resolve({ routed: 'r' }),
    importPage: async ({ page }: { page: number }) => {
      if (page === 1) {
        await later(5);
        throw new Restart();
      }
      await later(page === 0 ? 40 : 1);
      events.push(`imported ${page}`);
      return counts(page);
    },
    completeWindow: () => Promise.resolve(),
  } as unknown as WindowActivities;
  const guard: Guard = (call) => call(false);
  return { acts, guard, events };
}

/** Runs the window to its failure, then waits long enough for anything still running in the background to show. */
async function failWindow(drain: boolean) {
  const { acts, guard, events } = windowOfThreePages();
  const recorded: number[] = [];
  const failure = await processWindow(
    acts,
    guard,
    config,
    window,
    '2026-11-02',
    { pagesDone: 0 },
    (i) => recorded.push(i.counts.fromSource),
    {
      drainOnFailure: () => drain,
    },
  ).catch((e: unknown) => e);
  events.push('window failed');
  await later(100);
  return { failure, recorded, events };
}

describe('a window that fails while another lane is mid-page', () => {
  it('drains: the other lane records nothing more and starts no page, and the failure comes once its call has ended', async () => {
    const { failure, recorded, events } = await failWindow(true);

    expect(failure).toBeInstanceOf(Restart);
    expect(recorded).toEqual([]); // the caller rolls back to before the window: nothing may be added after
    expect(events).toEqual(['fetch 0', 'fetch 1', 'imported 0', 'window failed']); // page 2 never started
  });

  it('without the patch (histories from before it), the other lane goes on and counts pages after the failure', async () => {
    const { failure, recorded, events } = await failWindow(false);

    expect(failure).toBeInstanceOf(Restart);
    // Counted after the caller rolled the window back, and counted again when it runs the window once more.
    expect(recorded).toEqual([1, 3]);
    expect(events).toEqual(['fetch 0', 'fetch 1', 'window failed', 'imported 0', 'fetch 2', 'imported 2']);
  });
});
