import type { LogRow } from '../../src/cli/day-log';
import { importKey } from '../../src/model';

/** One line of the verdict: what was checked, whether it held, and the numbers behind it. */
export interface Verdict {
  readonly check: string;
  readonly pass: boolean;
  readonly detail: string;
}

/** A row of the connector log and where it was written. */
export interface OriginRow {
  readonly row: LogRow;
  /**
   * The scope of the reimport whose log part holds the row (`<window>~r-…-page-….csv`); absent for the
   * connector's own windows, sweeps and repairs.
   */
  readonly reimport?: string;
}

/** A mailbox item of the connector, as the Graph emulator's inspection shows it. */
export interface HeldItem {
  readonly userId: string;
  readonly importKey?: string;
  readonly isDraft: boolean;
}

export interface PairCheckInput {
  readonly connector: string;
  /** The connector's items in every mailbox (import key `lp-archive:<connector>:…`). */
  readonly items: readonly HeldItem[];
  readonly rows: readonly OriginRow[];
  /** Mailboxes made unusable on purpose: an item there may have been written before the create failed. */
  readonly impaired: ReadonlySet<string>;
}

export interface PairCheckResult {
  readonly verdicts: Verdict[];
  /** How often each `<user>|<import key>` is in the mailboxes. */
  readonly held: ReadonlyMap<string, number>;
  /** Every row of each pair, the connector's own first. */
  readonly pairRows: ReadonlyMap<string, readonly LogRow[]>;
  /** Held pairs the connector logged failed in an impaired mailbox (written before it failed), not imported since. */
  readonly heldButFailed: number;
  /** Held pairs the connector logged failed that a reimport then imported. */
  readonly filledByReimport: number;
}

/** A reimport's log part: `<connector>/<day>/<window>~r-<run>-<n>-page-<page>.csv` (scopedWindowLabel, logPartBlobName). */
const REIMPORT_PART = /~(r-[A-Za-z0-9_-]+?)-page-\d+\.csv$/;

/** The scope of the reimport that wrote a log part (by its name); undefined for the connector's own parts. */
export function reimportScopeOf(logPart: string): string | undefined {
  return REIMPORT_PART.exec(logPart)?.[1];
}

const SUCCESS = new Set(['imported', 'partial', 'skipped-duplicate']);

/** `<user>|<import key>`: one (mailbox, conversation version) pair. */
export function pairKey(connector: string, userId: string, conversationId: string, version: string): string {
  return `${userId}|${importKey(connector, conversationId, version)}`;
}

/**
 * The mailboxes against the log, pair by pair. The connector's own windows log each pair once; a reimport
 * logs the pairs of its range again (`skipped-duplicate` for what it found by import key, `imported` for what
 * it wrote), so its rows are counted apart: at most one per pair and reimport, and only for a pair the mailbox
 * holds exactly once (a reimport never creates a second item). Nothing in the fault suite removes an item, so
 * a reimport that says it imported a pair the connector had imported mislabels a duplicate (a retried attempt
 * must tell what was there before the reimport from its own lost writes). A pair held must have a row of the
 * connector's own: a reimport cannot stand in for a pair the backfill never logged.
 */
