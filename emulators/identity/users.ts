/** A person who can sign in at the dev identity provider. */
export interface DevUser {
  /** Stable subject (`sub`); Entra's equivalent is the object id (`oid`). */
  readonly sub: string;
  /** What the login form takes, and the `preferred_username` claim (Entra: the UPN). */
  readonly username: string;
  /** Development only: printed at start and in docs/console.md. */
  readonly password: string;
  readonly name: string;
  readonly email: string;
  /** Group names (Entra sends group object ids unless the app is set to send names; see docs/console.md). */
  readonly groups: readonly string[];
  /** App roles (Entra's `roles` claim). */
  readonly roles: readonly string[];
}

/** Groups of the seeded users; the console and codec server of the local stack allow these. */
export const DEV_GROUPS = {
  operators: 'lp-archive-operators',
  compliance: 'lp-archive-compliance',
  staff: 'contoso-staff',
} as const;

/**
 * The seeded users: an operator (may act on connectors and decode payloads), a read-only compliance officer
 * (reads and downloads logs), and a user in no allowed group (signs in, then is refused everywhere).
 */
export const DEV_USERS: readonly DevUser[] = [
  {
    sub: 'a1f0c0de-0000-4000-8000-000000000001',
    username: 'olivia.operator@contoso.example',
    password: 'operator-dev-password',
    name: 'Olivia Operator',
    email: 'olivia.operator@contoso.example',
    groups: [DEV_GROUPS.operators, DEV_GROUPS.staff],
    roles: ['LpArchive.Operator'],
  },
  {
    sub: 'a1f0c0de-0000-4000-8000-000000000002',
    username: 'carl.compliance@contoso.example',
    password: 'compliance-dev-password',
    name: 'Carl Compliance',
    email: 'carl.compliance@contoso.example',
    groups: [DEV_GROUPS.compliance, DEV_GROUPS.staff],
    roles: ['LpArchive.Reader'],
  },
  {
    sub: 'a1f0c0de-0000-4000-8000-000000000003',
    username: 'nina.nogroup@contoso.example',
    password: 'nogroup-dev-password',
    name: 'Nina Nogroup',
    email: 'nina.nogroup@contoso.example',
    groups: [DEV_GROUPS.staff],
    roles: [],
  },
];

/** The user with this login name (case-insensitive, as Entra treats UPNs), or undefined. */
export function findDevUser(username: string): DevUser | undefined {
  const wanted = username.trim().toLowerCase();
  return DEV_USERS.find((u) => u.username === wanted);
}

/** The user with this subject, or undefined. */
export function devUserBySub(sub: string): DevUser | undefined {
  return DEV_USERS.find((u) => u.sub === sub);
}

/** The identity claims of a user, the same in ID tokens, access tokens and userinfo. */
export function userClaims(u: DevUser): Record<string, unknown> {
  return {
    sub: u.sub,
    preferred_username: u.username,
    name: u.name,
    email: u.email,
    groups: [...u.groups],
    roles: [...u.roles],
  };
}
