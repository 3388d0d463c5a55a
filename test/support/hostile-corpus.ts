import * as fs from 'node:fs';
import * as path from 'node:path';
import { lpTime } from '../../emulators/liveperson/data/render';

/**
 * The hostile-input corpus of test/fixtures/hostile: raw MI records as LivePerson could send them. Files stay
 * small: placeholders are filled in when loaded.
 * - strings `$end`, `$start`, `$endLater` (numbers), `$endText`, `$startText`, `$endLaterText` (LivePerson time
 *   strings), `$endString`, `$startString` (numbers written as strings), `$t:N` (start + N seconds),
 *   `$account`, `$agent`, `$agentLogin`, `$agentName` (a real agent of the emulated account) — also inside strings
 *   for `$account`;
 * - `{ "$repeat": s, "times": n }` → s repeated n times (absurd sizes without megabytes in git);
 * - `{ "$array": n, "of": template }` → n copies of template with `{i}` replaced by the index.
 */

export const HOSTILE_DIR = path.join(__dirname, '..', 'fixtures', 'hostile');

/** What a hostile record must become: an item, a failed row with a reason, or either of the two. */
export type HostileExpectation = 'imported' | 'failed' | 'either';

export interface HostileCase {
  readonly file: string;
  readonly note: string;
  readonly expect: HostileExpectation;
  /** The record, placeholders filled in. */
  readonly record: unknown;
  /** When search finds it (the injection time, whatever the record says). */
  readonly endTime: number;
  /** The id the connector log names it by: its conversation id (a number as text), or `unknown-conversation` when it has none. */
  readonly logId: string;
}

export interface CorpusContext {
  readonly accountId: string;
  readonly agent: { readonly id: string; readonly loginName: string; readonly fullName: string };
  /** End time for the n-th record of the corpus (spread them over the window). */
  readonly endTimeOf: (n: number) => number;
}

interface FixtureFile {
  readonly description: string;
  readonly records: readonly {
    readonly expect: HostileExpectation;
    readonly note: string;
    readonly record: unknown;
    /** Closes at the same instant as the record before it (the same conversation version when the id is the same). */
    readonly sameEndAsPrevious?: boolean;
  }[];
}

const CONVERSATION_LENGTH_MS = 5 * 60_000;

function expandMacros(v: unknown, index?: number): unknown {
  if (typeof v === 'string') return index === undefined ? v : v.split('{i}').join(String(index));
  if (Array.isArray(v)) return v.map((x) => expandMacros(x, index));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$repeat === 'string' && typeof o.times === 'number') return o.$repeat.repeat(o.times);
    if (typeof o.$array === 'number') return Array.from({ length: o.$array }, (_, i) => expandMacros(o.of, i));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expandMacros(x, index)]));
  }
  return v;
}

function fill(v: unknown, values: Readonly<Record<string, unknown>>, start: number): unknown {
  if (typeof v === 'string') {
    if (Object.prototype.hasOwnProperty.call(values, v)) return values[v];
    const t = /^\$t:(\d+)$/.exec(v);
    if (t) return start + Number(t[1]) * 1000;
    return v.split('$account').join(String(values.$account));
  }
  if (Array.isArray(v)) return v.map((x) => fill(x, values, start));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, values, start)]));
  return v;
}

function logIdOf(record: unknown): string {
  const id = (record as { info?: { conversationId?: unknown } } | null)?.info?.conversationId;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id); // the normaliser reads numbers as ids
  return typeof id === 'string' && id.length > 0 ? id : 'unknown-conversation';
}

/** Every record of every corpus file, in file order, ready to inject. */
export function loadHostileCorpus(ctx: CorpusContext): HostileCase[] {
  const files = fs
    .readdirSync(HOSTILE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const out: HostileCase[] = [];
  for (const file of files) {
    const fixture = JSON.parse(fs.readFileSync(path.join(HOSTILE_DIR, file), 'utf8')) as FixtureFile;
    for (const entry of fixture.records) {
      const previous = out[out.length - 1];
      const end = entry.sameEndAsPrevious && previous ? previous.endTime : ctx.endTimeOf(out.length);
      const start = end - CONVERSATION_LENGTH_MS;
      const later = end + 60_000;
      const values: Record<string, unknown> = {
        $end: end,
        $start: start,
        $endLater: later,
        $endText: lpTime(end),
        $startText: lpTime(start),
        $endLaterText: lpTime(later),
        $endString: String(end),
        $startString: String(start),
        $account: ctx.accountId,
        $agent: ctx.agent.id,
        $agentLogin: ctx.agent.loginName,
        $agentName: ctx.agent.fullName,
      };
      const usesLater = JSON.stringify(entry.record)?.includes('"$endLater"') ?? false;
      const record = fill(expandMacros(entry.record), values, start);
      out.push({ file, note: entry.note, expect: entry.expect, record, endTime: usesLater ? later : end, logId: logIdOf(record) });
    }
  }
  return out;
}

/** Injects records into the LivePerson emulator (`POST /_emulator/records`), visible to search at once. */
export async function injectRecords(
  lpUrl: string,
  cases: readonly { readonly record: unknown; readonly endTime: number }[],
): Promise<void> {
  const res = await fetch(`${lpUrl}/_emulator/records`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ records: cases.map((c) => ({ endTime: c.endTime, visibleImmediately: true, record: c.record })) }),
  });
  if (res.status !== 201) throw new Error(`POST /_emulator/records answered ${res.status}: ${await res.text()}`);
}
