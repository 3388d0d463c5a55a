import type { EmulatorProcess } from '../../scripts/lib/emulators';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectorStatus } from '../../src/model';
import { addActions, countHistoryActions, serverRequests, zeroActions, type ActionCounts, type ActivitySpan } from './actions';
import { benchConfig, cursorOf, launch, statusOf, terminate } from './connector';
import { freshStores, graphStats, sleep, workerEnv, type GraphStats, type PhaseContext } from './context';
import { prepareFiftyTenants, type FiftyMailboxes } from './fifty-tenants';
import { startBenchWorker } from './worker';

export interface ConnectorRun {
  readonly name: string;
  readonly conversations: number;
  readonly items: number;
  readonly seconds: number;
  /** Its activities, from the histories: where its time went (waiting in the task queue, or running). */
  readonly spans: readonly ActivitySpan[];
}

export interface FiftyResult {
  readonly connectors: readonly ConnectorRun[];
  /**
   * Connectors that reached their target within the phase's limit. The others are measured as far as they got
   * (their conversations so far, the whole limit as their time).
   */
  readonly finished: number;
  /** From the first start to the last connector done. */
  readonly seconds: number;
  readonly conversations: number;
  readonly items: number;
  readonly actions: ActionCounts;
  readonly peakRssMb: number;
  /** Shared mode: all of them share the tenant's mailboxes, so Outlook's per-mailbox budget. Separate: each its own. */
  readonly graph: GraphStats;
  readonly tenancy: FiftyTenancy;
  /** Every connector's activity spans as JSON, for a closer look at who waited when. */
  readonly timelineFile: string;
}

/** Whose data the connectors archived, and where it went. */
export interface FiftyTenancy {
  readonly mode: FiftyMailboxes;
  /** Distinct LivePerson accounts read. */
  readonly accounts: number;
  /** Copies of the directory imported into (1 when shared), and the mailboxes of one copy. */
  readonly copies: number;
  readonly mailboxesPerCopy: number;
  /** Mailboxes that received uploads, and in how many copies of the directory they lie. */
  readonly mailboxesWritten: number;
  readonly copiesWritten: number;
  /** Request bytes uploaded into each copy written: each connector's volume when separate, all of theirs when shared. */
  readonly bytesPerCopy: readonly number[];
}

/**
 * `count` connectors at once on one worker: each is done when its cursor reaches its start (after every conversation). Shared: all
 * read the same LivePerson account into the same mailboxes (different import keys). Separate: each reads its
 * own account (the same conversations) into its own copy of the directory. `lp` must serve those accounts.
 */
