/** Who a verified token names, reduced to what allow-lists compare. */
export interface Principal {
  /** The values of the user claims present (e.g. sub, oid, preferred_username, upn), for matching and logs. */
  readonly userIds: readonly string[];
  /** Groups and app roles (Entra: group object ids or names, and app role values). */
  readonly groups: readonly string[];
  /** A readable name for log lines: the first user id (never the token). */
  readonly display: string;
}

/** Which claims name the user and which carry groups; Entra's and the dev provider's by default. */
export interface ClaimNames {
  readonly userClaims: readonly string[];
  readonly groupClaims: readonly string[];
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = {
  userClaims: ['preferred_username', 'upn', 'oid', 'sub'],
  groupClaims: ['groups', 'roles'],
};

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The principal of a token's claims (already verified). */
export function principalOf(claims: Readonly<Record<string, unknown>>, names: ClaimNames = DEFAULT_CLAIM_NAMES): Principal {
  const userIds = names.userClaims.flatMap((c) => strings(claims[c]));
  const groups = names.groupClaims.flatMap((c) => strings(claims[c]));
  return { userIds, groups, display: userIds[0] ?? '(no user claim)' };
}

/**
 * Entra replaces `groups` by `_claim_names.groups` when a user is in more groups than a token holds (over 200
 * in a JWT): the groups are then unknown, and the fix is on the app registration.
 */
export function hasGroupOverage(claims: Readonly<Record<string, unknown>>): boolean {
  const names = claims._claim_names;
  return typeof names === 'object' && names !== null && 'groups' in names;
}

/** An allow-list of users and groups; comparison ignores case (UPNs and e-mail addresses are case-insensitive). */
export interface AllowList {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/** True when one of the principal's user ids or groups is on the list. */
export function isAllowed(p: Principal, list: AllowList): boolean {
  const users = new Set(list.users.map((u) => u.toLowerCase()));
  const groups = new Set(list.groups.map((g) => g.toLowerCase()));
  return p.userIds.some((u) => users.has(u.toLowerCase())) || p.groups.some((g) => groups.has(g.toLowerCase()));
}

/** `a, b ,c` → ['a','b','c'] (comma- or newline-separated lists in environment variables). */
export function listFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
