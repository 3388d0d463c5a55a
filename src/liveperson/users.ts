import { z } from 'zod';
import type { LpUser } from './types';

/** One Users API entry, leniently: unknown fields ignored, ids may be numbers, literal "undefined" is missing. */
const optionalText = z
  .unknown()
  .transform((v) => (typeof v === 'string' && v.trim() !== '' && v !== 'undefined' && v !== 'null' ? v.trim() : undefined))
  .optional();

const userSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  loginName: z.unknown().transform((v) => (typeof v === 'string' ? v : '')),
  fullName: optionalText,
  nickname: optionalText,
  email: optionalText,
  userTypeId: z
    .union([z.number(), z.string()])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : Number(v))),
  deleted: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === true || v === 'true')),
});

/** Parses a Users API answer. Entries without an id are skipped (they can match no conversation); the count is reported. */
export function parseUsers(body: unknown): { users: LpUser[]; skipped: number } | undefined {
  if (!Array.isArray(body)) return undefined;
  const users: LpUser[] = [];
  let skipped = 0;
  for (const raw of body) {
    const r = userSchema.safeParse(raw);
    if (!r.success) {
      skipped++;
      continue;
    }
    const u = r.data;
    users.push({
      id: u.id,
      loginName: u.loginName,
      ...(u.fullName !== undefined ? { fullName: u.fullName } : {}),
      ...(u.nickname !== undefined ? { nickname: u.nickname } : {}),
      ...(u.email !== undefined ? { email: u.email } : {}),
      ...(u.userTypeId !== undefined && Number.isFinite(u.userTypeId) ? { userTypeId: u.userTypeId } : {}),
      ...(u.deleted !== undefined ? { deleted: u.deleted } : {}),
    });
  }
  return { users, skipped };
}
