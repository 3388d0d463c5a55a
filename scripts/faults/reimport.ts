import { runCli } from '../../src/cli/program';
import type { CliIO } from '../../src/cli/io';
import type { ReimportSummary } from '../../src/model';
import type { SeededRandom } from '../../emulators/shared/random';

/** A reimport the fault suite asks for, as an operator would: `connector reimport <name> --from --to`. */
export interface ReimportRequest {
  readonly from: number;
  readonly to: number;
}

/**
 * A seeded range of `windows` backfill windows (each `windowMs`, counted from the backfill start) that the
 * backfill has wholly covered (it ends at or before `cursor`); undefined while fewer are covered.
 */
export function reimportRange(
  rnd: SeededRandom,
  startAt: number,
  cursor: number,
  windowMs: number,
  windows: number,
): ReimportRequest | undefined {
  const covered = Math.floor((cursor - startAt) / windowMs);
  if (windows < 1 || covered < windows) return undefined;
  const first = rnd.int(0, covered - windows);
  return { from: startAt + first * windowMs, to: startAt + (first + windows) * windowMs };
}

/**
 * Starts a reimport through the ops CLI in-process (the same command, update and validation an operator's
 * `connector reimport` goes through) and returns its id; throws with the CLI's own message when it refuses.
 */
export async function startReimportThroughCli(
  temporal: { readonly address: string; readonly namespace: string },
  connector: string,
  range: ReimportRequest,
): Promise<{ readonly reimportId: string; readonly windows: number }> {
  let out = '';
  let err = '';
  // No cwd: the CLI reads no env file; the flags name the run's own Temporal.
  const io: CliIO = { stdout: { write: (t) => void (out += t) }, stderr: { write: (t) => void (err += t) }, env: {}, isTTY: false };
  const argv = ['--address', temporal.address, '--namespace', temporal.namespace, '-o', 'json', 'connector', 'reimport', connector];
  const code = await runCli([...argv, '--from', new Date(range.from).toISOString(), '--to', new Date(range.to).toISOString()], io);
  if (code !== 0) throw new Error(`connector reimport exited ${code}: ${err.trim() || out.trim()}`);
  const r = JSON.parse(out) as { reimportId?: string; windows?: number };
  if (!r.reimportId) throw new Error(`connector reimport answered without a reimport id: ${out.trim()}`);
  return { reimportId: r.reimportId, windows: r.windows ?? 0 };
}

/** The state of reimport `id` in a connector status (absent: not shown yet, or no status). */
export function reimportState(reimports: readonly ReimportSummary[] | undefined, id: string): ReimportSummary['state'] | undefined {
  return reimports?.find((r) => r.id === id)?.state;
}
