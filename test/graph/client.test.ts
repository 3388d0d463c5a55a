import { createHash, randomBytes } from 'node:crypto';
import type { GraphEmulator } from '../../emulators/graph/server';
import { IMPORT_FOLDER_NAME } from '../../src/graph/constants';
import { GraphConfigError, GraphMailboxError, GraphThrottledError } from '../../src/graph/errors';
import { GraphMailClient } from '../../src/graph/client';
import type { TokenSource } from '../../src/graph/token';
import {
  clientFor,
  inspectMailbox,
  itemsWithKey,
  mailboxUser,
  rawToken,
  resetStats,
  sampleMessage,
  startEmulator,
  stats,
  TENANT_ID,
} from './helpers';

describe('GraphMailClient against the Graph emulator', () => {
  let emu: GraphEmulator;

  beforeAll(async () => {
    emu = await startEmulator({ latencyMs: 25 });
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => emu.setFaults({}));

  it('creates a read, non-draft item with dates, headers and attachments, and finds it by import key', async () => {
    const client = clientFor(emu);
    const user = mailboxUser(emu, 0);
    const folderId = await client.ensureImportFolder(user.id);
    const msg = sampleMessage('roundtrip', {
      attachments: [{ name: 'note.txt', contentType: 'text/plain', bytes: Buffer.from('hello, archive') }],
    });

    const id = await client.createMessage(user.id, folderId, msg);

    await expect(client.findByImportKey(user.id, folderId, msg.importKey)).resolves.toBe(id);
    await expect(client.findByImportKey(user.id, folderId, 'lp-archive:test:absent:v1')).resolves.toBeUndefined();
    const mailbox = await inspectMailbox(emu, user.id);
    const folder = mailbox.folders.find((f) => f.id === folderId)!;
    const inbox = mailbox.folders.find((f) => f.wellKnownName === 'inbox')!;
    expect(folder.displayName).toBe(IMPORT_FOLDER_NAME);
    expect(folder.parentFolderId).toBe(inbox.id);
    expect(folder.items).toHaveLength(1);
    const item = folder.items[0]!;
    expect(item).toMatchObject({
      id,
      isDraft: false,
      isRead: true,
      importKey: msg.importKey,
      internetMessageId: msg.internetMessageId,
      receivedDateTime: '2024-05-01T10:15:00Z',
      sentDateTime: '2024-05-01T10:14:58Z',
      from: { address: 'visitor@example.com', name: 'Visitor' },
      internetMessageHeaders: [{ name: 'x-lp-conversation-id', value: 'roundtrip' }],
    });
    expect(item.attachments).toEqual([
      {
        name: 'note.txt',
        contentType: 'text/plain',
        size: 14,
        isInline: false,
        sha256: createHash('sha256').update('hello, archive').digest('hex'),
      },
    ]);
  });

  it('finds users by mail, then by proxy address, case-insensitively', async () => {
    const client = clientFor(emu);
    const plain = emu.tenant.agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias)!;
    const alias = emu.tenant.agents.find((a) => a.mailbox === 'ok' && a.emailIsAlias)!;

    await expect(client.findUserByAddress(plain.email.toUpperCase())).resolves.toMatchObject({
      userPrincipalName: plain.email,
      via: 'mail',
    });
    const viaProxy = await client.findUserByAddress(alias.email);
    expect(viaProxy?.via).toBe('proxy-address');
    expect(viaProxy?.userPrincipalName).not.toBe(alias.email);
    await expect(client.findUserByAddress("o'brien@nowhere.example")).resolves.toBeUndefined();
    await expect(client.findUserByAddress('not an address')).resolves.toBeUndefined();
  });

  it('stores an item exactly once when the create response is lost (connection dropped, then 500)', async () => {
    const client = clientFor(emu);
    const user = mailboxUser(emu, 1);
    const folderId = await client.ensureImportFolder(user.id);

    for (const mode of ['destroy', '500'] as const) {
      const msg = sampleMessage(`lost-${mode}`);
      emu.setFaults({ lostResponseMode: mode, once: [{ fault: 'lost-response', mailbox: user.id, pathContains: '/messages' }] });

      const id = await client.createMessage(user.id, folderId, msg);
      // An activity retry checks by key first and finds the same item.
      const retried = await client.importMessage(user.id, folderId, msg);

      // With its creation time, so that a reimport tells an item there before it from its own lost write.
      expect(retried).toEqual({ messageId: id, outcome: 'already-present', createdDateTime: expect.any(String) });
      expect(Date.parse(retried.createdDateTime!)).toBeGreaterThan(Date.now() - 60_000);
      const items = await itemsWithKey(emu, user.id, msg.importKey);
      expect(items.map((i) => i.id)).toEqual([id]);
    }
  });

  it('never has more than 4 requests in flight to one mailbox, even with 20 parallel creates', async () => {
    const client = clientFor(emu);
    const user = mailboxUser(emu, 2);
    const folderId = await client.ensureImportFolder(user.id);
    await resetStats(emu);

    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.createMessage(user.id, folderId, sampleMessage(`parallel-${i}`))),
    );

    expect(new Set(ids).size).toBe(20);
    const s = (await stats(emu)).mailboxes[user.id]!;
    expect(s.requests).toBe(20);
    expect(s.throttledConcurrency).toBe(0);
    expect(s.peakConcurrency).toBeLessThanOrEqual(4);
    expect(s.peakConcurrency).toBeGreaterThanOrEqual(3);
  });

  it('a 429 with Retry-After: 2 slows that mailbox only', async () => {
    const client = clientFor(emu);
    const slow = mailboxUser(emu, 3);
    const fast = mailboxUser(emu, 4);
    const [slowFolder, fastFolder] = await Promise.all([client.ensureImportFolder(slow.id), client.ensureImportFolder(fast.id)]);
    emu.setFaults({ once: [{ fault: '429', mailbox: slow.id, retryAfterSeconds: 2 }] });
    const t0 = Date.now();
    const elapsed = (p: Promise<unknown>): Promise<number> => p.then(() => Date.now() - t0);

    const first = elapsed(client.findByImportKey(slow.id, slowFolder, 'k1'));
    await new Promise((r) => setTimeout(r, 200));
    const [firstMs, laterSlowMs, fastMs] = await Promise.all([
      first,
      elapsed(client.findByImportKey(slow.id, slowFolder, 'k2')),
      elapsed(client.findByImportKey(fast.id, fastFolder, 'k3')),
    ]);

    expect(firstMs).toBeGreaterThanOrEqual(2000);
    expect(laterSlowMs).toBeGreaterThanOrEqual(1900);
    expect(fastMs).toBeLessThan(1000);
  });

  it('throws GraphThrottledError with the wait when Graph asks for longer than the client waits itself', async () => {
    const client = clientFor(emu, { maxRetryWaitMs: 1000 });
    const user = mailboxUser(emu, 5);
    const folderId = await client.ensureImportFolder(user.id);
    emu.setFaults({ once: [{ fault: '429', mailbox: user.id, retryAfterSeconds: 120 }] });

    const err = await client.findByImportKey(user.id, folderId, 'k').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(GraphThrottledError);
    expect((err as GraphThrottledError).retryAfterMs).toBe(120_000);
    expect((err as GraphThrottledError).retryable).toBe(true);
    // The mailbox stays paused in this process: the next call fails fast without reaching Graph.
    await resetStats(emu);
    const next = await client.findByImportKey(user.id, folderId, 'k').catch((e: unknown) => e);
    expect(next).toBeInstanceOf(GraphThrottledError);
    expect(next).toMatchObject({ code: 'MailboxPaused', userId: user.id.toLowerCase() });
    expect((next as GraphThrottledError).retryAfterMs).toBeGreaterThan(100_000);
    expect((await stats(emu)).mailboxes[user.id]).toBeUndefined();
  });

  it('gives up on persistent 503s after bounded retries with a retryable GraphThrottledError', async () => {
    const client = clientFor(emu, { maxRetries: 2 });
    const user = mailboxUser(emu, 5);
    emu.setFaults({ once: [{ fault: '503', mailbox: user.id, count: 10, retryAfterSeconds: 0 }] });
    await resetStats(emu);

    await expect(client.probeMailbox(user.id)).rejects.toBeInstanceOf(GraphThrottledError);
    expect((await stats(emu)).mailboxes[user.id]!.requests).toBe(3);
  });

  it('50 concurrent ensureImportFolder calls from 10 workers create the folder exactly once', async () => {
    const user = mailboxUser(emu, 6);
    const workers = Array.from({ length: 10 }, () => clientFor(emu));

    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => workers[i % 10]!.ensureImportFolder(user.id)));

    expect(new Set(ids).size).toBe(1);
    const folders = (await inspectMailbox(emu, user.id)).folders.filter((f) => f.displayName === IMPORT_FOLDER_NAME);
    expect(folders.map((f) => f.id)).toEqual([ids[0]]);
  });

  it('reports a user without a mailbox as a per-mailbox error, not a config error', async () => {
    const client = clientFor(emu);
    const noMailbox = emu.users.find((u) => u.mailbox === 'no-mailbox')!;

    await expect(client.probeMailbox(noMailbox.id)).resolves.toBe('no-mailbox');
    const err = await client.ensureImportFolder(noMailbox.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphMailboxError);
    expect(err).toMatchObject({ userId: noMailbox.id, code: 'MailboxNotEnabledForRESTAPI', reason: 'no-mailbox', retryable: false });
    await expect(client.probeMailbox('00000000-0000-0000-0000-000000000000')).resolves.toBe('not-in-directory');
  });

  it('uploads a 35 MB attachment byte-identical in ≤ 4 MB chunks, resuming after faults', async () => {
    const client = clientFor(emu);
    const user = mailboxUser(emu, 7);
    const folderId = await client.ensureImportFolder(user.id);
    const big = randomBytes(35 * 1024 * 1024);
    const small = randomBytes(2 * 1024 * 1024);
    emu.setFaults({
      once: [
        { fault: '503', mailbox: user.id, method: 'PUT', pathContains: '/upload/', retryAfterSeconds: 0 },
        { fault: '504', mailbox: user.id, method: 'PUT', pathContains: '/upload/' },
      ],
    });
    const msg = sampleMessage('large', {
      attachments: [
        { name: 'transcript.bin', contentType: 'application/octet-stream', bytes: big },
        { name: 'photo.jpg', contentType: 'image/jpeg', bytes: small },
        { name: 'photo2.jpg', contentType: 'image/jpeg', bytes: small },
      ],
    });

    const outcome = await client.importMessage(user.id, folderId, msg);

    expect(outcome.outcome).toBe('created');
    const [item] = await itemsWithKey(emu, user.id, msg.importKey);
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(item!.attachments.map((a) => [a.name, a.size, a.sha256]).sort()).toEqual(
      [
        ['transcript.bin', big.length, sha(big)],
        ['photo.jpg', small.length, sha(small)],
        ['photo2.jpg', small.length, sha(small)],
      ].sort(),
    );
    await expect(client.importMessage(user.id, folderId, msg)).resolves.toMatchObject({ messageId: item!.id, outcome: 'already-present' });
    expect(await itemsWithKey(emu, user.id, msg.importKey)).toHaveLength(1);
  });

  it('a mailbox that fills up during an upload session is a retryable per-mailbox failure, and the retry completes the same item', async () => {
    const client = clientFor(emu);
    const user = mailboxUser(emu, 8);
    const folderId = await client.ensureImportFolder(user.id);
    const setMailbox = async (body: Record<string, unknown>): Promise<void> => {
      const res = await fetch(`${emu.url}/_emulator/users/${user.id}/mailbox`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    };
    const big = randomBytes(6 * 1024 * 1024);
    const msg = sampleMessage('fills-up', {
      attachments: [{ name: 'recording.bin', contentType: 'application/octet-stream', bytes: big }],
    });
    await setMailbox({ quotaBytes: 1_000_000 }); // the item fits, its 6 MB attachment does not: refused at the last chunk

    const err = await client.importMessage(user.id, folderId, msg).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(GraphMailboxError);
    expect(err).toMatchObject({ userId: user.id, code: 'ErrorQuotaExceeded', reason: 'quota-exceeded', retryable: true });
    expect((err as Error).message).toMatch(/is full .*raise its quota/);
    const [half] = await itemsWithKey(emu, user.id, msg.importKey);
    expect(half!.attachments).toEqual([]);

    await setMailbox({ quotaBytes: null }); // an admin raised the quota
    const outcome = await client.importMessage(user.id, folderId, msg);

    expect(outcome).toMatchObject({ messageId: half!.id, outcome: 'already-present' });
    const [item] = await itemsWithKey(emu, user.id, msg.importKey);
    expect(item!.attachments.map((a) => [a.name, a.size, a.sha256])).toEqual([
      ['recording.bin', big.length, createHash('sha256').update(big).digest('hex')],
    ]);
    expect(await itemsWithKey(emu, user.id, msg.importKey)).toHaveLength(1);
  });

  it('refreshes the token once after a 401 and goes on', async () => {
    let calls = 0;
    let invalidated = 0;
    const realToken = await rawToken(emu);
    const tokens: TokenSource = {
      getToken: () => Promise.resolve(calls++ === 0 ? 'expired.or.revoked' : realToken),
      invalidate: () => {
        invalidated++;
      },
    };
    const client = new GraphMailClient(
      {
        baseUrl: emu.graphBaseUrl,
        authorityHost: emu.url,
        trustedAuthority: true,
        auth: { kind: 'client-secret', tenantId: TENANT_ID, clientId: 'x', clientSecret: 'y' },
      },
      { tokenSource: tokens },
    );

    await expect(client.probeMailbox(mailboxUser(emu, 0).id)).resolves.toBe('ok');
    expect(invalidated).toBe(1);
  });
});

