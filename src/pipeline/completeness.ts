/**
 * The daily completeness proof, free of I/O (used by the proveDays activity and unit-tested alone): what
 * LivePerson reports as closed in a day against what the connector's window manifests hold. Microsoft's log
 * rule (available = imported + partial + skipped + failed) only counts what a connector found; this proves
 * that it found everything LivePerson has.
 */
import type { WindowManifest } from './manifest';

/** A conversation version LivePerson reports as closed in the day (the version is its end time, as in normalize). */
export interface ReportedVersion {
  readonly conversationId: string;
  readonly version: string;
}

/** Most missing conversation ids a proof names in the workflow state and status (the proof blob names them all). */
export const MISSING_SHOWN = 20;

/** The proof of one UTC day (`YYYY-MM-DD`), over the part of the day the connector covers. */
export interface DayProof {
  readonly day: string;
  readonly status: 'complete' | 'incomplete';
  /** Conversation versions LivePerson reports as closed in the day. */
  readonly reported: number;
  /** Of those, archived: a sealed item in a manifest (imported or partially imported in the mailboxes). */
  readonly archived: number;
  /** Of those, logged as failed (the reason is in the day's log). */
  readonly failed: number;
  /** Versions in no manifest: not yet archived, nor logged. */
  readonly missing: readonly ReportedVersion[];
}

/** The proof blob of a day (container `logs`, completenessBlobName): the latest proof and the history of its checks. */
export interface CompletenessRecord extends DayProof {
  readonly connector: string;
  /** The part of the day the connector covers (its start date may fall within the day). */
  readonly covers: { readonly from: string; readonly to: string };
  readonly checkedAt: string;
  readonly checks: readonly {
    readonly checkedAt: string;
    readonly status: DayProof['status'];
    readonly reported: number;
    readonly missing: readonly string[];
  }[];
}

/** The proof of a day from LivePerson's report and the manifests of every window that overlaps the day. */
export function proveDay(day: string, reported: readonly ReportedVersion[], manifests: readonly WindowManifest[]): DayProof {
  const archived = new Set<string>();
  const failed = new Set<string>();
  const failedAnyVersion = new Set<string>();
  for (const m of manifests) {
    for (const it of m.items) archived.add(key(it.conversationId, it.version));
    for (const f of m.failed ?? []) {
      // A record that could not be read is logged with version `-`: it stands for every version of its id.
      if (f.version === '-') failedAnyVersion.add(f.conversationId);
      else failed.add(key(f.conversationId, f.version));
    }
  }
  let nArchived = 0;
  let nFailed = 0;
  const missing: ReportedVersion[] = [];
  const distinct = new Map(reported.map((r) => [key(r.conversationId, r.version), r]));
  for (const [k, r] of distinct) {
    if (archived.has(k)) nArchived++;
    else if (failed.has(k) || failedAnyVersion.has(r.conversationId)) nFailed++;
    else missing.push(r);
  }
  missing.sort((a, b) => a.conversationId.localeCompare(b.conversationId) || a.version.localeCompare(b.version));
  return {
    day,
    status: missing.length === 0 ? 'complete' : 'incomplete',
    reported: distinct.size,
    archived: nArchived,
    failed: nFailed,
    missing,
  };
}

/** The manifests (by window label `<from>-<to>[~scope]`) whose window overlaps [from, to). */
export function windowOverlaps(label: string, from: number, to: number): boolean {
  const m = /^(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)/.exec(label);
  if (!m?.[1] || !m[2]) return false;
  const wFrom = parseCompact(m[1]);
  const wTo = parseCompact(m[2]);
  return wFrom < to && wTo > from;
}

function parseCompact(s: string): number {
  return Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
}

function key(conversationId: string, version: string): string {
  return `${conversationId}\u0000${version}`;
}
