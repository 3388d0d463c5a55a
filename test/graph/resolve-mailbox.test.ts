import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphEmulator } from '../../emulators/graph/server';
import { generateTenant, type Tenant } from '../../emulators/shared/tenant';
import type { GraphMailClient } from '../../src/graph/client';
import { MappingCsvError } from '../../src/graph/mapping-csv';
import { MailboxResolver, type MailboxDirectory } from '../../src/graph/resolve-mailbox';
import { clientFor, startEmulator } from './helpers';

const mappingCsv = readFileSync(join(__dirname, '../fixtures/graph/mapping.csv'), 'utf8');
const CATCH_ALL = 'rosa.costa.staff2@contoso.example';

/** Seed-42 tenant with agent #4 (ben.dubois4) outside the app's access policy. */
function tenantWithBlockedAgent(): Tenant {
  const t = generateTenant(42);
  return { ...t, agents: t.agents.map((a, i) => (i === 4 ? { ...a, mailbox: 'blocked-by-policy' as const } : a)) };
}

/** Counts directory calls, to prove results are cached. */
function counting(client: GraphMailClient): MailboxDirectory & { calls: number } {
  const d = {
    calls: 0,
    findUserByAddress: (a: string) => (d.calls++, client.findUserByAddress(a)),
    getUser: (u: string) => (d.calls++, client.getUser(u)),
    probeMailbox: (u: string) => (d.calls++, client.probeMailbox(u)),
  };
  return d;
}

