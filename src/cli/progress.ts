import { SingleBar } from 'cli-progress';
import type { ConnectorStatus } from '../model';
import type { CliIO } from './io';
import { println } from './io';

/** One observation of a connector's backfill: where its cursor was, when. */
interface Sample {
  readonly at: number;
  readonly cursor: number;
}

/** Backfill progress: share of [from, now) archived, and the time to catch up at the observed speed. */
export interface BackfillProgress {
  readonly percent: number;
  /** Seconds until the cursor reaches now, or undefined before the speed is known (or when it is not gaining). */
  readonly etaSeconds?: number;
}

/**
 * The cursor chases a moving target (now − lag), so the catch-up time is the lag divided by how much
 * faster than real time the cursor moves, not cli-progress's own value/total extrapolation.
 */
export function backfillProgress(from: number, first: Sample, last: Sample, lagMs: number): BackfillProgress {
  const span = last.cursor + lagMs - from;
  const percent = span <= 0 ? 100 : Math.min(100, Math.max(0, ((last.cursor - from) / span) * 100));
  const elapsed = last.at - first.at;
  if (elapsed <= 0 || last.cursor <= first.cursor) return { percent };
  const gain = (last.cursor - first.cursor) / elapsed - 1; // cursor ms gained on the clock per wall ms
  return gain > 0 ? { percent, etaSeconds: Math.round(lagMs / gain / 1000) } : { percent };
}

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** Shows a connector's progress while it is watched: a bar with ETA on a terminal, plain lines otherwise. */
export interface ProgressView {
  update(s: ConnectorStatus, at: number): void;
  stop(): void;
}

/** `from`: the backfill start; when unknown, the first observed cursor. */
export function createProgressView(io: CliIO, from: number | undefined): ProgressView {
  let first: Sample | undefined;
  let start = from;
  const compute = (s: ConnectorStatus, at: number) => {
    const sample = { at, cursor: Date.parse(s.cursor) };
    first ??= sample;
    start ??= sample.cursor;
    return backfillProgress(start, first, sample, s.lagSeconds * 1000);
  };
  const fields = (s: ConnectorStatus) => ({
    state: s.state,
    cursor: s.cursor.slice(0, 19).replace('T', ' '),
    imported: s.totals.imported + s.totals.partial,
    failed: s.totals.failed,
  });

  if (io.isTTY && io.progressStream) {
    const bar = new SingleBar({
      stream: io.progressStream,
      format: '{bar} {percentage}% | ETA {etaText} | {state} | cursor {cursor} | {imported} imported | {failed} failed',
      hideCursor: true,
      clearOnComplete: false,
    });
    let started = false;
    return {
      update(s, at) {
        const p = compute(s, at);
        const payload = { ...fields(s), etaText: formatEta(p.etaSeconds) };
        const value = Math.floor(p.percent * 10);
        if (!started) {
          bar.start(1000, value, payload);
          started = true;
        } else bar.update(value, payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  return {
    update(s, at) {
      const p = compute(s, at);
      const f = fields(s);
      println(
        io.stdout,
        `${new Date(at).toISOString()}  ${f.state}  cursor ${s.cursor}  ${p.percent.toFixed(1)}%  ETA ${formatEta(p.etaSeconds)}  ${f.imported} imported  ${f.failed} failed`,
      );
    },
    stop() {},
  };
}
