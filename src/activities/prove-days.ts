import { completenessBlobName, connectorFolder, errorKind, utcDay, type ConnectorConfig } from '../model';
import { rawConversationId, rawEndTime } from '../pipeline/window-filter';
import { proveDay, windowOverlaps, MISSING_SHOWN, type DayProof, type ReportedVersion } from '../pipeline/completeness';
import type { WindowManifest } from '../pipeline/manifest';
import { heartbeat } from '../runtime/heartbeat';
import type { DayCheck } from '../model';
import type { CompletenessRecord, ProveDaysInput, ProveDaysResult } from './contracts';
import { withFullReach } from './fetch-batch';
import type { ActivityDeps } from './ports';

const DAY_MS = 86_400_000;
/** Longest window whose manifest can overlap a day from before it (CONFIG_BOUNDS.maxBackfillWindowMs is 90 days). */
const LONGEST_WINDOW_DAYS = 91;
/** Checks of a day kept in its proof blob (the newest). */
const CHECKS_KEPT = 20;

/**
 * The daily completeness proof of the given days: for each, every conversation LivePerson reports as closed in
 * the part of the day the connector covers (searched with LivePerson's whole retention as the start reach, so
 * however long a conversation stayed open), against the manifests of every window that overlaps the day. Each
 * proof is written to `logs/<connector>/<day>.completeness.json` (with the history of its checks), and the
 * workflow gets the summaries.
 */
export function makeProveDays(deps: ActivityDeps) {
  return async function proveDays(input: ProveDaysInput): Promise<ProveDaysResult> {
    const days: DayCheck[] = [];
    const names = await manifestNames(deps, input.config.name, input.days);
    for (const d of input.days) {
      if (deps.retentionDays !== undefined && d.to <= Date.now() - deps.retentionDays * DAY_MS) {
        days.push(expired(d.day));
        continue;
      }
      const reported = await reportedClosed(deps, input.config, d.from, d.to);
      const manifests = await manifestsOverlapping(deps, input.config.name, names, d.from, d.to);
      const proof = proveDay(d.day, reported, manifests);
      const blob = completenessBlobName(input.config.name, d.day);
      await writeRecord(deps, blob, input.config.name, d, proof);
      days.push(summary(proof, blob));
    }
    return { days };
  };
}

/** Conversation versions LivePerson reports as closed in [from, to), whatever their start (within retention). */
async function reportedClosed(deps: ActivityDeps, config: ConnectorConfig, from: number, to: number): Promise<ReportedVersion[]> {
  const source = deps.source(withFullReach(config));
  const out: ReportedVersion[] = [];
  const window = { from, to };
  for (let offset = 0; ;) {
    heartbeat();
    const page = await source.searchClosed(window, offset, 100);
    for (const r of page.records) {
      const end = rawEndTime(r);
      const id = rawConversationId(r);
      if (end !== undefined && end >= from && end < to && id) out.push({ conversationId: id, version: String(end) });
    }
    if (page.nextOffset === undefined || page.records.length === 0) break;
    offset = page.nextOffset;
  }
  return out;
}

/**
 * Names of the connector's manifests (its windows, sweeps, reimports and repairs) whose window may overlap the
 * days: labels start with the window's start (`YYYYMMDDThhmmssZ-…`), so one listing per month from the longest
 * window before the first day to the last day.
 */
async function manifestNames(deps: ActivityDeps, connector: string, days: ProveDaysInput['days']): Promise<string[]> {
  const folder = `${connectorFolder(connector)}/`;
  const first = Math.min(...days.map((d) => d.from)) - LONGEST_WINDOW_DAYS * DAY_MS;
  const last = Math.max(...days.map((d) => d.to));
  const months = new Set<string>();
  for (let t = first; t < last + DAY_MS; t += DAY_MS) months.add(utcDay(t).slice(0, 7).replace('-', ''));
  const names: string[] = [];
  for (const month of months) {
    heartbeat();
    names.push(...(await deps.staging.list('manifests', `${folder}${month}`)));
  }
  return names;
}

/** The manifests among `names` whose window overlaps [from, to). */
async function manifestsOverlapping(
  deps: ActivityDeps,
  connector: string,
  names: readonly string[],
  from: number,
  to: number,
): Promise<WindowManifest[]> {
  const folder = `${connectorFolder(connector)}/`;
  const out: WindowManifest[] = [];
  for (const name of names) {
    const label = name.slice(folder.length).replace(/\.json$/, '');
    if (!windowOverlaps(label, from, to)) continue;
    heartbeat();
    out.push(await deps.staging.getJson<WindowManifest>('manifests', name));
  }
  return out;
}

async function writeRecord(
  deps: ActivityDeps,
  blob: string,
  connector: string,
  d: ProveDaysInput['days'][number],
  proof: DayProof,
): Promise<void> {
  let previous: CompletenessRecord | undefined;
  try {
    previous = await deps.staging.getJson<CompletenessRecord>('logs', blob);
  } catch (err) {
    if (errorKind(err) !== 'not-found') throw err;
  }
  const checkedAt = new Date().toISOString();
  const check = { checkedAt, status: proof.status, reported: proof.reported, missing: proof.missing.map((m) => m.conversationId) };
  const record: CompletenessRecord = {
    connector,
    covers: { from: new Date(d.from).toISOString(), to: new Date(d.to).toISOString() },
    ...proof,
    checkedAt,
    checks: [...(previous?.checks ?? []), check].slice(-CHECKS_KEPT),
  };
  await deps.staging.putJson('logs', blob, record);
}

/** A day past the worker's retention: not checked (its manifests may be gone), and not checked again. */
function expired(day: string): DayCheck {
  return { day, status: 'expired', reported: 0, archived: 0, failed: 0, missing: [], missingTotal: 0, proof: '' };
}

function summary(proof: DayProof, blob: string): DayCheck {
  return {
    day: proof.day,
    status: proof.status,
    reported: proof.reported,
    archived: proof.archived,
    failed: proof.failed,
    missing: proof.missing.slice(0, MISSING_SHOWN).map((m) => m.conversationId),
    missingTotal: proof.missing.length,
    proof: blob,
  };
}
