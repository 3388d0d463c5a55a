import { createHash } from 'node:crypto';
import type { DirectoryUser } from './directory';

/**
 * `c7.alice@contoso.example` for copy 7 of `alice@contoso.example`; proxy addresses keep their `SMTP:` /
 * `smtp:` prefix. Copy 1 is the original address.
 */
export function copyAddress(address: string, copy: number): string {
  if (copy === 1) return address;
  const prefix = /^smtp:/i.exec(address)?.[0] ?? '';
  return `${prefix}c${copy}.${address.slice(prefix.length)}`;
}

/** A stable UUID-shaped id for copy `copy` of the user with id `id` (the same on every start). */
function copyId(id: string, copy: number): string {
  const hex = createHash('sha256').update(`${id}#copy${copy}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The directory `copies` times over: copy 1 is `users` unchanged; copies 2..n repeat every user with its own id,
 * its addresses marked by {@link copyAddress}, and the same mailbox state. Each copy is a tenant of its own for
 * the per-mailbox limits (many organisations on one emulator, as in the bench's fifty connectors).
 */
export function withDirectoryCopies(users: readonly DirectoryUser[], copies: number): DirectoryUser[] {
  if (!Number.isInteger(copies) || copies < 1) throw new RangeError(`directoryCopies must be a positive integer, got ${copies}`);
  const out = [...users];
  for (let k = 2; k <= copies; k++) {
    for (const u of users) {
      out.push({
        ...u,
        id: copyId(u.id, k),
        userPrincipalName: copyAddress(u.userPrincipalName, k),
        mail: copyAddress(u.mail, k),
        proxyAddresses: u.proxyAddresses.map((p) => copyAddress(p, k)),
        copy: k,
        copyOf: u.id,
      });
    }
  }
  return out;
}
