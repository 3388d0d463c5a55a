import * as path from 'node:path';
import { importKey, LP_CURSOR_TIME } from '../../src/model';
import { MAX_WATCH_MS } from '../../src/workflows/connector-watch';
import type { EmulatorProcess } from '../../scripts/lib/emulators';
import { SeededRandom } from '../../emulators/shared/random';
import { addActions, countHistoryActions, serverRequests, zeroActions, type ActionCounts } from './actions';
import { benchConfig, launch, lpAccountOf, terminate } from './connector';
import { freshStores, livePersonRequests, meterStackCpu, sleep, workerEnv, type PhaseContext, type TenantAgent } from './context';
import { prepareFiftyTenants, type DirectoryEntry } from './fifty-tenants';
import { startBenchWorker } from './worker';

export interface FleetResult {
  readonly connectors: number;
  /** From the first start until every connector's cursor was live (within a lag of its start). */
  readonly liveAfterSeconds: number;
  /** Seconds from a conversation's close to its item in the mailbox, one per sample that arrived. */
  readonly latencies: readonly number[];
  readonly missing: number;
  /** Distinct connectors that got a sample. */
  readonly connectorsSampled: number;
  /** The measured period: all connectors following live while the samples close. */
  readonly seconds: number;
  /** Every connector's actions in the measured period, summed. */
  readonly actions: ActionCounts;
  /** DescribeWorkflowExecution calls the server answered in the period (the followers' lease reads; not billed). */
  readonly describes: number;
  readonly livePersonRequests: number;
  readonly peakRssMb: number;
  /** RSS at the end of the period (all connectors still following). */
  readonly endRssMb: number;
  readonly cpuSeconds: ReadonlyMap<string, number>;
}

/** How many starts, terminations and history reads are in flight at once (the dev server is on the same 2 cores). */
const CLIENT_CONCURRENCY = 25;
const REPORT_EVERY_MS = 30_000;

/**
 * `count` connectors on one worker, each with its own LivePerson account and its own copy of the directory, all
 * following live. Once every cursor is live, `samples` conversations close over `spreadMs`, each for a connector
 * picked at random, and each is timed until its item is in that connector's copy of the agent's mailbox.
 */