export function checkPairs(input: PairCheckInput): PairCheckResult {
  const { connector, items, impaired } = input;
  const verdicts: Verdict[] = [];
  const add = (check: string, pass: boolean, detail: string): void => void verdicts.push({ check, pass, detail });

  const held = new Map<string, number>();
  for (const i of items) held.set(`${i.userId}|${i.importKey}`, (held.get(`${i.userId}|${i.importKey}`) ?? 0) + 1);
  const duplicates = [...held].filter(([, n]) => n > 1);
  add(
    'no (mailbox, item) pair twice',
    duplicates.length === 0,
    `${items.length} items, ${held.size} distinct pairs${duplicates[0] ? `; e.g. ${duplicates[0][0]} ×${duplicates[0][1]}` : ''}`,
  );
  add(
    'no drafts',
    items.every((i) => !i.isDraft),
    `${items.filter((i) => i.isDraft).length} drafts`,
  );

  const own = new Map<string, LogRow[]>();
  /** Per pair, its rows by reimport scope. */
  const again = new Map<string, Map<string, LogRow[]>>();
  let ownRows = 0;
  let reimportRows = 0;
  for (const { row, reimport } of input.rows) {
    if (reimport === undefined) ownRows++;
    else reimportRows++;
    if (row.m365User === '-') continue;
    const k = pairKey(connector, row.m365User, row.itemId, row.version);
    if (reimport === undefined) own.set(k, [...(own.get(k) ?? []), row]);
    else {
      const scopes = again.get(k) ?? new Map<string, LogRow[]>();
      scopes.set(reimport, [...(scopes.get(reimport) ?? []), row]);
      again.set(k, scopes);
    }
  }
  const reimportsOf = (k: string): LogRow[] => [...(again.get(k)?.values() ?? [])].flat();

  const twice = [...own].filter(([, l]) => l.length > 1);
  const twiceInAReimport = [...again].filter(([, scopes]) => [...scopes.values()].some((l) => l.length > 1));
  const scopes = new Set(input.rows.flatMap((r) => (r.reimport !== undefined ? [r.reimport] : [])));
  add(
    'one log row per (mailbox, item) pair',
    twice.length === 0 && twiceInAReimport.length === 0,
    `${ownRows} rows of the connector's windows${scopes.size > 0 ? `, ${reimportRows} of ${scopes.size} reimport(s) counted apart` : ''}` +
      `${twice[0] ? `; e.g. ${twice[0][0]}: ${twice[0][1].map((r) => r.result).join(', ')}` : ''}` +
      `${twiceInAReimport[0] ? `; in one reimport twice: ${twiceInAReimport[0][0]}` : ''}`,
  );

  // A reimport's row for a pair: the mailbox holds it exactly once (imported or found) or the row says it failed.
  if (scopes.size > 0) {
    const tally = new Map<string, number>();
    let alreadyImported = 0;
    const bad: string[] = [];
    for (const [k, scoped] of again) {
      for (const r of [...scoped.values()].flat()) {
        tally.set(r.result, (tally.get(r.result) ?? 0) + 1);
        if (!SUCCESS.has(r.result)) continue;
        if (held.get(k) !== 1) bad.push(`${k} (reimport logged ${r.result}, held ×${held.get(k) ?? 0})`);
        else if (r.result !== 'skipped-duplicate' && own.get(k)?.some((o) => SUCCESS.has(o.result))) {
          alreadyImported++;
          bad.push(`${k} (reimport logged ${r.result}, but the connector had imported it)`);
        }
      }
    }
    add(
      "a reimport's rows only for pairs held once, duplicates as duplicates",
      bad.length === 0,
      `${[...tally].map(([res, n]) => `${n} ${res}`).join(', ')}` +
        `${alreadyImported > 0 ? ` (${alreadyImported} imported rows for pairs the connector had already imported)` : ''}` +
        `${bad[0] ? `; ${bad.length} bad, e.g. ${bad[0]}` : ''}`,
    );
  }

  // Every pair held has the connector's own row: imported, or failed in an impaired mailbox (written before it
  // failed) or failed and imported by a reimport since; every pair logged imported is held.
  const heldNotLogged: string[] = [];
  let heldButFailed = 0;
  let filledByReimport = 0;
  for (const key of held.keys()) {
    const r = own.get(key)?.[0];
    if (!r) heldNotLogged.push(key);
    else if (!SUCCESS.has(r.result)) {
      if (reimportsOf(key).some((x) => SUCCESS.has(x.result) && x.result !== 'skipped-duplicate')) filledByReimport++;
      else if (impaired.has(key.split('|')[0] ?? '')) heldButFailed++;
      else heldNotLogged.push(`${key} (logged ${r.result}: ${r.reason})`);
    }
  }
  const loggedNotHeld = [...new Set([...own.keys(), ...again.keys()])].filter(
    (k) => !held.has(k) && [...(own.get(k) ?? []), ...reimportsOf(k)].some((r) => SUCCESS.has(r.result)),
  );
  add(
    'log and mailboxes agree',
    heldNotLogged.length === 0 && loggedNotHeld.length === 0,
    `${heldNotLogged.length} held but not logged as imported, ${loggedNotHeld.length} logged as imported but not held` +
      `${heldButFailed ? `, ${heldButFailed} held in an impaired mailbox but logged failed (written before it failed)` : ''}` +
      `${filledByReimport ? `, ${filledByReimport} logged failed then imported by a reimport` : ''}` +
      `${heldNotLogged[0] ? `; e.g. ${heldNotLogged[0]}` : ''}${loggedNotHeld[0] ? `; e.g. ${loggedNotHeld[0]}` : ''}`,
  );

  const pairRows = new Map<string, LogRow[]>();
  for (const k of new Set([...own.keys(), ...again.keys()])) pairRows.set(k, [...(own.get(k) ?? []), ...reimportsOf(k)]);
  return { verdicts, held, pairRows, heldButFailed, filledByReimport };
}
