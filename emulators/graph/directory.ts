import { SeededRandom } from '../shared/random';
import type { MailboxState, Tenant } from '../shared/tenant';

/** A directory user as the emulator stores it. */
export interface DirectoryUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly mail: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly proxyAddresses: readonly string[];
  /** 'ok' users have a mailbox; the others exist in the directory but mail paths fail. */
  readonly mailbox: Exclude<MailboxState, 'not-in-directory'>;
  /** Which copy of the directory the user belongs to (`directoryCopies`); 1 for the original. */
  readonly copy?: number;
  /** Id of the original user this one copies (copies 2..n only). */
  readonly copyOf?: string;
}

/**
 * Builds the Microsoft 365 directory of the shared tenant: every agent that is in the directory, plus the
 * employees who also chat as consumers. Ids are drawn from the seed so they are stable across restarts.
 */
export function buildDirectory(tenant: Tenant, seed: number): DirectoryUser[] {
  const rnd = new SeededRandom(seed ^ 0x6a7b);
  const tenantName = tenant.domain.split('.')[0] ?? 'tenant';
  const users: DirectoryUser[] = [];
  for (const agent of tenant.agents) {
    const id = rnd.uuid();
    if (agent.mailbox === 'not-in-directory') continue;
    const [local = 'user'] = agent.email.split('@');
    // An aliased agent's Users-API e-mail is a secondary SMTP address; the primary is a different one.
    const mail = agent.emailIsAlias ? `m365.${local}@${tenant.domain}` : agent.email;
    const [given = '', ...rest] = agent.fullName.split(' ');
    const proxyAddresses = [`SMTP:${mail}`, `smtp:${local}@${tenantName}.onmicrosoft.com`];
    if (agent.emailIsAlias) proxyAddresses.push(`smtp:${agent.email}`);
    users.push({
      id,
      userPrincipalName: mail,
      mail,
      displayName: agent.fullName,
      givenName: given,
      surname: rest.join(' '),
      proxyAddresses,
      mailbox: agent.mailbox,
    });
  }
  for (const person of tenant.employeeConsumers) {
    const [local = 'user'] = person.email.split('@');
    users.push({
      id: rnd.uuid(),
      userPrincipalName: person.email,
      mail: person.email,
      displayName: `${person.firstName} ${person.lastName}`,
      givenName: person.firstName,
      surname: person.lastName,
      proxyAddresses: [`SMTP:${person.email}`, `smtp:${local}@${tenantName}.onmicrosoft.com`],
      mailbox: 'ok',
    });
  }
  return users;
}

/** Graph's default user projection (no `$select`). `proxyAddresses` is not in it. */
export function userJson(u: DirectoryUser): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
  };
}

/** All selectable properties of a user. */
export function userFullJson(u: DirectoryUser): Record<string, unknown> {
  return { ...userJson(u), proxyAddresses: [...u.proxyAddresses], accountEnabled: true, userType: 'Member' };
}
