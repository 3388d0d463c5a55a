/**
 * The full fault suite (`npm run test:faults`): a backfill of 5,000 conversations through two real worker
 * processes that reach Temporal and Azurite through toxiproxy, SIGKILLed in every backfill phase, in live
 * mode, when a sweep is due, during a reimport started through the CLI, during a reconfigure and right after a continue-as-new, cut off from Temporal longer than the heartbeat timeout, their connections reset and slowed, storage
 * reset, stalled, slowed, throttled and restarted, a Temporal dev server (SQLite file) restarted once,
 * emulators injecting 429s, 5xx, slow answers and dropped connections, one full mailbox and one lost mid-run;
 * then checks that nothing was lost or duplicated and prints the table of faults injected and survived.
 *
 *   npm run test:faults [-- --seed 1234 --conversations 5000 --kills 12 --partitions 5]   (seed also from FAULT_SEED)
 */
import { Command, InvalidArgumentError } from 'commander';
import { formatFaultReport } from './report';
import type { FaultPhase } from './phases';
import { FULL_FAULTS, runFaultScenario } from './scenario';
import { relaunchTrustingLocalCa } from '../lib/local-ca';

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${v}".`);
    return n;
  };
}

/** `n` kills spread evenly over the three backfill phases (the remainder early), plus `live` in live mode. */
function spreadWithLive(n: number, live: number): Partial<Record<FaultPhase, number>> {
  const third = Math.floor(n / 3);
  return { 'backfill-early': n - 2 * third, 'backfill-middle': third, 'backfill-late': third, live };
}

async function main(): Promise<number> {
  // The Graph emulator serves HTTPS signed by the local CA: run trusting it (NODE_EXTRA_CA_CERTS).
  await relaunchTrustingLocalCa();
  const program = new Command('test:faults')
    .option('--seed <n>', 'seed of data, faults and kill schedule (default FAULT_SEED or random)', int('--seed'))
    .option('--conversations <n>', 'conversations to backfill', int('--conversations'), 5000)
    .option('--days <n>', 'spread over this many days', int('--days'), 3)
    .option('--kills <n>', 'worker SIGKILLs spread over early, middle and late backfill', int('--kills'), 12)
    .option('--live-kills <n>', 'worker SIGKILLs once the connector follows live', int('--live-kills'), 2)
    .option('--sweep-kills <n>', 'worker SIGKILLs when a late-arrival sweep is due (live mode, every minute)', int('--sweep-kills'), 1)
    .option(
      '--reimport-windows <n>',
      'backfill windows (12 h) reimported through the CLI late in the backfill (0: no reimport)',
      int('--reimport-windows'),
      2,
    )
    .option('--reimport-kills <n>', 'worker SIGKILLs while that reimport runs', int('--reimport-kills'), 1)
    .option('--reconfigure-kills <n>', 'worker SIGKILLs while a reconfigure update is in flight', int('--reconfigure-kills'), 1)
    .option('--can-kills <n>', 'worker SIGKILLs at the first look after a continue-as-new (every 3 windows)', int('--can-kills'), 1)
    .option('--partitions <n>', 'one worker cut off from Temporal for 12-25 s (heartbeat timeout 10 s)', int('--partitions'), 5)
    .option('--storage-faults <n>', 'each of: storage resets, stalls (timeouts), latency, bandwidth limits', int('--storage-faults'), 2)
    .option('--azurite-restarts <n>', 'Azurite restarts (data on disk)', int('--azurite-restarts'), 1)
    .option('--no-network', 'no toxiproxy: workers reach Temporal and Azurite directly (no partitions, no storage faults)')
    .option('--timeout-min <n>', 'give up after this many minutes', int('--timeout-min'), 30)
    .parse(process.argv);
  const o = program.opts<{
    seed?: number;
    conversations: number;
    days: number;
    kills: number;
    liveKills: number;
    sweepKills: number;
    reimportWindows: number;
    reimportKills: number;
    reconfigureKills: number;
    canKills: number;
    partitions: number;
    storageFaults: number;
    azuriteRestarts: number;
    network: boolean;
    timeoutMin: number;
  }>();
  if (o.reimportKills > 0 && o.reimportWindows === 0)
    throw new InvalidArgumentError('--reimport-kills needs a reimport: --reimport-windows ≥ 1.');
  const fromEnv = process.env.FAULT_SEED;
  const seed = o.seed ?? (fromEnv !== undefined && fromEnv !== '' ? int('FAULT_SEED')(fromEnv) : Math.floor(Math.random() * 1_000_000));
  console.log(`fault suite: seed ${seed} (repeat with FAULT_SEED=${seed} npm run test:faults)`);
  const report = await runFaultScenario({
    seed,
    conversations: o.conversations,
    days: o.days,
    kills: {
      ...spreadWithLive(o.kills, o.liveKills),
      sweep: o.sweepKills,
      reimport: o.reimportKills,
      reconfigure: o.reconfigureKills,
      'continue-as-new': o.canKills,
    },
    ...(o.reimportWindows > 0 ? { reimport: { windows: o.reimportWindows } } : {}),
    maxWindowsPerRun: 3,
    killGapMs: [3_000, 9_000],
    ...(o.network
      ? {
          network: {
            temporalPartitions: o.partitions,
            partitionMs: [12_000, 25_000],
            temporalResets: 2,
            temporalLatency: 1,
            storageResets: o.storageFaults,
            storageTimeouts: o.storageFaults,
            storageLatency: o.storageFaults,
            storageBandwidth: o.storageFaults,
          },
          azuriteRestarts: o.azuriteRestarts,
        }
      : {}),
    workers: 2,
    restartTemporal: true,
    impairMailboxes: true,
    ...FULL_FAULTS,
    tuning: { heartbeatTimeoutMs: 10_000, fetchTimeoutMs: 30_000 },
    schedule: { backfillWindow: '12h', pageSize: 100, batchSize: 200, pageConcurrency: 4, sweepInterval: '1m' },
    timeoutMs: o.timeoutMin * 60_000,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(formatFaultReport(report, `FAULT_SEED=${seed} npm run test:faults`));
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(2);
  },
);
