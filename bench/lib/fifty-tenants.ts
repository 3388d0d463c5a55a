import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmulatorProcess } from '../../scripts/lib/emulators';
import { LP_ACCOUNT, lpAccountOf, type BenchTenant } from './connector';

/**
 * Whose data the fifty phase's connectors archive. `shared`: all read LP_ACCOUNT and import into the directory's
 * mailboxes, so one mailbox's upload budget bounds them all. `separate`: connector n reads its own account
 * ({@link lpAccountOf}) and imports into copy n of the directory, as 50 tenants of a real deployment would.
 */
export const FIFTY_MAILBOXES = ['shared', 'separate'] as const;
export type FiftyMailboxes = (typeof FIFTY_MAILBOXES)[number];

/** The LivePerson accounts the phase's emulator must serve beside LP_ACCOUNT. */
export function extraAccountsFor(mode: FiftyMailboxes, connectors: number): string[] {
  return mode === 'separate' ? Array.from({ length: connectors - 1 }, (_, i) => lpAccountOf(i + 2)) : [];
}

/** Copies of the Graph directory the phase needs (copy 1 is the original). */
export function directoryCopiesFor(mode: FiftyMailboxes, connectors: number): number {
  return mode === 'separate' ? connectors : 1;
}

/** A directory entry as `GET /_emulator/directory` lists it. */
export interface DirectoryEntry {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly mail: string;
  readonly proxyAddresses: readonly string[];
  readonly mailbox: string;
  readonly copy: number;
  readonly copyOf?: string;
}

export interface FiftyTenants {
  readonly mode: FiftyMailboxes;
  /** Per connector, in order: its account and mapping CSV. */
  readonly tenants: readonly BenchTenant[];
  /** Mailboxes ('ok' users) in one copy of the directory. */
  readonly mailboxesPerCopy: number;
  /** Which copy of the directory a user id belongs to. */
  readonly copyOf: ReadonlyMap<string, number>;
}

/**
 * The accounts and mapping CSVs of `connectors` connectors. In `separate` mode connector n ≥ 2 gets a CSV in
 * `csvDir` (the worker reads it) that maps every address of every original user (mail, UPN, proxy addresses) to
 * the UPN of that user's copy n; connector 1 needs none (copy 1 is the original directory).
 */
export async function prepareFiftyTenants(
  mode: FiftyMailboxes,
  connectors: number,
  graph: EmulatorProcess,
  csvDir: string,
): Promise<FiftyTenants> {
  const res = await fetch(`${graph.url}/_emulator/directory`);
  if (!res.ok) throw new Error(`Graph emulator directory failed: HTTP ${res.status}`);
  const directory = (await res.json()) as DirectoryEntry[];
  const originals = directory.filter((u) => u.copy === 1);
  const copyOf = new Map(directory.map((u) => [u.id, u.copy]));
  const mailboxesPerCopy = originals.filter((u) => u.mailbox === 'ok').length;
  if (mode === 'shared') {
    return { mode, tenants: Array.from({ length: connectors }, () => ({ accountId: LP_ACCOUNT })), mailboxesPerCopy, copyOf };
  }
  const copies = Math.max(...directory.map((u) => u.copy));
  if (copies < connectors)
    throw new Error(`the Graph emulator has ${copies} copies of the directory; ${connectors} separate connectors need ${connectors}`);
  fs.mkdirSync(csvDir, { recursive: true });
  const tenants: BenchTenant[] = [{ accountId: lpAccountOf(1) }];
  for (let n = 2; n <= connectors; n++) {
    const target = new Map(directory.filter((u) => u.copy === n && u.copyOf !== undefined).map((u) => [u.copyOf!, u.userPrincipalName]));
    const file = path.join(csvDir, `copy-${n}.csv`);
    fs.writeFileSync(file, mappingCsv(originals, target));
    tenants.push({ accountId: lpAccountOf(n), mappingCsvPath: file });
  }
  return { mode, tenants, mailboxesPerCopy, copyOf };
}

/**
 * `lpUser,m365User` lines from every address of every original user to the UPN of its copy. The mapping CSV
 * refuses a key mapped to two users, so each address is written once: mail and UPN of all users before any proxy
 * address (the order the directory lookup prefers), the first user to claim an address keeping it.
 */
function mappingCsv(originals: readonly DirectoryEntry[], copyUpnOf: ReadonlyMap<string, string>): string {
  const rows = new Map<string, string>();
  const claim = (address: string, u: DirectoryEntry): void => {
    const key = address.replace(/^smtp:/i, '').toLowerCase();
    const upn = copyUpnOf.get(u.id);
    if (upn === undefined) throw new Error(`user ${u.userPrincipalName} has no copy in the Graph emulator's directory`);
    if (!rows.has(key)) rows.set(key, upn);
  };
  for (const u of originals) for (const a of [u.mail, u.userPrincipalName]) claim(a, u);
  for (const u of originals) for (const a of u.proxyAddresses) claim(a, u);
  return ['lpUser,m365User', ...[...rows].map(([k, upn]) => `${k},${upn}`), ''].join('\n');
}
