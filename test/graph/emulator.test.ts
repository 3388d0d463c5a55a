import { IMPORT_KEY_PROPERTY_ID as EMULATOR_KEY_ID } from '../../emulators/graph/constants';
import type { GraphEmulator } from '../../emulators/graph/server';
import { IMPORT_KEY_PROPERTY_ID } from '../../src/graph/constants';
import { emulatorScope, mailboxUser, rawToken, resetStats, startEmulator, stats, TENANT_ID } from './helpers';

/** Loosely typed JSON answers, read field by field in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

describe('Graph emulator contract (raw HTTP)', () => {
  let emu: GraphEmulator;
  let token: string;
  const g = async (
    path: string,
    init: RequestInit & { json?: unknown } = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) };
    if (init.json !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${emu.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined };
  };
  const user = (): { id: string; mail: string } => mailboxUser(emu, 0);

  beforeAll(async () => {
    emu = await startEmulator({ requestBudget: 10_000 });
    token = await rawToken(emu);
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => emu.setFaults({}));

  it('uses the same import-key property id as the client', () => {
    expect(EMULATOR_KEY_ID).toBe(IMPORT_KEY_PROPERTY_ID);
  });

  it('issues JWT-shaped tokens for the configured client and refuses others like Entra ID', async () => {
    const post = (form: Record<string, string>): Promise<Response> =>
      fetch(`${emu.url}/${TENANT_ID}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
    const good = {
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'client_credentials',
      scope: emulatorScope(emu),
    };

    const ok = await post(good);
    const body = (await ok.json()) as { token_type: string; expires_in: number; access_token: string };
    expect(body.token_type).toBe('Bearer');
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as { exp: number; roles: string[] };
    expect(claims.exp * 1000).toBeGreaterThan(Date.now() + 3_000_000);
    expect(claims.roles).toEqual(expect.arrayContaining(['User.Read.All', 'Mail.ReadWrite']));

    const badSecret = await post({ ...good, client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const badClient = await post({ ...good, client_id: 'other' });
    expect(badClient.status).toBe(400);
    expect(await badClient.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect((await post({ ...good, scope: 'User.Read' })).status).toBe(400);
    // A token for another cloud's Graph (here: the global one) is refused: the scope must name this Graph.
    const otherCloud = await post({ ...good, scope: 'https://graph.microsoft.com/.default' });
    expect(otherCloud.status).toBe(400);
    expect(await otherCloud.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('answers every API call without a valid bearer with InvalidAuthenticationToken in Graph error shape', async () => {
    for (const auth of [undefined, 'Bearer abc.def.ghi', `Bearer ${token}x`]) {
      const r = await fetch(`${emu.url}/v1.0/users`, {
        headers: { ...(auth ? { Authorization: auth } : {}), 'client-request-id': 'my-id' },
      });
      const body = (await r.json()) as GraphErrorBody;
      expect(r.status).toBe(401);
      expect(body.error.code).toBe('InvalidAuthenticationToken');
      expect(body.error.innerError['client-request-id']).toBe('my-id');
      expect(body.error.innerError['request-id']).toBe(r.headers.get('request-id'));
      expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    }
  });

  it('filters users by mail, userPrincipalName and proxyAddresses (case-insensitive, with or), selecting properties', async () => {
    const alias = emu.tenant.agents.find((a) => a.emailIsAlias && a.mailbox === 'ok')!;
    const filter = encodeURIComponent(`mail eq '${user().mail.toUpperCase()}' or proxyAddresses/any(x:x eq 'SMTP:${alias.email}')`);
    const r = await g(`/v1.0/users?$filter=${filter}&$select=id,mail,proxyAddresses`);
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(2);
    expect(Object.keys(r.body.value[0]).sort()).toEqual(['id', 'mail', 'proxyAddresses']);

    const byUpn = await g(`/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${user().mail}'`)}`);
    expect((byUpn.body.value as { id: string }[]).map((u) => u.id)).toEqual([user().id]);
    expect(byUpn.body.value[0].proxyAddresses).toBeUndefined();

    const unsupported = await g(`/v1.0/users?$filter=${encodeURIComponent("endswith(mail,'x')")}`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe('Request_UnsupportedQuery');
    expect((await g('/v1.0/users/nobody@contoso.example')).body.error.code).toBe('Request_ResourceNotFound');
  });

  it('answers mail paths of users without a usable mailbox as Exchange Online does', async () => {
    const noMailbox = emu.users.find((u) => u.mailbox === 'no-mailbox')!;
    const a = await g(`/v1.0/users/${noMailbox.id}/mailFolders/inbox`);
    expect([a.status, a.body.error.code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
    const b = await g('/v1.0/users/ghost@contoso.example/mailFolders/inbox');
    expect([b.status, b.body.error.code]).toEqual([404, 'ErrorInvalidUser']);
    const byUpn = await g(`/v1.0/users/${encodeURIComponent(user().mail.toUpperCase())}/mailFolders/inbox?$select=id`);
    expect(byUpn.status).toBe(200);
    expect(Object.keys(byUpn.body)).toEqual(['id']);
  });

  it('creates drafts unless PR_MESSAGE_FLAGS clears the unsent bit, honouring delivery/submit times and x- headers', async () => {
    const base = `/v1.0/users/${user().id}/mailFolders/inbox/messages`;
    const draft = await g(base, { method: 'POST', json: { subject: 'no flags' } });
    expect(draft.status).toBe(201);
    expect(draft.body.isDraft).toBe(true);

    const received = await g(`${base}?$select=id,isDraft,isRead,receivedDateTime,sentDateTime,internetMessageId,internetMessageHeaders`, {
      method: 'POST',
      json: {
        subject: 'received',
        internetMessageId: '<x@y>',
        internetMessageHeaders: [{ name: 'X-Lp-Id', value: '1' }],
        singleValueExtendedProperties: [
          { id: 'Integer 0x0E07', value: '1' },
          { id: 'SystemTime 0x0E06', value: '2024-05-01T10:15:00Z' },
          { id: 'SystemTime 0x0039', value: '2024-05-01T10:14:00Z' },
          { id: IMPORT_KEY_PROPERTY_ID, value: 'Key-1' },
        ],
      },
    });
    expect(received.body).toMatchObject({
      isDraft: false,
      isRead: true,
      receivedDateTime: '2024-05-01T10:15:00Z',
      sentDateTime: '2024-05-01T10:14:00Z',
      internetMessageId: '<x@y>',
    });
    expect(received.body.internetMessageHeaders).toEqual([{ name: 'X-Lp-Id', value: '1' }]);
    const unsentFlag = await g(base, { method: 'POST', json: { singleValueExtendedProperties: [{ id: 'Integer 0x0E07', value: '9' }] } });
    expect(unsentFlag.body.isDraft).toBe(true);

    const filter = encodeURIComponent(
      `singleValueExtendedProperties/Any(ep: ep/id eq '${IMPORT_KEY_PROPERTY_ID}' and ep/value eq 'key-1')`,
    );
    const found = await g(`${base}?$filter=${filter}&$select=id`);
    expect(found.body.value).toEqual([{ id: received.body.id }]);
    const expanded = await g(
      `/v1.0/users/${user().id}/messages/${received.body.id}?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq 'Integer 0x0E07')`)}`,
    );
    expect(expanded.body.singleValueExtendedProperties).toEqual([{ id: 'Integer 0x0E07', value: '1' }]);

    const badHeader = await g(base, { method: 'POST', json: { internetMessageHeaders: [{ name: 'Received', value: 'x' }] } });
    expect([badHeader.status, badHeader.body.error.code]).toEqual([400, 'InvalidInternetMessageHeader']);
    const tooLarge = await g(base, { method: 'POST', json: { body: { contentType: 'text', content: 'x'.repeat(4.5 * 1024 * 1024) } } });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'RequestEntityTooLarge']);
  });

  it('MIME creates are drafts on v1.0; beta importMime gives received items', async () => {
    const mime = Buffer.from(
      'From: a@b.example\r\nTo: c@d.example\r\nSubject: mime\r\nMessage-ID: <m@b>\r\nDate: Wed, 01 May 2024 10:15:00 +0000\r\n\r\nhello',
    ).toString('base64');
    const v1 = await g(`/v1.0/users/${user().id}/mailFolders/inbox/messages`, {
      method: 'POST',
      body: mime,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(v1.body).toMatchObject({ isDraft: true, subject: 'mime' });
    const beta = await g(`/beta/users/${user().id}/mailFolders/inbox/importMime`, {
      method: 'POST',
      body: mime,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(beta.body).toMatchObject({
      isDraft: false,
      subject: 'mime',
      internetMessageId: '<m@b>',
      receivedDateTime: '2024-05-01T10:15:00.000Z',
    });
    const bad = await g(`/v1.0/users/${user().id}/mailFolders/inbox/messages`, {
      method: 'POST',
      body: '***',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(bad.body.error.code).toBe('ErrorMimeContentInvalidBase64String');
  });

  it('creates a child folder once: concurrent creates with the same name get ErrorFolderExists', async () => {
    const u = mailboxUser(emu, 1);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        g(`/v1.0/users/${u.id}/mailFolders/inbox/childFolders`, { method: 'POST', json: { displayName: 'Race' } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('ErrorFolderExists');
    const again = await g(`/v1.0/users/${u.id}/mailFolders/inbox/childFolders`, { method: 'POST', json: { displayName: 'race' } });
    expect(again.status).toBe(409);
    const list = await g(`/v1.0/users/${u.id}/mailFolders/inbox/childFolders?$filter=${encodeURIComponent("displayName eq 'RACE'")}`);
    expect(list.body.value).toHaveLength(1);
  });

  it('throttles a mailbox above 4 concurrent requests with ApplicationThrottled and Retry-After, other mailboxes unaffected', async () => {
    const slowEmu = await startEmulator({ latencyMs: 100 });
    try {
      const t = await rawToken(slowEmu);
      const a = mailboxUser(slowEmu, 0);
      const b = mailboxUser(slowEmu, 1);
      const get = (id: string): Promise<Response> =>
        fetch(`${slowEmu.url}/v1.0/users/${id}/mailFolders/inbox`, { headers: { Authorization: `Bearer ${t}` } });
      const results = await Promise.all([...Array.from({ length: 8 }, () => get(a.id)), get(b.id)]);
      const statuses = results.map((r) => r.status);
      expect(statuses.slice(0, 8).filter((s) => s === 429)).toHaveLength(4);
      expect(statuses[8]).toBe(200);
      const throttled = results.find((r) => r.status === 429)!;
      expect(throttled.headers.get('retry-after')).toBe('1');
      expect(((await throttled.json()) as GraphErrorBody).error.code).toBe('ApplicationThrottled');
      const s = await stats(slowEmu);
      expect(s.mailboxes[a.id]!.throttledConcurrency).toBe(4);
      expect(s.mailboxes[a.id]!.peakConcurrency).toBeGreaterThan(4);
    } finally {
      await slowEmu.close();
    }
  });

  it('enforces the per-mailbox request budget', async () => {
    const small = await startEmulator({ requestBudget: 3 });
    try {
      const t = await rawToken(small);
      const u = mailboxUser(small, 0);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await fetch(`${small.url}/v1.0/users/${u.id}/mailFolders/inbox`, { headers: { Authorization: `Bearer ${t}` } })).status,
        );
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await small.close();
    }
  });

  it('injects faults: 503 with Retry-After, and a create stored although its response is lost', async () => {
    const u = mailboxUser(emu, 2);
    await resetStats(emu);
    const setFaults = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        lostResponseMode: '500',
        once: [
          { fault: '503', mailbox: u.mail, retryAfterSeconds: 7 },
          { fault: 'lost-response', mailbox: u.id },
        ],
      }),
    });
    expect(setFaults.status).toBe(200);

    const busy = await g(`/v1.0/users/${u.id}/mailFolders/inbox`);
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '7']);
    const lost = await g(`/v1.0/users/${u.id}/mailFolders/inbox/messages`, { method: 'POST', json: { subject: 'lost but stored' } });
    expect(lost.status).toBe(500);
    const boxes = (await (await fetch(`${emu.url}/_emulator/mailboxes?mailbox=${u.id}`)).json()) as {
      folders: { items: { subject: string }[] }[];
    }[];
    expect(boxes[0]!.folders.flatMap((f) => f.items).map((i) => i.subject)).toContain('lost but stored');
    expect((await stats(emu)).mailboxes[u.id]!.faultsInjected).toBe(2);

    const bad = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rate429: 2 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as GraphErrorBody).error.message).toMatch(/rate429/);
  });

  it('limits attachments: POST below 3 MB, upload sessions from 3 MB, chunks in order', async () => {
    const u = mailboxUser(emu, 3);
    const m = await g(`/v1.0/users/${u.id}/mailFolders/inbox/messages`, { method: 'POST', json: { subject: 'attachments' } });
    const att = (bytes: number): unknown => ({
      '@odata.type': '#microsoft.graph.fileAttachment',
      name: 'f.bin',
      contentBytes: Buffer.alloc(bytes).toString('base64'),
    });
    expect((await g(`/v1.0/users/${u.id}/messages/${m.body.id}/attachments`, { method: 'POST', json: att(1000) })).status).toBe(201);
    const tooBig = await g(`/v1.0/users/${u.id}/messages/${m.body.id}/attachments`, { method: 'POST', json: att(3 * 1024 * 1024) });
    expect(tooBig.body.error.code).toBe('ErrorAttachmentSizeLimitExceeded');
    const session = (size: number): Promise<{ status: number; body: Json }> =>
      g(`/v1.0/users/${u.id}/messages/${m.body.id}/attachments/createUploadSession`, {
        method: 'POST',
        json: { AttachmentItem: { attachmentType: 'file', name: 'big.bin', size } },
      });
    expect((await session(1024 * 1024)).body.error.code).toBe('ErrorAttachmentSizeShouldNotBeLessThanMinimumSize');
    const s = await session(5 * 1024 * 1024);
    expect(s.body.nextExpectedRanges).toEqual(['0-']);
    const put = (start: number, end: number, auth?: string): Promise<Response> =>
      fetch(s.body.uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Range': `bytes ${start}-${end}/${5 * 1024 * 1024}`, ...(auth ? { Authorization: auth } : {}) },
        body: Buffer.alloc(end - start + 1, 7),
      });
    expect((await put(0, 1023, `Bearer ${token}`)).status).toBe(401);
    expect((await put(1024, 2047)).status).toBe(416);
    const first = await put(0, 4 * 1024 * 1024 - 1);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([
      `${4 * 1024 * 1024}-${5 * 1024 * 1024 - 1}`,
    ]);
    const last = await put(4 * 1024 * 1024, 5 * 1024 * 1024 - 1);
    expect(last.status).toBe(201);
    expect(last.headers.get('location')).toMatch(/Attachments\('.+'\)$/);
  });

  it('answers $batch per request, with 424 for dependents of a failed request', async () => {
    const u = mailboxUser(emu, 4);
    const r = await g('/v1.0/$batch', {
      method: 'POST',
      json: {
        requests: [
          { id: '1', method: 'GET', url: `/users/${u.id}/mailFolders/inbox?$select=id` },
          { id: '2', method: 'GET', url: '/users/nobody@contoso.example/mailFolders/inbox' },
          {
            id: '3',
            method: 'POST',
            url: `/users/${u.id}/mailFolders/inbox/messages`,
            headers: { 'Content-Type': 'application/json' },
            body: { subject: 'x' },
            dependsOn: ['2'],
          },
        ],
      },
    });
    const byId = Object.fromEntries((r.body.responses as { id: string; status: number }[]).map((x) => [x.id, x.status]));
    expect(byId).toEqual({ '1': 200, '2': 404, '3': 424 });
    expect(
      (
        await g('/v1.0/$batch', {
          method: 'POST',
          json: { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) },
        })
      ).status,
    ).toBe(400);
  });

  it('refuses items beyond the mailbox quota with ErrorQuotaExceeded', async () => {
    const tiny = await startEmulator({ mailboxQuotaBytes: 4096 });
    try {
      const t = await rawToken(tiny);
      const u = mailboxUser(tiny, 0);
      const post = (): Promise<Response> =>
        fetch(`${tiny.url}/v1.0/users/${u.id}/mailFolders/inbox/messages`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ body: { content: 'x'.repeat(2000) } }),
        });
      expect((await post()).status).toBe(201);
      const full = await post();
      expect(full.status).toBe(400);
      expect(((await full.json()) as GraphErrorBody).error.code).toBe('ErrorQuotaExceeded');
    } finally {
      await tiny.close();
    }
  });
});
