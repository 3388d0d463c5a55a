/**
 * `npm run bench`: the performance bench of issue 11, on a private local stack (own Temporal dev server with
 * the WAL pragmas, Azurite, both emulators; all on free ports). Prints the command, the machine and a table.
 *
 *   npm run bench                                            # the full run (≈ 1.5–2 h on 2 cores)
 *   npm run bench -- --conversations 1000 --skip live,fifty  # a quick run (a couple of minutes)
 *   npm run bench -- --skip backfill,baseline,live --fifty-mailboxes shared  # fifty connectors on one account
 *   npm run bench -- --skip backfill,baseline,fifty,live --fleet-connectors 1000  # a thousand following live
 */
import { Command, InvalidArgumentError } from 'commander';
import * as os from 'node:os';
import * as path from 'node:path';
import { totalActions, type ActionCounts } from './lib/actions';
import { runBackfill, type BackfillResult } from './lib/backfill';
import { runBaseline, type BaselineResult } from './lib/baseline';
import { connectClient, overrideBenchSchedule } from './lib/connector';
import { lpTruth, type GraphStats, type PhaseContext } from './lib/context';
import { formatCpu } from './lib/cpu';
import { runFifty, type FiftyResult, type FiftyTenancy } from './lib/fifty';
import { directoryCopiesFor, extraAccountsFor, FIFTY_MAILBOXES, type FiftyMailboxes } from './lib/fifty-tenants';
import { runFleet, type FleetResult } from './lib/fleet';
import { fleetRows } from './lib/fleet-rows';
import { runLive, type LiveResult } from './lib/live';
import { machineDescription } from './lib/machine';
import { CPU_PROFILE_DIR_ENV } from './lib/worker';
import { startBenchStack } from './lib/stack';
import { relaunchTrustingLocalCa } from '../scripts/lib/local-ca';
import { fmt, formatTable, quantile, type Row } from './lib/table';

const PHASES = ['backfill', 'baseline', 'fifty', 'live', 'fleet'] as const;
type Phase = (typeof PHASES)[number];

