import type { MappingRow } from '../graph/mapping-csv';
import type { UnmappedReason } from '../graph/types';

/** The part of the Graph client a directory check needs (reads only). */
export interface MappingDirectory {
  getUser(idOrUpn: string): Promise<{ readonly id: string; readonly userPrincipalName: string } | undefined>;
  probeMailbox(userId: string): Promise<'ok' | UnmappedReason>;
}

/** One mapping row checked against the directory. */
export interface DirectoryRowResult {
  readonly line: number;
  readonly lpUser: string;
  readonly m365User: string;
  /** `ok`: the user exists and has a usable mailbox; anything else: items for this participant would fail. */
  readonly status: 'ok' | 'not-in-directory' | 'no-mailbox' | 'blocked-by-policy';
  readonly userPrincipalName?: string;
  readonly userId?: string;
  /** What it means and what to do, for the operator. */
  readonly message: string;
}

/** Rows checked at once: a directory lookup and a mailbox probe each, well within Graph's limits. */
const CONCURRENCY = 4;

/**
 * Checks each mapping row against the Microsoft 365 directory: the user exists (by UPN or object id) and
 * has a usable mailbox. Rows mapping to the same user are looked up once. Reads only.
 */
export async function checkMappingAgainstDirectory(
  rows: readonly MappingRow[],
  directory: MappingDirectory,
): Promise<DirectoryRowResult[]> {
  const byUser = new Map<string, Promise<Omit<DirectoryRowResult, 'line' | 'lpUser' | 'm365User'>>>();
  const lookUp = (m365User: string) => {
    const key = m365User.toLowerCase();
    let p = byUser.get(key);
    if (!p) {
      p = (async () => {
        const user = await directory.getUser(m365User);
        if (!user)
          return {
            status: 'not-in-directory' as const,
            message: `"${m365User}" is not in the directory: fix the UPN or object id in the CSV (items would fail as unmapped).`,
          };
        const probe = await directory.probeMailbox(user.id);
        const who = `${user.userPrincipalName} (${user.id})`;
        if (probe === 'ok')
          return { status: 'ok' as const, userPrincipalName: user.userPrincipalName, userId: user.id, message: `${who} has a mailbox.` };
        const status = probe === 'blocked-by-policy' ? ('blocked-by-policy' as const) : ('no-mailbox' as const);
        return {
          status,
          userPrincipalName: user.userPrincipalName,
          userId: user.id,
          message:
            status === 'blocked-by-policy'
              ? `${who} is outside the app's Exchange access scope: add the mailbox to the management scope, or map to another user.`
              : `${who} has no usable Exchange Online mailbox (unlicensed, inactive or on-premises): license the mailbox, or map to a licensed user.`,
        };
      })();
      byUser.set(key, p);
    }
    return p;
  };
  const results: DirectoryRowResult[] = new Array<DirectoryRowResult>(rows.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < rows.length; i = next++) {
      const row = rows[i]!;
      results[i] = { line: row.line, lpUser: row.lpUser, m365User: row.m365User, ...(await lookUp(row.m365User)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, lane));
  return results;
}
