import type { CompletenessState, ConnectorStatus, DayCheck, DoneWindow } from '../model';

/** The late-arrival sweep as the CLI shows it: times as ISO 8601 UTC, like every other time. */
export interface SweepView {
  readonly runs: number;
  readonly found: number;
  readonly lastAt: string;
  readonly trackedFrom: string;
  readonly recent: readonly { readonly from: string; readonly to: string; readonly scope?: string }[];
}

/** The completeness proof as the CLI shows it: times as ISO 8601 UTC. */
export interface CompletenessView {
  readonly lastAt: string;
  readonly nextDay: string;
  readonly open: readonly (DayCheck & { readonly checkedAt: string })[];
  readonly settled: readonly (DayCheck & { readonly checkedAt: string })[];
  readonly foundLate: number;
}

/** The connector log as the CLI prints it: the status query's answer, with the lag as of the query. */
export interface StatusView extends Omit<ConnectorStatus, 'sweep' | 'completeness'> {
  /** When the status was read (ISO 8601 UTC); `lagSeconds` is now − cursor at that time. */
  readonly asOf: string;
  readonly sweep?: SweepView;
  readonly completeness?: CompletenessView;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The status as of `asOf` (epoch ms). The workflow's own `lagSeconds` is frozen at its last workflow task
 * (its clock only moves when it runs), so an idle connector looked 61 s behind while it was 85: the lag is
 * computed here from the cursor and the time of the query. Epoch-ms fields become ISO 8601 UTC.
 */
export function statusAt(s: ConnectorStatus, asOf: number): StatusView {
  const { sweep, completeness, ...rest } = s;
  const lagAt = (iso: string, frozen: number): number => {
    const cursor = Date.parse(iso);
    return Number.isFinite(cursor) ? Math.max(0, Math.round((asOf - cursor) / 1000)) : frozen;
  };
  return {
    ...rest,
    lagSeconds: lagAt(s.cursor, s.lagSeconds),
    ...(s.sources
      ? {
          sources: {
            messaging: { ...s.sources.messaging, lagSeconds: lagAt(s.sources.messaging.cursor, s.sources.messaging.lagSeconds) },
            chat: { ...s.sources.chat, lagSeconds: lagAt(s.sources.chat.cursor, s.sources.chat.lagSeconds) },
          },
        }
      : {}),
    asOf: iso(asOf),
    ...(sweep
      ? {
          sweep: {
            runs: sweep.runs,
            found: sweep.found,
            lastAt: iso(sweep.lastAt),
            trackedFrom: iso(sweep.trackedFrom),
            recent: sweep.recent.map((w: DoneWindow) => ({ from: iso(w.from), to: iso(w.to), ...(w.scope ? { scope: w.scope } : {}) })),
          },
        }
      : {}),
    ...(completeness ? { completeness: completenessView(completeness) } : {}),
  };
}

function completenessView(c: CompletenessState): CompletenessView {
  const day = (d: CompletenessState['open'][number]) => ({ ...d, checkedAt: iso(d.checkedAt) });
  return { lastAt: iso(c.lastAt), nextDay: c.nextDay, open: c.open.map(day), settled: c.settled.map(day), foundLate: c.foundLate };
}