const positive =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
const nonNegative =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0`);
    return n;
  };
const onOff =
  (name: string) =>
  (v: string): boolean => {
    if (v !== 'on' && v !== 'off') throw new InvalidArgumentError(`${name} must be on or off`);
    return v === 'on';
  };
const fiftyMailboxes = (v: string): FiftyMailboxes => {
  if (!(FIFTY_MAILBOXES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`--fifty-mailboxes must be ${FIFTY_MAILBOXES.join(' or ')}`);
  return v as FiftyMailboxes;
};
const phases = (v: string): Phase[] => {
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (bad.length) throw new InvalidArgumentError(`unknown phase(s) ${bad.join(', ')}; phases are ${PHASES.join(', ')}`);
  return list as Phase[];
};

const program = new Command()
  .name('bench')
  .description('lp-archive performance bench (issue 11) on a private local stack')
  .option('--conversations <n>', 'conversations in the backfill (and the baseline)', positive('--conversations'), 10_000)
  .option('--days <n>', 'their end times spread over this many days', positive('--days'), 3)
  .option('--max-messages <n>', 'emulator maxMessages (50 gives about 20 messages per conversation)', positive('--max-messages'), 50)
  .option('--connectors <n>', 'connectors at once in the "fifty" phase', positive('--connectors'), 50)
  .option('--connector-conversations <n>', 'conversations each of them reads', positive('--connector-conversations'), 200)
  .option(
    '--fifty-mailboxes <shared|separate>',
    'separate: each connector of the "fifty" phase reads its own LivePerson account into its own copy of the mailboxes; shared: all read one account into the same mailboxes',
    fiftyMailboxes,
    'separate' as FiftyMailboxes,
  )
  .option('--live-samples <n>', 'conversations timed in live mode', positive('--live-samples'), 20)
  .option('--live-spread <s>', 'seconds over which they close', positive('--live-spread'), 180)
  .option('--live-idle <s>', 'then seconds with nothing closing, to count what waiting costs (0: none)', nonNegative('--live-idle'), 600)
  .option('--fleet-connectors <n>', 'connectors following live on one worker in the "fleet" phase', positive('--fleet-connectors'), 1000)
  .option(
    '--fleet-samples <n>',
    'conversations timed in the fleet phase, each for a connector picked at random',
    positive('--fleet-samples'),
    200,
  )
  .option('--fleet-spread <s>', 'seconds over which they close', positive('--fleet-spread'), 600)
  .option(
    '--page-concurrency <n>',
    'schedule.pageConcurrency of every bench connector (default: the connector default)',
    positive('--page-concurrency'),
  )
  .option(
    '--fairness <on|off>',
    "Temporal task-queue fairness on the bench's dev server (connectors are fairness keys)",
    onOff('--fairness'),
    true,
  )
  .option(
    '--queue-partitions <n>',
    "partitions of the bench dev server's task queues (default 1, as the README advises; Temporal's default is 4)",
    positive('--queue-partitions'),
  )
  .option('--cpu-prof <dir>', "profile each phase's worker with V8 (node --cpu-prof): one .cpuprofile per worker in dir")
  .option('--skip <phases>', `phases to leave out: ${PHASES.join(',')}`, phases, [] as Phase[])
  .option(
    '--phase-timeout <s>',
    'longest a throughput phase may take, seconds (default: 0.4 s per conversation of the phase, at least 900)',
    positive('--phase-timeout'),
  );

/** A phase's limit: the one given, else one that follows its size (2.5 conversations/s, far below any measured rate). */
function phaseLimitS(given: number | undefined, conversations: number): number {
  return given ?? Math.max(900, Math.ceil(conversations * 0.4));
}

/** Issue 11's floor against a plain loop; the rest are issue 22's targets. */
const TARGET = {
  ratio: 0.8,
  actionsPer1000: 15,
  cpuPer1000: 25,
  floorRatio: 1.1,
  rssMb: 300,
  liveP95: 90,
  starvation: 1.2,
  liveActionsPerHour: 60,
} as const;

async function main(): Promise<void> {
  // The Graph emulator serves HTTPS signed by the local CA: run trusting it (NODE_EXTRA_CA_CERTS).
  await relaunchTrustingLocalCa();
  const o = program.parse().opts<{
    conversations: number;
    days: number;
    maxMessages: number;
    connectors: number;
    connectorConversations: number;
    liveSamples: number;
    liveSpread: number;
    liveIdle: number;
    fleetConnectors: number;
    fleetSamples: number;
    fleetSpread: number;
    skip: Phase[];
    phaseTimeout?: number;
    pageConcurrency?: number;
    fairness: boolean;
    queuePartitions?: number;
    fiftyMailboxes: FiftyMailboxes;
    cpuProf?: string;
  }>();
  if (o.cpuProf !== undefined) process.env[CPU_PROFILE_DIR_ENV] = path.resolve(o.cpuProf);
  if (o.pageConcurrency !== undefined) overrideBenchSchedule({ pageConcurrency: o.pageConcurrency });
  const run = (p: Phase): boolean => !o.skip.includes(p);
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const progress = (m: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const began = Date.now();
  const loadBefore = os.loadavg();
  // Copy 1 of the directory is the original one: the other phases see the same mailboxes with or without copies.
  const directoryCopies = Math.max(
    run('fifty') ? directoryCopiesFor(o.fiftyMailboxes, o.connectors) : 1,
    run('fleet') ? o.fleetConnectors : 1,
  );
  const stack = await startBenchStack(progress, {
    fairness: o.fairness,
    directoryCopies,
    ...(o.queuePartitions !== undefined ? { queuePartitions: o.queuePartitions } : {}),
  });
  const stop = (): void => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let backfill: BackfillResult | undefined;
  let baseline: BaselineResult | undefined;
  let fifty: FiftyResult | undefined;
  let live: LiveResult | undefined;
  let fleet: FleetResult | undefined;
  let messagesPerConversation = NaN;
  const failures: string[] = [];
  /** A phase that fails is reported, and the others still print. */
  const phase = async <T>(name: Phase, body: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await body();
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      progress(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  };
  try {
    const client = await connectClient(stack.temporal.address, stack.temporal.namespace);
    const ctx: PhaseContext = { stack, client, progress };
    const startDate = new Date(Date.now() - (o.days + 1) * 86_400_000).toISOString();
    if (run('backfill') || run('baseline')) {
      progress(`starting the LivePerson emulator with ${o.conversations} conversations over ${o.days} days`);
      const lp = await stack.startLivePerson({ conversations: o.conversations, days: o.days, maxMessages: o.maxMessages });
      const truth = await lpTruth(lp, Date.now());
      messagesPerConversation = truth.reduce((n, t) => n + t.messageCount, 0) / truth.length;
      if (run('backfill'))
        backfill = await phase('backfill', () => runBackfill(ctx, lp, startDate, phaseLimitS(o.phaseTimeout, o.conversations) * 1000));
      if (backfill) progress(`backfill: ${backfill.conversations} conversations in ${fmt(backfill.seconds)} s`);
      if (run('baseline')) baseline = await phase('baseline', () => runBaseline(ctx, lp, startDate));
      if (baseline) progress(`baseline: ${baseline.conversations} conversations in ${fmt(baseline.seconds)} s`);
      await lp.stop();
    }
    if (run('fifty')) {
      const extraAccounts = extraAccountsFor(o.fiftyMailboxes, o.connectors);
      const lp = await stack.startLivePerson({
        conversations: o.connectorConversations,
        days: 1,
        maxMessages: o.maxMessages,
        extraAccounts,
      });
      const startDate = new Date(Date.now() - 2 * 86_400_000).toISOString();
      const fiftyLimitS = phaseLimitS(o.phaseTimeout, o.connectors * o.connectorConversations);
      fifty = await phase('fifty', () => runFifty(ctx, lp, o.connectors, o.fiftyMailboxes, startDate, fiftyLimitS * 1000));
      if (fifty) progress(`fifty: ${fifty.conversations} conversations in ${fmt(fifty.seconds)} s`);
      await lp.stop();
    }
    if (run('live')) {
      const lp = await stack.startLivePerson({ conversations: 1, days: 1, maxMessages: o.maxMessages });
      live = await phase('live', () => runLive(ctx, lp, o.liveSamples, o.liveSpread * 1000, 8 * 60_000, o.liveIdle * 1000));
      await lp.stop();
    }
    if (run('fleet')) {
      const n = o.fleetConnectors;
      const lp = await stack.startLivePerson({
        conversations: 1,
        days: 1,
        maxMessages: o.maxMessages,
        extraAccounts: extraAccountsFor('separate', n),
      });
      fleet = await phase('fleet', () => runFleet(ctx, lp, n, o.fleetSamples, o.fleetSpread * 1000, 8 * 60_000));
      await lp.stop();
    }
    await client.connection.close();
  } finally {
    await stack.stop();
  }

  const rows: Row[] = [];
  const perK = (a: ActionCounts, conversations: number): number => (totalActions(a) * 1000) / conversations;
  if (backfill) {
    rows.push(
      { metric: 'backfill conversations', value: `${backfill.conversations} (${fmt(messagesPerConversation)} messages each)` },
      { metric: 'mapped mailboxes per conversation', value: fmt(backfill.items / backfill.conversations, 2) },
      { metric: 'backfill on Temporal: conversations/s', value: fmt(backfill.conversations / backfill.seconds) },
      { metric: 'backfill on Temporal: items imported/s', value: fmt(backfill.items / backfill.seconds) },
      { metric: 'backfill wall time, s', value: fmt(backfill.seconds) },
    );
  }
  if (baseline) {
    rows.push(
      { metric: 'baseline (plain loop): conversations/s', value: fmt(baseline.conversations / baseline.seconds) },
      { metric: 'baseline (plain loop): items imported/s', value: fmt(baseline.items / baseline.seconds) },
    );
  }
  if (backfill && baseline) {
    const ratio = backfill.conversations / backfill.seconds / (baseline.conversations / baseline.seconds);
    rows.push({ metric: 'connector / baseline', value: fmt(ratio, 2), target: `≥ ${TARGET.ratio}`, ok: ratio >= TARGET.ratio });
  }
  if (backfill) {
    const a = backfill.actions;
    const k = perK(a, backfill.conversations);
    rows.push({
      metric: 'Temporal actions per 1,000 conversations',
      value: fmt(k),
      target: `≤ ${TARGET.actionsPer1000}`,
      ok: k <= TARGET.actionsPer1000,
    });
    const parts: [string, number][] = [
      ['workflow starts (incl. continue-as-new)', a.workflowStarts],
      ['activity attempts', a.activityAttempts],
      ['heartbeats reaching the server', a.heartbeats],
      ['timers', a.timers],
      ['signals', a.signals],
      ['queries sent', a.queries],
      ['updates', a.updates],
      ['search-attribute upserts', a.upsertSearchAttributes],
    ];
    for (const [name, n] of parts) rows.push({ metric: `  ${name}`, value: `${n} (${fmt((n * 1000) / backfill.conversations)}/1k)` });
    rows.push({ metric: '  runs (continue-as-new chain)', value: String(a.runs) });
    for (const [type, n] of [...backfill.byActivity].sort()) rows.push({ metric: `  attempts of ${type}`, value: String(n) });
    rows.push({ metric: '  CPU seconds during backfill', value: formatCpu(backfill.cpuSeconds) });
    rows.push({ metric: '  machine busy during backfill, % of its cores', value: busyShare(backfill.cpuSeconds, backfill.seconds) });
    const workerCpuPerK = ((backfill.cpuSeconds.get('worker') ?? NaN) * 1000) / backfill.conversations;
    rows.push({
      metric: 'worker CPU seconds per 1,000 conversations (backfill)',
      value: fmt(workerCpuPerK),
      target: `≤ ${TARGET.cpuPer1000}`,
      ok: workerCpuPerK <= TARGET.cpuPer1000,
    });
    rows.push({ metric: '  busiest mailbox: MB uploaded / Graph budget floor, s', value: uploadFloor(backfill.graph) });
    const floorRatio = backfill.seconds / backfill.graph.uploadFloorSeconds;
    // Under one budget window of uploads there is no floor to compare with.
    if (backfill.graph.uploadFloorSeconds > 0)
      rows.push({
        metric: 'backfill wall time ÷ busiest mailbox Graph floor',
        value: fmt(floorRatio, 2),
        target: `≤ ${TARGET.floorRatio}`,
        ok: floorRatio <= TARGET.floorRatio,
      });
    if (backfill.graphThrottled > 0) rows.push({ metric: 'Graph 429/503 answers during backfill', value: String(backfill.graphThrottled) });
  }
  const rss = [backfill?.peakRssMb, fifty?.peakRssMb, live?.peakRssMb].filter((x): x is number => x !== undefined);
  if (rss.length) {
    const peak = Math.max(...rss);
    rows.push({
      metric: 'worker peak RSS, MB (VmHWM)',
      value: `${fmt(peak, 0)} (backfill ${fmt(backfill?.peakRssMb ?? NaN, 0)}, fifty ${fmt(fifty?.peakRssMb ?? NaN, 0)}, live ${fmt(live?.peakRssMb ?? NaN, 0)})`,
      target: `≤ ${TARGET.rssMb}`,
      ok: peak <= TARGET.rssMb,
    });
  }
  if (baseline) {
    rows.push({ metric: 'baseline process peak RSS, MB', value: fmt(baseline.peakRssMb, 0) });
    for (const [name, s] of [...baseline.activitySeconds].sort()) rows.push({ metric: `  baseline: seconds in ${name}`, value: fmt(s) });
    rows.push({ metric: '  CPU seconds during baseline', value: formatCpu(baseline.cpuSeconds) });
    rows.push({ metric: '  baseline: busiest mailbox MB / Graph budget floor, s', value: uploadFloor(baseline.graph) });
  }
  if (live) {
    const p95 = quantile(live.latencies, 0.95);
    rows.push(
      { metric: 'live: samples arrived / missing', value: `${live.latencies.length} / ${live.missing}` },
      { metric: 'live: p50 close → mailbox, s', value: fmt(quantile(live.latencies, 0.5)) },
      {
        metric: 'live: p95 close → mailbox, s',
        value: fmt(p95),
        target: `≤ ${TARGET.liveP95}`,
        ok: live.missing === 0 && p95 <= TARGET.liveP95,
      },
      { metric: 'live: min / max, s', value: `${fmt(Math.min(...live.latencies))} / ${fmt(Math.max(...live.latencies))}` },
      {
        metric: 'live: actions per hour of following, busy (whole follow cycles while the samples close)',
        value: fmt((totalActions(live.actions) * 3600) / live.seconds, 0),
        target: `≤ ${TARGET.liveActionsPerHour}`,
        ok: (totalActions(live.actions) * 3600) / live.seconds <= TARGET.liveActionsPerHour,
      },
      { metric: 'live: LivePerson requests per hour of following', value: fmt((live.livePersonRequests * 3600) / live.seconds, 0) },
    );
    const idle = live.idle;
    if (idle) {
      const perHour = (totalActions(idle.actions) * 3600) / idle.seconds;
      rows.push(
        {
          metric: `live: actions per hour idle (${fmt(idle.seconds, 0)} s, nothing closing)`,
          value: fmt(perHour, 0),
          target: `≤ ${TARGET.liveActionsPerHour}`,
          ok: perHour <= TARGET.liveActionsPerHour,
        },
        {
          metric: '  idle: activity attempts / timers / upserts / heartbeats',
          value: `${idle.actions.activityAttempts} / ${idle.actions.timers} / ${idle.actions.upsertSearchAttributes} / ${idle.actions.heartbeats}`,
        },
        { metric: '  idle: LivePerson requests per hour', value: fmt((idle.livePersonRequests * 3600) / idle.seconds, 0) },
      );
    }
  }
  if (fifty) {
    const rates = fifty.connectors.map((c) => c.seconds);
    const slow = Math.max(...rates);
    const fast = Math.min(...rates);
    const n = fifty.connectors.length;
    const t = fifty.tenancy;
    const items = fifty.connectors.map((c) => c.items);
    rows.push(
      {
        metric: `${n} connectors: LivePerson accounts / mailboxes (--fifty-mailboxes)`,
        value:
          t.mode === 'separate'
            ? `separate (${t.accounts} accounts, ${t.copies} × ${t.mailboxesPerCopy} mailboxes)`
            : `shared (${t.accounts} account, ${t.mailboxesPerCopy} mailboxes)`,
      },
      { metric: `${n} connectors: mailboxes written / in copies of the directory`, value: `${t.mailboxesWritten} / ${t.copiesWritten}` },
      {
        metric: `${n} connectors: finished within the phase limit (the others: as far as they got)`,
        value: `${fifty.finished} of ${n} (limit ${fmt(phaseLimitS(o.phaseTimeout, o.connectors * o.connectorConversations), 0)} s)`,
        target: 'all',
        ok: fifty.finished === n,
      },
      {
        metric: `${fifty.connectors.length} connectors: Temporal task-queue fairness`,
        value: `${o.fairness ? 'on (fairness key = connector)' : 'off (--fairness off)'}; task queue partitions ${o.queuePartitions ?? 1}`,
      },
      { metric: `${fifty.connectors.length} connectors: conversations/s total`, value: fmt(fifty.conversations / fifty.seconds) },
      { metric: `${fifty.connectors.length} connectors: items/s total`, value: fmt(fifty.items / fifty.seconds) },
      {
        metric: `${fifty.connectors.length} connectors: fastest / median / slowest, s`,
        value: `${fmt(fast)} / ${fmt(quantile(rates, 0.5))} / ${fmt(slow)}`,
      },
      {
        metric: `${fifty.connectors.length} connectors: slowest ÷ fastest`,
        value: fmt(slow / fast, 2),
        target: `≤ ${TARGET.starvation} (none starved)`,
        ok: fifty.finished === n && slow / fast <= TARGET.starvation, // unfinished ones all count the limit as their time
      },
      {
        metric: `${fifty.connectors.length} connectors: conversations each`,
        value: `${Math.min(...fifty.connectors.map((c) => c.conversations))}–${Math.max(...fifty.connectors.map((c) => c.conversations))}`,
      },
      { metric: `${n} connectors: items each`, value: `${Math.min(...items)}–${Math.max(...items)}` },
      { metric: `${n} connectors: MB uploaded each`, value: uploadedEach(t, n) },
      {
        metric: `${fifty.connectors.length} connectors: actions per 1,000 conversations`,
        value: fmt(perK(fifty.actions, fifty.conversations)),
      },
    );
    rows.push({ metric: '  busiest mailbox: MB uploaded / Graph budget floor, s', value: uploadFloor(fifty.graph) });
    if (fifty.graph.uploadFloorSeconds > fast) {
      // No schedule finishes the connectors that share that mailbox before the floor: how far the last one is from it.
      rows.push({ metric: '  slowest ÷ Graph budget floor', value: fmt(slow / fifty.graph.uploadFloorSeconds, 2) });
    }
    const waits = fifty.connectors.flatMap((c) => c.spans.map((x) => (x.started - x.scheduled) / 1000)).filter(Number.isFinite);
    rows.push({
      metric: '  activity wait in the task queue (scheduled → started): p50 / p95 / max, s',
      value: `${fmt(quantile(waits, 0.5))} / ${fmt(quantile(waits, 0.95))} / ${fmt(Math.max(...waits))}`,
    });
    const byTime = [...fifty.connectors].sort((a, b) => a.seconds - b.seconds);
    for (const [label, c] of [
      ['fastest', byTime[0]],
      ['slowest', byTime[byTime.length - 1]],
    ] as const) {
      if (!c) continue;
      const spans = c.spans;
      const sum = (f: (x: (typeof spans)[number]) => number): number =>
        spans.reduce((n, x) => n + (Number.isFinite(f(x)) ? f(x) : 0), 0) / 1000;
      rows.push({
        metric: `  ${label} (${c.name}): activities / s waiting in queue / s running`,
        value: `${spans.length} / ${fmt(sum((x) => x.started - x.scheduled))} / ${fmt(sum((x) => x.closed - x.started))}`,
      });
    }
    rows.push({ metric: '  every activity of every connector (JSON)', value: fifty.timelineFile });
  }
  if (fleet) rows.push(...fleetRows(fleet));
  console.log(`command: ${command}`);
  console.log(`machine: ${machineDescription()}`);
  const load = (l: number[]): string => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `load average (1/5/15 min): ${load(loadBefore)} at start, ${load(os.loadavg())} at end (other processes on the machine compete for the cores)`,
  );
  console.log(`skipped: ${o.skip.length ? o.skip.join(', ') : 'nothing'}; bench took ${fmt((Date.now() - began) / 60_000)} min`);
  console.log(formatTable(rows));
  for (const f of failures) console.log(`FAILED phase ${f}`);
  if (failures.length) process.exitCode = 1;
}

/** "93 % of 2 cores": how near the phase ran to what the machine has (all its processes; NaN off Linux). */
function busyShare(cpu: ReadonlyMap<string, number>, seconds: number): string {
  const cores = os.cpus().length;
  const busy = [...cpu].find(([name]) => name.startsWith('machine'))?.[1] ?? NaN;
  return `${fmt((100 * busy) / (cores * seconds), 0)} % of ${cores} cores`;
}

/** Separate: per copy of the mailboxes, i.e. per connector (min–max). Shared: all of it ÷ connectors. */
function uploadedEach(t: FiftyTenancy, connectors: number): string {
  const mb = t.bytesPerCopy.map((b) => b / 2 ** 20);
  if (t.mode === 'shared') return `${fmt(mb.reduce((a, b) => a + b, 0) / connectors)} (all ÷ connectors)`;
  return `${fmt(Math.min(...mb))}–${fmt(Math.max(...mb))} (per copy of the mailboxes)`;
}

/** "812 MB / 1200 s": no client can be faster than the floor (Outlook's 150 MB per mailbox per 5 min). */
function uploadFloor(g: GraphStats): string {
  return `${fmt(g.busiestMailboxBytes / 2 ** 20, 0)} MB / ${fmt(g.uploadFloorSeconds, 0)} s`;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
