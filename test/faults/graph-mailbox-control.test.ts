import { startGraphEmulator, type GraphEmulator } from '../../emulators/graph';
import { localServerTls } from '../../scripts/lib/local-ca';

/** The Graph emulator's run-time mailbox controls the fault suite relies on (a full mailbox, a lost one). */
describe('Graph emulator mailbox controls', () => {
  let g: GraphEmulator;
  let token: string;
  beforeAll(async () => {
    g = await startGraphEmulator({ port: 0, seed: 42, tls: localServerTls() });
    const res = await fetch(`${g.url}/contoso-tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: g.clientId,
        client_secret: g.clientSecret,
        scope: `${g.url}/.default`,
      }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => g?.close());

  const user = (): { id: string; mail: string } => {
    const u = g.users.find((x) => x.mailbox === 'ok');
    if (!u) throw new Error('no user with a mailbox');
    return u;
  };
  const control = (ref: string, body: unknown): Promise<Response> =>
    fetch(`${g.url}/_emulator/users/${ref}/mailbox`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const inbox = (id: string): Promise<Response> =>
    fetch(`${g.url}/v1.0/users/${id}/mailFolders/inbox`, { headers: { Authorization: `Bearer ${token}` } });
  const create = (id: string): Promise<Response> =>
    fetch(`${g.url}/v1.0/users/${id}/mailFolders/inbox/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: 'hello', body: { contentType: 'text', content: 'x'.repeat(2000) } }),
    });

  it("takes a user's mailbox away mid-run and gives it back", async () => {
    const u = user();
    expect((await inbox(u.id)).status).toBe(200);
    const lost = await control(u.mail, { state: 'no-mailbox' });
    expect(lost.status).toBe(200);
    expect(await lost.json()).toMatchObject({ userId: u.id, state: 'no-mailbox' });
    const res = await inbox(u.id);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MailboxNotEnabledForRESTAPI');
    const dir = (await (await fetch(`${g.url}/_emulator/directory`)).json()) as { id: string; mailbox: string }[];
    expect(dir.find((d) => d.id === u.id)?.mailbox).toBe('no-mailbox');
    expect((await control(u.id, { state: 'ok' })).status).toBe(200);
    expect((await inbox(u.id)).status).toBe(200);
  });

  it('fills one mailbox: creates over its quota answer ErrorQuotaExceeded, other mailboxes are unaffected', async () => {
    const u = user();
    const other = g.users.filter((x) => x.mailbox === 'ok')[1]!;
    expect((await control(u.id, { quotaBytes: 4000 })).status).toBe(200);
    expect((await create(u.id)).status).toBe(201);
    const full = await create(u.id);
    expect(full.status).toBe(400);
    expect(((await full.json()) as { error: { code: string } }).error.code).toBe('ErrorQuotaExceeded');
    expect((await create(other.id)).status).toBe(201);
    expect((await control(u.id, { quotaBytes: null })).status).toBe(200);
    expect((await create(u.id)).status).toBe(201);
  });

  it('counts slow answers set at run time, and refuses bad controls with the field', async () => {
    const u = user();
    await fetch(`${g.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ slowRate: 1, slowMs: 50 }),
    });
    const t0 = Date.now();
    expect((await inbox(u.id)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    const stats = (await (await fetch(`${g.url}/_emulator/stats`)).json()) as { faults: Record<string, number> };
    expect(stats.faults.slow).toBeGreaterThanOrEqual(1);
    await fetch(`${g.url}/_emulator/faults`, { method: 'DELETE' });
    const bad = await control(u.id, { state: 'gone' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('state');
    expect((await control('nobody@nowhere.example', { state: 'ok' })).status).toBe(404);
  });
});