describe('GraphMailClient configuration errors', () => {
  it('a bad client secret gives one clear, non-retryable GraphConfigError', async () => {
    const emu = await startEmulator();
    try {
      const client = clientFor(emu, {}, 'wrong-secret');
      const err = await client.findUserByAddress('ava.bauer0@contoso.example').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GraphConfigError);
      expect(err).toMatchObject({ code: 'AADSTS7000215', retryable: false });
      expect((err as Error).message).toMatch(/client secret/i);
      expect((err as Error).message).toMatch(/Fix:/);
      expect((await stats(emu)).tokensRefused).toBe(1);
      await expect(client.checkAccess()).rejects.toBeInstanceOf(GraphConfigError);
      await expect(clientFor(emu).checkAccess(mailboxUser(emu, 0).id)).resolves.toBe('ok');
    } finally {
      await emu.close();
    }
  });

  it('a missing User.Read.All or Mail.ReadWrite permission names the permission to grant', async () => {
    const noDirectory = await startEmulator({ roles: ['Mail.ReadWrite'] });
    const noMail = await startEmulator({ roles: ['User.Read.All'] });
    try {
      const dirErr = await clientFor(noDirectory)
        .findUserByAddress('ava.bauer0@contoso.example')
        .catch((e: unknown) => e);
      expect(dirErr).toBeInstanceOf(GraphConfigError);
      expect(dirErr).toMatchObject({ code: 'Authorization_RequestDenied', permission: 'User.Read.All' });

      const mailErr = await clientFor(noMail)
        .ensureImportFolder(mailboxUser(noMail, 0).id)
        .catch((e: unknown) => e);
      expect(mailErr).toBeInstanceOf(GraphConfigError);
      expect(mailErr).toMatchObject({ code: 'ErrorAccessDenied', permission: 'Mail.ReadWrite' });
    } finally {
      await Promise.all([noDirectory.close(), noMail.close()]);
    }
  });
});
