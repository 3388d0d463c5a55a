import { totalActions } from './actions';
import { formatCpu } from './cpu';
import type { FleetResult } from './fleet';
import { fmt, quantile, type Row } from './table';

/** Issue 22's targets for many connectors following live on one worker. */
export const FLEET_TARGET = { p95: 120, rssMb: 1024 } as const;

/** The fleet phase's rows of the bench table. */
export function fleetRows(f: FleetResult): Row[] {
  const n = f.connectors;
  const p95 = quantile(f.latencies, 0.95);
  const hour = (x: number): string => fmt((x * 3600) / f.seconds, 0);
  const a = f.actions;
  return [
    { metric: `fleet: ${n} connectors live (own accounts, own mailboxes) after, s`, value: fmt(f.liveAfterSeconds, 0) },
    {
      metric: `fleet: samples arrived / missing (over ${f.connectorsSampled} connectors)`,
      value: `${f.latencies.length} / ${f.missing}`,
    },
    { metric: 'fleet: p50 close → mailbox, s', value: fmt(quantile(f.latencies, 0.5)) },
    {
      metric: 'fleet: p95 close → mailbox, s',
      value: fmt(p95),
      target: `≤ ${FLEET_TARGET.p95}`,
      ok: f.missing === 0 && p95 <= FLEET_TARGET.p95,
    },
    {
      metric: 'fleet: worker peak RSS (incl. start-up) / at the end, MB',
      value: `${fmt(f.peakRssMb, 0)} / ${fmt(f.endRssMb, 0)}`,
      target: `≤ ${FLEET_TARGET.rssMb}`,
      ok: f.peakRssMb <= FLEET_TARGET.rssMb,
    },
    {
      metric: `fleet: Temporal actions per hour, all ${n} connectors (per connector)`,
      value: `${hour(totalActions(a))} (${fmt((totalActions(a) * 3600) / f.seconds / n, 1)})`,
    },
    {
      metric: '  activity attempts / timers / upserts / heartbeats / workflow starts, per hour',
      value: [a.activityAttempts, a.timers, a.upsertSearchAttributes, a.heartbeats, a.workflowStarts].map(hour).join(' / '),
    },
    { metric: '  lease reads (DescribeWorkflowExecution, not billed) per second', value: fmt(f.describes / f.seconds) },
    { metric: '  LivePerson requests per hour', value: hour(f.livePersonRequests) },
    { metric: `  CPU seconds in ${fmt(f.seconds, 0)} s`, value: formatCpu(f.cpuSeconds) },
  ];
}