export async function runFifty(
  ctx: PhaseContext,
  lp: EmulatorProcess,
  count: number,
  mode: FiftyMailboxes,
  startDate: string,
  timeoutMs: number,
): Promise<FiftyResult> {
  const { stack, client, progress } = ctx;
  await freshStores(stack);
  // In the bench's data folder under the OS temp folder: removed with the stack.
  const prepared = await prepareFiftyTenants(mode, count, stack.graph, path.join(stack.dataDir, 'fifty-mapping'));
  const worker = await startBenchWorker(workerEnv(stack, 'bench-fifty', 'bench-fifty-'));
  try {
    const hb0 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const names = Array.from({ length: count }, (_, i) => `bench-many-${String(i + 1).padStart(2, '0')}`);
    const started = new Map<string, { id: string; t0: number; target: number }>();
    const first = Date.now();
    await Promise.all(
      names.map(async (name, i) => {
        const config = benchConfig(name, lp, stack.graph, { startDate }, prepared.tenants[i]);
        const t0 = Date.now();
        const id = await launch(client, 'bench-fifty', config);
        // Every conversation of the emulator ended before t0: done is archived up to t0 (t0 − lag could leave out
        // the last one, which a later window archives after the connector is counted done).
        started.set(name, { id, t0, target: t0 });
      }),
    );
    progress(`fifty: ${count} connectors started (${mode} accounts and mailboxes); waiting for all cursors`);
    const doneAt = new Map<string, number>();
    // Totals as each connector reaches its target: read later, an early finisher's next live window would count too.
    const totalsAtDone = new Map<string, ConnectorStatus['totals']>();
    const deadline = Date.now() + timeoutMs;
    let nextReport = Date.now() + REPORT_EVERY_MS;
    while (doneAt.size < count) {
      if (Date.now() > deadline) {
        // Fair scheduling makes every connector finish at about the same moment: report how far each got.
        progress(
          `fifty: only ${doneAt.size} of ${count} connectors finished within ${timeoutMs / 1000} s; measuring how far the others got`,
        );
        break;
      }
      if (Date.now() >= nextReport) {
        nextReport += REPORT_EVERY_MS;
        progress(await progressLine(client, started, doneAt.size, first, worker.peakRssMb()));
      }
      await Promise.all(
        [...started].map(async ([name, s]) => {
          if (doneAt.has(name)) return;
          const c = await cursorOf(client, s.id).catch(() => undefined);
          if (c === undefined || c < s.target) return;
          doneAt.set(name, Date.now());
          totalsAtDone.set(name, (await statusOf(client, s.id)).totals);
        }),
      );
      await sleep(500);
    }
    const finished = doneAt.size;
    for (const [name, s] of started) {
      if (doneAt.has(name)) continue;
      doneAt.set(name, Date.now());
      totalsAtDone.set(name, (await statusOf(client, s.id)).totals);
    }
    const last = Math.max(...doneAt.values());
    const graph = await graphStats(stack.graph);
    const connectors: ConnectorRun[] = [];
    const actions = zeroActions();
    const done = new Map<string, { conversations: number; items: number; seconds: number }>();
    for (const [name, s] of started) {
      const t = totalsAtDone.get(name)!;
      await terminate(client, s.id);
      done.set(name, { conversations: t.fromSource, items: t.imported + t.partial, seconds: (doneAt.get(name)! - s.t0) / 1000 });
    }
    const hb1 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    for (const [name, s] of started) {
      const spans: ActivitySpan[] = [];
      addActions(actions, await countHistoryActions(client, s.id, undefined, spans));
      connectors.push({ name, ...done.get(name)!, spans: spans.filter((x) => x.closed <= doneAt.get(name)!) });
    }
    const timelineFile = path.join(os.tmpdir(), `lp-archive-bench-fifty-${first}.json`);
    fs.writeFileSync(timelineFile, JSON.stringify({ first, connectors: connectors.map((c) => ({ ...c, t0: started.get(c.name)!.t0 })) }));
    const bytesPerCopy = new Map<number | undefined, number>();
    for (const [id, bytes] of graph.bytesByMailbox)
      bytesPerCopy.set(prepared.copyOf.get(id), (bytesPerCopy.get(prepared.copyOf.get(id)) ?? 0) + bytes);
    actions.heartbeats = hb1 - hb0;
    actions.queries = count;
    return {
      connectors,
      finished,
      seconds: (last - first) / 1000,
      conversations: connectors.reduce((n, c) => n + c.conversations, 0),
      items: connectors.reduce((n, c) => n + c.items, 0),
      actions,
      peakRssMb: worker.peakRssMb(),
      graph,
      tenancy: {
        mode,
        accounts: new Set(prepared.tenants.map((t) => t.accountId)).size,
        copies: mode === 'separate' ? count : 1,
        mailboxesPerCopy: prepared.mailboxesPerCopy,
        mailboxesWritten: graph.bytesByMailbox.size,
        copiesWritten: bytesPerCopy.size,
        bytesPerCopy: [...bytesPerCopy.values()],
      },
      timelineFile,
    };
  } finally {
    await worker.stop();
  }
}

/** How often the phase says how far it got. */
const REPORT_EVERY_MS = 30_000;

/** One progress line: connectors done, conversations archived so far and their rate, the worker's peak memory. */
async function progressLine(
  client: PhaseContext['client'],
  started: ReadonlyMap<string, { id: string }>,
  done: number,
  first: number,
  peakRssMb: number,
): Promise<string> {
  const totals = await Promise.all(
    [...started.values()].map((s) =>
      statusOf(client, s.id).then(
        (x) => x.totals.fromSource,
        () => 0,
      ),
    ),
  );
  const archived = totals.reduce((a, b) => a + b, 0);
  const seconds = (Date.now() - first) / 1000;
  return `fifty: ${done} of ${started.size} connectors done; ${archived} conversations so far (${(archived / seconds).toFixed(1)}/s, slowest connector ${Math.min(...totals)}); worker peak RSS ${peakRssMb.toFixed(0)} MB`;
}
