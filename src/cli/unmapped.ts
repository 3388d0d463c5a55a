/**
 * Unmapped participants: an organisation's participant without a usable Microsoft 365 mailbox. Their items
 * count as failed (Microsoft's connector log counts them so), but they are mapping gaps an administrator
 * closes, not faults of the connector: the log and status summaries show them apart, with the fix.
 */

const UNMAPPED = /^unmapped participant \(([a-z-]+)\)/;

/** The reason code of an unmapped-participant log reason (`unmapped participant (no-mailbox): …`), else undefined. */
export function unmappedReason(reason: string): string | undefined {
  return UNMAPPED.exec(reason)?.[1];
}

const WHY: Record<string, string> = {
  'not-in-directory': 'no Microsoft 365 user has their address',
  'no-mailbox': 'their Microsoft 365 user has no licensed Exchange Online mailbox',
  'blocked-by-policy': "their mailbox is outside the app's Exchange access scope",
  'address-not-trusted': 'their address comes from an untrusted source (e.g. typed by a consumer)',
  'no-address': 'they have no e-mail address',
};

const FIX: Record<string, string> = {
  'not-in-directory': 'map them in the mapping CSV (graph.mappingCsvPath), or set graph.catchAllMailbox',
  'no-mailbox': 'license the mailbox, or map them to a licensed user in the mapping CSV (graph.mappingCsvPath)',
  'blocked-by-policy': "add the mailbox to the app's Exchange RBAC management scope, or map them in the mapping CSV (graph.mappingCsvPath)",
  'address-not-trusted': 'map them in the mapping CSV (graph.mappingCsvPath) if they belong to your organisation',
  'no-address': 'map them in the mapping CSV (graph.mappingCsvPath) by agent id or login name',
};

/** Why a participant with this reason code is unmapped, in words. */
export function unmappedWhy(code: string): string {
  return WHY[code] ?? code;
}

/** What an administrator does about it. */
export function unmappedFix(code: string): string {
  return FIX[code] ?? 'map them in the mapping CSV (graph.mappingCsvPath) or license the mailbox';
}

/** One line under the failure counts: how many are mapping gaps and how many other failures. */
export function failedSplit(failed: number, unmapped: number): string {
  if (failed === 0) return '';
  const faults = failed - unmapped;
  return `  (${unmapped} unmapped participant${unmapped === 1 ? '' : 's'}: mapping gaps, not faults; ${faults} other failure${faults === 1 ? '' : 's'})`;
}