export async function runFleet(
  ctx: PhaseContext,
  lp: EmulatorProcess,
  count: number,
  samples: number,
  spreadMs: number,
  maxWaitMs: number,
): Promise<FleetResult> {
  const { stack, client, progress } = ctx;
  await freshStores(stack);
  const prepared = await prepareFiftyTenants('separate', count, stack.graph, path.join(stack.dataDir, 'fleet-mapping'));
  const mailboxOf = await agentMailboxes(lp, stack.graph);
  const worker = await startBenchWorker(workerEnv(stack, 'bench-fleet', 'bench-fleet-'));
  const cpu = meterStackCpu(stack, lp, { worker: worker.proc.pid });
  const ids: string[] = [];
  const names = Array.from({ length: count }, (_, i) => `bench-fleet-${String(i + 1).padStart(4, '0')}`);
  try {
    const first = Date.now();
    const startDate = new Date(first - 3 * 60_000).toISOString();
    let lagMs = 0;
    await eachLimited(names, CLIENT_CONCURRENCY, async (name, i) => {
      const config = benchConfig(name, lp, stack.graph, { startDate }, prepared.tenants[i]);
      lagMs = config.schedule.lagMs;
      ids[i] = await launch(client, 'bench-fleet', config);
    });
    progress(`fleet: ${count} connectors started in ${((Date.now() - first) / 1000).toFixed(0)} s; waiting until all follow live`);
    // Live: the cursor is within a lag and a poll of the moment all had started.
    const liveTarget = Date.now() - lagMs - 60_000;
    for (let nextReport = Date.now(); ;) {
      const cursors = await fleetCursors(ctx, 'bench-fleet');
      const live = [...cursors.values()].filter((c) => c >= liveTarget).length;
      if (live >= count) break;
      if (Date.now() - first > maxWaitMs + count * 1000)
        throw new Error(`only ${live} of ${count} connectors reached live mode in ${((Date.now() - first) / 1000).toFixed(0)} s`);
      if (Date.now() >= nextReport) {
        nextReport += REPORT_EVERY_MS;
        progress(`fleet: ${live} of ${count} connectors live; worker peak RSS ${worker.peakRssMb().toFixed(0)} MB`);
      }
      await sleep(2000);
    }
    const liveAfterSeconds = (Date.now() - first) / 1000;
    progress(`fleet: all ${count} live after ${liveAfterSeconds.toFixed(0)} s; counting their actions so far`);

    const before = await sumActions(ctx, ids);
    const hb0 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const d0 = await serverRequests(stack.temporalMetricsUrl, 'DescribeWorkflowExecution');
    const lp0 = await livePersonRequests(lp.url);
    const from = Date.now();
    progress(`fleet: closing ${samples} conversations over ${Math.round(spreadMs / 1000)} s, each for a connector picked at random`);

    const rnd = new SeededRandom(1000 + count);
    const agents = [...mailboxOf.keys()];
    const pending = new Map<string, { mailbox: string; closed: number }>(); // import key → where, when
    const latencies: number[] = [];
    const sampled = new Set<number>();
    const every = samples > 1 ? spreadMs / (samples - 1) : 0;
    let nextAt = Date.now();
    let sent = 0;
    let nextReport = Date.now() + REPORT_EVERY_MS;
    while (sent < samples || pending.size > 0) {
      while (sent < samples && Date.now() >= nextAt) {
        const n = rnd.int(1, count);
        const agent = rnd.pick(agents);
        const closed = Date.now();
        const res = await fetch(`${lp.url}/_emulator/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ endTime: closed, agentIds: [agent.id], account: lpAccountOf(n), visibleImmediately: false }),
        });
        if (!res.ok) throw new Error(`closing a conversation in the emulator failed: HTTP ${res.status} ${await res.text()}`);
        const truth = (await res.json()) as { conversationId: string; endTime: number };
        const mailbox = mailboxOf.get(agent)?.get(n);
        if (mailbox === undefined) throw new Error(`no copy ${n} of ${agent.email}'s mailbox in the Graph emulator`);
        pending.set(importKey(names[n - 1]!, truth.conversationId, String(truth.endTime)), { mailbox, closed });
        sampled.add(n);
        sent++;
        nextAt += every;
      }
      if (sent === samples && Date.now() - nextAt > maxWaitMs) break;
      await arrivals(stack.graph.url, pending, latencies);
      if (Date.now() >= nextReport) {
        nextReport += REPORT_EVERY_MS;
        progress(
          `fleet: ${sent} of ${samples} closed, ${latencies.length} in mailboxes, ${pending.size} on the way; worker RSS ${worker.rssMb().toFixed(0)} MB (peak ${worker.peakRssMb().toFixed(0)})`,
        );
      }
      await sleep(1000);
    }
    // A follower's actions land when its follow returns (every MAX_WATCH_MS when nothing else is due): a period of whole cycles counts
    // each connector's returns the same whatever its phase.
    const cycles = Math.max(1, Math.ceil((Date.now() - from) / MAX_WATCH_MS));
    progress(`fleet: measuring to the end of follow cycle ${cycles} (${(cycles * MAX_WATCH_MS) / 60_000} min)`);
    await sleep(from + cycles * MAX_WATCH_MS - Date.now());
    const seconds = (Date.now() - from) / 1000;
    const endRssMb = worker.rssMb();
    const lpRequests = (await livePersonRequests(lp.url)) - lp0;
    const hb1 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const describes = (await serverRequests(stack.temporalMetricsUrl, 'DescribeWorkflowExecution')) - d0;
    const cpuSeconds = cpu.read();
    progress(`fleet: ${latencies.length} of ${samples} arrived; counting the actions of the period`);
    const after = await sumActions(ctx, ids);
    const actions = { ...after };
    for (const k of Object.keys(actions) as (keyof ActionCounts)[]) actions[k] -= before[k];
    actions.heartbeats = hb1 - hb0;
    actions.queries = 0;
    return {
      connectors: count,
      liveAfterSeconds,
      latencies,
      missing: pending.size,
      connectorsSampled: sampled.size,
      seconds,
      actions,
      describes,
      livePersonRequests: lpRequests,
      peakRssMb: worker.peakRssMb(),
      endRssMb,
      cpuSeconds,
    };
  } finally {
    await eachLimited(
      ids.filter((id) => id !== undefined),
      CLIENT_CONCURRENCY,
      (id) => terminate(client, id).catch(() => undefined),
    );
    await worker.stop();
  }
}

/**
 * Per agent with a plain mailbox: the UPN of that mailbox in each copy of the directory (copy n is connector n's;
 * copy 1 is the original). Both emulators generate the same tenant from the bench's seed.
 */
async function agentMailboxes(lp: EmulatorProcess, graph: EmulatorProcess): Promise<Map<TenantAgent, Map<number, string>>> {
  const tenant = (await (await fetch(`${lp.url}/_emulator/tenant`)).json()) as { agents: TenantAgent[] };
  const directory = (await (await fetch(`${graph.url}/_emulator/directory`)).json()) as DirectoryEntry[];
  const out = new Map<TenantAgent, Map<number, string>>();
  for (const agent of tenant.agents.filter((a) => a.userType === '1' && a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)) {
    const original = directory.find((u) => u.copy === 1 && u.mail.toLowerCase() === agent.email.toLowerCase());
    if (!original) continue;
    const copies = new Map<number, string>([[1, original.userPrincipalName]]);
    for (const u of directory) if (u.copyOf === original.id) copies.set(u.copy, u.userPrincipalName);
    out.set(agent, copies);
  }
  if (out.size === 0)
    throw new Error("no LivePerson agent has a plain mailbox in the Graph emulator's directory: start both with the same seed");
  return out;
}

/** Records the samples now in their mailboxes (one request per mailbox still waiting for one). */
async function arrivals(graphUrl: string, pending: Map<string, { mailbox: string; closed: number }>, latencies: number[]): Promise<void> {
  const mailboxes = new Set([...pending.values()].map((p) => p.mailbox));
  await eachLimited([...mailboxes], 10, async (mailbox) => {
    const body: unknown = await (await fetch(`${graphUrl}/_emulator/mailboxes?mailbox=${encodeURIComponent(mailbox)}`)).json();
    // Before its first import a mailbox may not exist yet (an error object, not a list): nothing arrived.
    const boxes = (Array.isArray(body) ? body : []) as { folders: { items: { importKey: string | null }[] }[] }[];
    const now = Date.now();
    for (const key of boxes.flatMap((b) => b.folders.flatMap((f) => f.items.map((i) => i.importKey)))) {
      const p = key ? pending.get(key) : undefined;
      if (key && p) {
        latencies.push((now - p.closed) / 1000);
        pending.delete(key);
      }
    }
  });
}

/** Every running connector's cursor on `taskQueue`, from one visibility listing (no per-workflow calls). */
async function fleetCursors(ctx: PhaseContext, taskQueue: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const w of ctx.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
    const c = w.typedSearchAttributes.get(LP_CURSOR_TIME)?.getTime();
    if (c !== undefined) out.set(w.workflowId, c);
  }
  return out;
}

async function sumActions(ctx: PhaseContext, ids: readonly string[]): Promise<ActionCounts> {
  const total = zeroActions();
  await eachLimited(ids, CLIENT_CONCURRENCY, async (id) => void addActions(total, await countHistoryActions(ctx.client, id)));
  return total;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
