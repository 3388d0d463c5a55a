import { formatFaultReport } from '../../scripts/faults/report';
import { FULL_FAULTS, runFaultScenario } from '../../scripts/faults/scenario';
import { testServices } from '../setup/services';

/**
 * The CI variant of the fault suite (`npm run test:faults` is the full one): 500 conversations, two worker
 * processes that reach Temporal and Azurite through toxiproxy, SIGKILLed in the backfill and once in live
 * mode, one of them cut off from Temporal longer than the heartbeat timeout, its own Temporal dev server on
 * a SQLite file restarted once, the same emulator fault rates, one full mailbox and one lost mid-run. Seed
 * from FAULT_SEED, else random (printed).
 */
describe('fault suite, short variant', () => {
  it('loses and duplicates nothing while workers are killed or cut off, Temporal restarts and the services misbehave', async () => {
    const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 1_000_000);
    const report = await runFaultScenario({
      seed,
      conversations: 500,
      days: 1,
      // One kill early and one in the middle of the backfill, one while the connector follows live.
      kills: { 'backfill-early': 1, 'backfill-middle': 1, live: 1 },
      killGapMs: [2_000, 6_000],
      // One worker cut off from Temporal longer than the heartbeat timeout while it still reaches Graph.
      network: { temporalPartitions: { 'backfill-middle': 1 }, partitionMs: [12_000, 14_000] },
      workers: 2,
      restartTemporal: true,
      impairMailboxes: true,
      ...FULL_FAULTS,
      tuning: { heartbeatTimeoutMs: 10_000, fetchTimeoutMs: 30_000 },
      // Sweeps every minute bound each live follow to a minute, so the status (recorded when a follow returns) catches
      // up with the last live conversation soon after it closes.
      schedule: { backfillWindow: '8h', pageSize: 100, batchSize: 100, pageConcurrency: 4, sweepInterval: '1m' },
      timeoutMs: 260_000,
      azuriteConnectionString: testServices().azuriteConnectionString,
      log: process.env.FAULT_LOG ? (line) => console.log(line) : () => undefined,
    });
    const text = formatFaultReport(report, `FAULT_SEED=${seed} npx jest test/faults/short.test.ts`);
    console.log(text);
    expect(report.verdicts.filter((v) => !v.pass)).toEqual([]);
    expect(report.finalStatus?.totals.fromSource).toBe(500);
  }, 320_000);
});
