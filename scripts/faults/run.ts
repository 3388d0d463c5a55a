/**
 * The full fault suite (`npm run test:faults`): a backfill of 5,000 conversations through two real worker
 * processes SIGKILLed at random moments, a Temporal dev server (SQLite file) restarted once, emulators
 * injecting 429s, 5xx, slow answers and dropped connections, one full mailbox and one lost mid-run; then
 * checks that nothing was lost or duplicated and prints the table of faults injected and survived.
 *
 *   npm run test:faults [-- --seed 1234 --conversations 5000 --kills 12]   (seed also from FAULT_SEED)
 */
import { Command, InvalidArgumentError } from 'commander';
import { formatFaultReport } from './report';
import { FULL_FAULTS, runFaultScenario } from './scenario';
import { relaunchTrustingLocalCa } from '../lib/local-ca';

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${v}".`);
    return n;
  };
}

async function main(): Promise<number> {
  // The Graph emulator serves HTTPS signed by the local CA: run trusting it (NODE_EXTRA_CA_CERTS).
  await relaunchTrustingLocalCa();
  const program = new Command('test:faults')
    .option('--seed <n>', 'seed of data, faults and kill schedule (default FAULT_SEED or random)', int('--seed'))
    .option('--conversations <n>', 'conversations to backfill', int('--conversations'), 5000)
    .option('--days <n>', 'spread over this many days', int('--days'), 3)
    .option('--kills <n>', 'worker SIGKILLs at random moments', int('--kills'), 12)
    .option('--timeout-min <n>', 'give up after this many minutes', int('--timeout-min'), 30)
    .parse(process.argv);
  const o = program.opts<{ seed?: number; conversations: number; days: number; kills: number; timeoutMin: number }>();
  const fromEnv = process.env.FAULT_SEED;
  const seed = o.seed ?? (fromEnv !== undefined && fromEnv !== '' ? int('FAULT_SEED')(fromEnv) : Math.floor(Math.random() * 1_000_000));
  console.log(`fault suite: seed ${seed} (repeat with FAULT_SEED=${seed} npm run test:faults)`);
  const report = await runFaultScenario({
    seed,
    conversations: o.conversations,
    days: o.days,
    kills: o.kills,
    killGapMs: [3_000, 9_000],
    workers: 2,
    restartTemporal: true,
    impairMailboxes: true,
    ...FULL_FAULTS,
    tuning: { heartbeatTimeoutMs: 10_000, fetchTimeoutMs: 30_000 },
    schedule: { backfillWindow: '12h', pageSize: 100, batchSize: 200, pageConcurrency: 4 },
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
