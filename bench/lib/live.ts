import { importKey } from '../../src/model';
import type { EmulatorProcess } from '../../scripts/lib/emulators';
import { countHistoryActions, serverRequests, type ActionCounts } from './actions';
import { MAX_WATCH_MS } from '../../src/workflows/connector-watch';
import { benchConfig, launch, terminate, waitForCursor } from './connector';
import { freshStores, livePersonRequests, sleep, workerEnv, type PhaseContext, type TenantAgent } from './context';
import { startBenchWorker } from './worker';

export interface LiveResult {
  /** Seconds from a conversation's close to its item in the mailbox, one per sample that arrived. */
  readonly latencies: readonly number[];
  readonly missing: number;
  readonly seconds: number;
  readonly actions: ActionCounts;
  /** Requests the LivePerson emulator answered while the connector followed live (searches, pages, files, tokens). */
  readonly livePersonRequests: number;
  /** The idle period after the samples (nothing closing): how long, and what it cost. Absent with idleMs 0. */
  readonly idle?: { readonly seconds: number; readonly actions: ActionCounts; readonly livePersonRequests: number };
  readonly peakRssMb: number;
}

/**
 * Live mode with the default schedule (only startDate set): conversations are closed in the emulator now
 * (visible to search after its ingestion lag), and each is timed until its item shows in the agent's mailbox.
 */
export async function runLive(
  ctx: PhaseContext,
  lp: EmulatorProcess,
  samples: number,
  spreadMs: number,
  maxWaitMs: number,
  idleMs = 0,
): Promise<LiveResult> {
  const { stack, client, progress } = ctx;
  await freshStores(stack);
  const tenant = (await (await fetch(`${lp.url}/_emulator/tenant`)).json()) as { agents: TenantAgent[] };
  const agent = tenant.agents.find((a) => a.userType === '1' && a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted);
  if (!agent) throw new Error('the emulator tenant has no agent with a plain mailbox');
  // Both emulators must generate the same tenant (same seed), or no sample can ever arrive.
  const directory = (await (await fetch(`${stack.graph.url}/_emulator/directory`)).json()) as { mail: string }[];
  if (!directory.some((u) => u.mail.toLowerCase() === agent.email.toLowerCase())) {
    throw new Error(
      `agent ${agent.email} of the LivePerson emulator is not in the Graph emulator's directory: start both with the same seed`,
    );
  }
  const worker = await startBenchWorker(workerEnv(stack, 'bench-live', 'bench-live-'));
  try {
    const startDate = new Date(Date.now() - 10 * 60_000).toISOString();
    const config = benchConfig('bench-live', lp, stack.graph, { startDate });
    const t0 = Date.now();
    const workflowId = await launch(client, 'bench-live', config);
    await waitForCursor(client, workflowId, t0 - config.schedule.lagMs, 120_000);
    const hb0 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const before = await countHistoryActions(client, workflowId);
    const lp0 = await livePersonRequests(lp.url);
    const liveFrom = Date.now();
    progress(
      `live: connector following; closing ${samples} conversations over ${Math.round(spreadMs / 1000)} s (agent mailbox ${agent.email})`,
    );

    const pending = new Map<string, number>(); // import key → close time
    const latencies: number[] = [];
    const poll = async (): Promise<void> => {
      const body: unknown = await (await fetch(`${stack.graph.url}/_emulator/mailboxes?mailbox=${encodeURIComponent(agent.email)}`)).json();
      // Before the first import the mailbox may not exist yet (an error object, not a list): nothing arrived.
      const boxes = (Array.isArray(body) ? body : []) as { folders: { items: { importKey: string | null }[] }[] }[];
      const now = Date.now();
      for (const key of boxes.flatMap((b) => b.folders.flatMap((f) => f.items.map((i) => i.importKey)))) {
        const closed = key ? pending.get(key) : undefined;
        if (key && closed !== undefined) {
          latencies.push((now - closed) / 1000);
          pending.delete(key);
        }
      }
    };
    const every = samples > 1 ? spreadMs / (samples - 1) : 0;
    let nextAt = Date.now();
    let sent = 0;
    while (sent < samples || pending.size > 0) {
      if (sent < samples && Date.now() >= nextAt) {
        const endTime = Date.now();
        const res = await fetch(`${lp.url}/_emulator/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ endTime, agentIds: [agent.id], visibleImmediately: false }),
        });
        if (!res.ok) throw new Error(`closing a conversation in the emulator failed: HTTP ${res.status} ${await res.text()}`);
        const truth = (await res.json()) as { conversationId: string; endTime: number };
        pending.set(importKey(config.name, truth.conversationId, String(truth.endTime)), endTime);
        sent++;
        nextAt += every;
      }
      if (sent === samples && Date.now() - nextAt > maxWaitMs) break;
      await poll();
      await sleep(1000);
    }
    // A follow's actions land when it returns (every MAX_WATCH_MS): count whole cycles, or a short busy period may hold none.
    const cycles = Math.max(1, Math.ceil((Date.now() - liveFrom) / MAX_WATCH_MS));
    progress(`live: measuring to the end of follow cycle ${cycles} (${(cycles * MAX_WATCH_MS) / 60_000} min)`);
    await sleep(liveFrom + cycles * MAX_WATCH_MS - Date.now());
    const seconds = (Date.now() - liveFrom) / 1000;
    const lpRequests = (await livePersonRequests(lp.url)) - lp0;
    const hb1 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
    const after = await countHistoryActions(client, workflowId);
    // Only what the live period cost: the history totals after, less those at the moment it went live.
    const actions = since(before, after, hb1 - hb0);
    let idle: LiveResult['idle'];
    if (idleMs > 0) {
      // Then nothing closes: what a connector costs while it only waits (the live watch, sweeps, the proof).
      progress(`live: ${Math.round(idleMs / 1000)} s idle (nothing closing), counting what waiting costs`);
      const idleFrom = Date.now();
      await sleep(idleMs);
      const hb2 = await serverRequests(stack.temporalMetricsUrl, 'RecordActivityTaskHeartbeat');
      const end = await countHistoryActions(client, workflowId);
      idle = {
        seconds: (Date.now() - idleFrom) / 1000,
        actions: since(after, end, hb2 - hb1),
        livePersonRequests: (await livePersonRequests(lp.url)) - lp0 - lpRequests,
      };
    }
    await terminate(client, workflowId);
    return {
      latencies,
      missing: pending.size,
      seconds,
      actions,
      livePersonRequests: lpRequests,
      ...(idle ? { idle } : {}),
      peakRssMb: worker.peakRssMb(),
    };
  } finally {
    await worker.stop();
  }
}

/** The actions between two history counts, with the heartbeats the server saw meanwhile (queries are the bench's own). */
function since(before: ActionCounts, after: ActionCounts, heartbeats: number): ActionCounts {
  const actions = { ...after };
  for (const k of Object.keys(actions) as (keyof ActionCounts)[]) actions[k] -= before[k];
  actions.heartbeats = heartbeats;
  actions.queries = 0;
  return actions;
}