describe('MailboxResolver', () => {
  let emu: GraphEmulator;
  let client: GraphMailClient;

  beforeAll(async () => {
    emu = await startEmulator({ tenant: tenantWithBlockedAgent() });
    client = clientFor(emu);
  });
  afterAll(async () => {
    await emu.close();
  });

  const upnOf = (mail: string): string => emu.users.find((u) => u.mail === mail)!.userPrincipalName;

  it('tries the mapping CSV first (by agent id, then login name), before any address', async () => {
    const r = new MailboxResolver(client, { mappingCsv, catchAllMailbox: CATCH_ALL });

    await expect(
      r.resolve({ id: '1000000', loginName: 'ava.bauer0@contoso.example', email: 'ava.bauer0@contoso.example', routable: true }),
    ).resolves.toMatchObject({
      kind: 'mapped',
      via: 'csv',
      userPrincipalName: 'tomas.muller1@contoso.example',
    });
    await expect(
      r.resolve({ id: '1039595', loginName: 'omar.dubois5', email: 'omar.dubois5@contoso.example', routable: true }),
    ).resolves.toMatchObject({
      kind: 'mapped',
      via: 'csv',
      userPrincipalName: 'ben.jensen8@contoso.example',
    });
  });

  it('then the directory by mail, then by proxy address, case-insensitively', async () => {
    const r = new MailboxResolver(client, { mappingCsv, catchAllMailbox: CATCH_ALL });

    await expect(
      r.resolve({ id: '1007919', loginName: 'tomas.muller1', email: 'TOMAS.Muller1@contoso.example', routable: true }),
    ).resolves.toMatchObject({
      kind: 'mapped',
      via: 'mail',
      userPrincipalName: 'tomas.muller1@contoso.example',
    });
    await expect(
      r.resolve({ id: '1015838', loginName: 'viktor.okafor2', email: 'viktor.okafor2@contoso.example', routable: true }),
    ).resolves.toMatchObject({
      kind: 'mapped',
      via: 'proxy-address',
      userPrincipalName: upnOf('m365.viktor.okafor2@contoso.example'),
    });
  });

  it('then the catch-all mailbox for addresses not in the directory, or no address at all', async () => {
    const r = new MailboxResolver(client, { mappingCsv, catchAllMailbox: CATCH_ALL });
    const expected = { kind: 'mapped', via: 'catch-all', userPrincipalName: CATCH_ALL };

    await expect(
      r.resolve({ id: '1182137', loginName: 'bot', email: 'stranger@elsewhere.example', routable: true }),
    ).resolves.toMatchObject(expected);
    await expect(r.resolve({ id: '1182138', routable: true })).resolves.toMatchObject(expected);
  });

  it('without a catch-all, an unknown address is unmapped: not-in-directory', async () => {
    const r = new MailboxResolver(client, {});

    await expect(
      r.resolve({ id: '1039595', loginName: 'omar.dubois5', email: 'omar.dubois5@contoso.example', routable: true }),
    ).resolves.toMatchObject({
      kind: 'unmapped',
      reason: 'not-in-directory',
    });
    await expect(r.resolve({ id: '9', routable: true })).resolves.toMatchObject({ kind: 'unmapped', reason: 'no-address' });
  });

  it('a user found without a usable mailbox is unmapped with its reason, even with a catch-all', async () => {
    const r = new MailboxResolver(client, { catchAllMailbox: CATCH_ALL });

    const noMailbox = await r.resolve({ id: '1023757', email: 'sven.bauer3@contoso.example', routable: true });
    expect(noMailbox).toMatchObject({ kind: 'unmapped', reason: 'no-mailbox' });
    expect(noMailbox.kind === 'unmapped' && noMailbox.detail).toMatch(/sven\.bauer3@contoso\.example/);
    await expect(r.resolve({ id: '1031676', email: 'ben.dubois4@contoso.example', routable: true })).resolves.toMatchObject({
      kind: 'unmapped',
      reason: 'blocked-by-policy',
    });
  });

  it('names each participant once in the detail, even when the login name is the address', async () => {
    const r = new MailboxResolver(client);
    const address = 'sven.bauer3@contoso.example';
    const noMailbox = await r.resolve({ id: '1023757', loginName: address, email: address, routable: true });
    const detail = noMailbox.kind === 'unmapped' ? noMailbox.detail : '';
    expect(detail).toMatch(
      /^participant 1023757 \(sven\.bauer3@contoso\.example\): their Microsoft 365 user \([0-9a-f-]{36}\) has no usable/,
    );
    expect(detail.split(address)).toHaveLength(2);

    const unknown = await r.resolve({ id: '77', loginName: 'ghost@contoso.example', email: 'GHOST@contoso.example', routable: true });
    expect(unknown.kind === 'unmapped' && unknown.detail).toBe(
      'participant 77 (ghost@contoso.example): no Microsoft 365 user has this address as mail or proxy address.',
    );
    // A login name that is not the address: both are named, each once.
    const other = await r.resolve({ id: '78', loginName: 'ghost', email: 'ghost@contoso.example', routable: true });
    expect(other.kind === 'unmapped' && other.detail).toBe(
      'participant 78 (ghost, ghost@contoso.example): no Microsoft 365 user has this address as mail or proxy address.',
    );
  });

  it('never routes by an untrusted address, even when it names an employee', async () => {
    const r = new MailboxResolver(client, { mappingCsv, catchAllMailbox: CATCH_ALL });

    await expect(r.resolve({ id: 'consumer-1', email: 'ava.bauer0@contoso.example', routable: false })).resolves.toMatchObject({
      kind: 'unmapped',
      reason: 'address-not-trusted',
    });
    // The CSV's e-mail key is not used for untrusted addresses either.
    await expect(r.resolve({ id: 'consumer-2', email: 'chatbot@contoso.example', routable: false })).resolves.toMatchObject({
      reason: 'address-not-trusted',
    });
  });

  it('reports a CSV row whose target is not in the directory, with its line', async () => {
    const r = new MailboxResolver(client, { mappingCsv, catchAllMailbox: CATCH_ALL });

    const res = await r.resolve({ id: '1182137', loginName: 'chatbot', email: 'chatbot@contoso.example', routable: true });

    expect(res).toMatchObject({ kind: 'unmapped', reason: 'not-in-directory' });
    expect(res.kind === 'unmapped' && res.detail).toMatch(/line 7.*ghost@contoso\.example/);
  });

  it('caches results per instance', async () => {
    const directory = counting(client);
    const r = new MailboxResolver(directory, {});
    const p = { id: '1007919', email: 'tomas.muller1@contoso.example', routable: true };

    const first = await r.resolve(p);
    const callsAfterFirst = directory.calls;
    const second = await Promise.all([r.resolve(p), r.resolve(p)]);

    expect(second).toEqual([first, first]);
    expect(callsAfterFirst).toBe(2);
    expect(directory.calls).toBe(callsAfterFirst);
  });

  it('refuses an unusable mapping CSV at construction, naming the line and the fix', () => {
    expect(() => new MailboxResolver(client, { mappingCsv: 'agent,user\n1,a@b' })).toThrow(MappingCsvError);
    expect(() => new MailboxResolver(client, { mappingCsv: 'lpUser,m365User\n1,a@b\n1,c@d' })).toThrow(/twice.*line 2.*line 3/);
    expect(() => new MailboxResolver(client, { mappingCsv: 'lpUser,m365User\n1,' })).toThrow(/line 2 has an empty m365User/);
    expect(() => new MailboxResolver(client, { mappingCsv: 'LPUSER,M365User\n1,a@b\n1,A@B' })).not.toThrow();
  });
});
