import { SeededRandom } from './random';

/**
 * The people both emulators agree on: LivePerson agents (with their Users API e-mail) and the Microsoft 365
 * users of the same organisation. Generated from a seed so the LivePerson emulator and the Graph emulator,
 * started separately, describe the same company.
 */
export const MAILBOX_STATES = ['ok', 'no-mailbox', 'blocked-by-policy', 'not-in-directory'] as const;
export type MailboxState = (typeof MAILBOX_STATES)[number];

export interface TenantAgent {
  /** LivePerson user id (MI agentId). */
  readonly id: string;
  readonly pid: string;
  readonly loginName: string;
  readonly fullName: string;
  readonly nickname: string;
  /** Users API e-mail; for most agents also their Microsoft 365 mail or a proxy address. */
  readonly email: string;
  readonly userType: '1' | '2';
  readonly deleted: boolean;
  /** How the Graph emulator knows this person. */
  readonly mailbox: MailboxState;
  /** When true the Graph user has `email` only as a proxy address (alias), not as `mail`. */
  readonly emailIsAlias: boolean;
}

export interface Tenant {
  readonly domain: string;
  readonly agents: readonly TenantAgent[];
  /** Employees who also chat as consumers (internal helpdesk); their consumer e-mail maps to a mailbox. */
  readonly employeeConsumers: readonly { readonly email: string; readonly firstName: string; readonly lastName: string }[];
}

const FIRST = [
  'Ava',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustav',
  'Hana',
  'Ivan',
  'Júlia',
  'Kenji',
  'Leila',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tomás',
  'Uma',
  'Viktor',
  'Wen',
  'Yusuf',
  'Zoë',
];
const LAST = [
  'Adams',
  'Bauer',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  'Okafor',
  'Peters',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Novak',
];

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function generateTenant(seed: number, agentCount = 24, domain = 'contoso.example'): Tenant {
  const rnd = new SeededRandom(seed ^ 0x5eed);
  const agents: TenantAgent[] = [];
  for (let i = 0; i < agentCount; i++) {
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    const isBot = i === agentCount - 1;
    const local = isBot ? 'chatbot' : `${ascii(first)}.${ascii(last)}${i}`;
    // The last agent is a bot; a few humans have no usable mailbox, so the unmapped path is always exercised.
    const mailbox: MailboxState = isBot ? 'not-in-directory' : i === 3 ? 'no-mailbox' : i === 5 ? 'not-in-directory' : 'ok';
    agents.push({
      id: String(1000000 + i * 7919),
      pid: rnd.uuid(),
      loginName: i % 3 === 0 ? `${local}@${domain}` : local,
      fullName: isBot ? 'Virtual Assistant' : `${first} ${last}`,
      nickname: isBot ? 'Bot' : first,
      email: `${local}@${domain}`,
      userType: isBot ? '2' : '1',
      deleted: i === 7,
      mailbox,
      emailIsAlias: i % 5 === 2,
    });
  }
  const employeeConsumers = Array.from({ length: 4 }, (_, i) => {
    const firstName = rnd.pick(FIRST);
    const lastName = rnd.pick(LAST);
    return { email: `${ascii(firstName)}.${ascii(lastName)}.staff${i}@${domain}`, firstName, lastName };
  });
  return { domain, agents, employeeConsumers };
}
