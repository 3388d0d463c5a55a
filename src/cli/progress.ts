import { SingleBar } from 'cli-progress';
import type { ConnectorStatus } from '../model';

/** What the progress view reads of a status. */
export type ProgressStatus = Pick<ConnectorStatus, 'state' | 'cursor' | 'lagSeconds' | 'totals'>;
import type { CliIO } from './io';
import { println } from './io';
import { isoTime, type FormatTime } from './time-format';

/** One observation of a connector's backfill: where its cursor was, when. */
export interface Sample {
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
  update(s: ProgressStatus, at: number): void;
  stop(): void;
}

/** Where the backfill started and how fast it has gone so far, as far as the caller knows. */
export interface ProgressOrigin {
  /** The backfill start (the config's start date); when unknown, the first observed cursor. */
  readonly from?: number;
  /**
   * When the current run of the workflow started and where its cursor was then: the backfill rate before
   * this watch began, so the ETA is known before the cursor moves under our eyes (windows can take minutes).
   */
  readonly runStart?: Sample;
  /** How times are shown in plain lines (default ISO 8601 UTC). */
  readonly time?: FormatTime;
}

/**
 * The progress of `s` observed at `at`: from this watch's own samples once the cursor moved during it
 * (the current rate), else from the run's start (the backfill rate so far).
 */
export function createProgressView(io: CliIO, origin: ProgressOrigin = {}): ProgressView {
  let first: Sample | undefined;
  let start = origin.from;
  const time = origin.time ?? isoTime;
  const compute = (s: ProgressStatus, at: number) => {
    const sample = { at, cursor: Date.parse(s.cursor) };
    first ??= sample;
    start ??= origin.runStart?.cursor ?? sample.cursor;
    const base = sample.cursor > first.cursor || !origin.runStart ? first : origin.runStart;
    return backfillProgress(start, base, sample, s.lagSeconds * 1000);
  };
  const fields = (s: ProgressStatus) => ({
    state: s.state,
    cursor: time(s.cursor),
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
        `${time(at)}  ${f.state}  cursor ${time(s.cursor)}  ${p.percent.toFixed(1)}%  ETA ${formatEta(p.etaSeconds)}  ${f.imported} imported  ${f.failed} failed`,
      );
    },
    stop() {},
  };
}
