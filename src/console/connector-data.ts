import type { FailureRow, LogCounts } from '../model';
import { readStatus } from '../cli/connector-lookup';
import { listConnectors, type ConnectorListRow } from '../cli/connector-rows';
import { readDayLog, type DayCounts, type LogStore } from '../cli/day-log';
import { unmappedParticipants, type UnmappedParticipant } from '../cli/day-log-gaps';
import { dayLogsCsv } from '../cli/format-day-log';
import { readLogRange } from '../cli/log-range';
import type { StatusView } from '../cli/status-view';
import type { ConnectedClient } from '../cli/temporal-client';

/** How long a page waits for a worker to answer a connector's status query. */
const STATUS_TIMEOUT_MS = 5_000;

/** One line of the connectors page. */
export interface ConnectorOverview {
  readonly name: string;
  /** Temporal's status of the workflow (RUNNING, COMPLETED, …). */
  readonly workflowStatus: string;
  /** The connector's own state (live, paused, …), from the status query, else from visibility. */
  readonly state?: string;
  readonly cursor?: string;
  readonly lagSeconds?: number;
  /** When the newest log row was written (the last import), ISO. */
  readonly lastImport?: string;
  /** Today's counts (UTC day), from the status query. */
  readonly today?: LogCounts;
  /** Why the status could not be read (no worker answered, …). */
  readonly problem?: string;
}

/** Everything the page of one connector shows. */
export interface ConnectorDetail {
  readonly overview: ConnectorOverview;
  readonly status?: StatusView;
  readonly days: readonly { readonly day: string; readonly counts: DayCounts; readonly completedAt?: string }[];
  readonly recentFailures: readonly FailureRow[];
  readonly unmapped: readonly UnmappedParticipant[];
  readonly from: string;
  readonly to: string;
}

const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

async function statusOf(c: ConnectedClient, name: string): Promise<{ status?: StatusView; problem?: string }> {
  try {
    return { status: await readStatus(c, name, STATUS_TIMEOUT_MS) };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/** The newest day with items, and when its last row was written. */
async function lastImport(store: LogStore, name: string, status: StatusView | undefined): Promise<string | undefined> {
  const day = [...(status?.days ?? [])].reverse().find((d) => d.counts.forImport > 0)?.day;
  if (!day) return undefined;
  return (await readDayLog(store, name, day)).completedAt;
}

function overview(
  row: ConnectorListRow,
  status: StatusView | undefined,
  problem: string | undefined,
  last: string | undefined,
  now: number,
): ConnectorOverview {
  const today = status?.days.find((d) => d.day === utcDay(now))?.counts;
  const state = status?.state ?? row.state;
  const cursor = status?.cursor ?? row.cursor;
  return {
    name: row.name,
    workflowStatus: row.status,
    ...(state !== undefined ? { state } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
    ...(status ? { lagSeconds: status.lagSeconds } : {}),
    ...(last !== undefined ? { lastImport: last } : {}),
    ...(today ? { today } : {}),
    ...(problem !== undefined ? { problem } : {}),
  };
}

/** What the console reads, through the CLI's own functions (visibility, the status query, the day logs). */
export class ConnectorData {
  constructor(
    private readonly client: ConnectedClient,
    private readonly store: LogStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every connector with state, last import, lag and today's counts. */
  async list(): Promise<ConnectorOverview[]> {
    const rows = await listConnectors(this.client);
    return Promise.all(
      rows.map(async (row) => {
        const { status, problem } = await statusOf(this.client, row.name);
        return overview(row, status, problem, await lastImport(this.store, row.name, status), this.now());
      }),
    );
  }

  /** One connector: its status, the day logs of `from`..`to`, recent failures and unmapped participants. */
  async detail(name: string, from: string | undefined, to: string | undefined): Promise<ConnectorDetail | undefined> {
    const row = (await listConnectors(this.client)).find((r) => r.name === name);
    if (!row) return undefined;
    const { days, logs } = await readLogRange(this.store, name, from, to);
    const { status, problem } = await statusOf(this.client, name);
    const last = [...logs].reverse().find((d) => d.completedAt !== undefined)?.completedAt ?? (await lastImport(this.store, name, status));
    return {
      overview: overview(row, status, problem, last, this.now()),
      ...(status ? { status } : {}),
      days: logs.map((d) => ({ day: d.day, counts: d.counts, ...(d.completedAt ? { completedAt: d.completedAt } : {}) })),
      recentFailures: status?.recentFailures ?? [],
      unmapped: unmappedParticipants(logs.flatMap((d) => d.rows)),
      from: days[0]!,
      to: days[days.length - 1]!,
    };
  }

  /** The CSV of `log <name> --from --to -o csv`, byte for byte. */
  async logCsv(name: string, from: string | undefined, to: string | undefined): Promise<{ csv: string; from: string; to: string }> {
    const { days, logs } = await readLogRange(this.store, name, from, to);
    return { csv: dayLogsCsv(logs), from: days[0]!, to: days[days.length - 1]! };
  }

  /** True when a connector of this name exists (any workflow status). */
  async exists(name: string): Promise<boolean> {
    return (await listConnectors(this.client)).some((r) => r.name === name);
  }
}
