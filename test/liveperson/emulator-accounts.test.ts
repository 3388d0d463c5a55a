/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests inspect raw LivePerson JSON loosely, as it arrives */
import { createHash } from 'node:crypto';
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { LivePersonAccountError } from '../../src/liveperson/errors';
import { addConversation, clientFor, collectWindow, DAY, jsonOf, startEmulator } from './support';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);
const window = { from: anchor - DAY, to: anchor + 1 };
const MAIN = '12345678';
const EXTRA = ['12345679', '12345680'] as const;

/** A Sentinel token of one account, as the client gets it. */
async function tokenOf(emu: LivePersonEmulator, account: string): Promise<string> {
  const res = await fetch(`${emu.url}/sentinel/api/v2/account/${account}/app/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'client_id=lp-demo-client&client_secret=lp-demo-secret&grant_type=client_credentials',
  });
  expect(res.status).toBe(200);
  return ((await jsonOf(res)) as { access_token: string }).access_token;
}

function searchAs(emu: LivePersonEmulator, account: string, token: string): Promise<Response> {
  return fetch(`${emu.url}/messaging_history/api/account/${account}/conversations/search?source=t&limit=5`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ start: { from: anchor - 30 * DAY, to: anchor }, status: ['CLOSE'] }),
  });
}

describe('LivePerson emulator: extra accounts', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, conversations: 60, days: 1, anchorTime: anchor, maxMessages: 6, extraAccountIds: [...EXTRA] });
  });
  afterAll(() => emu.close());

  it('serves every extra account the same conversations, rendered with that account’s id', async () => {
    const main = await collectWindow(clientFor(emu), window);
    const extra = clientFor(emu, { accountId: EXTRA[1] });
    const other = await collectWindow(extra, window);
    expect(main.ids).toHaveLength(60);
    expect(other.ids).toEqual(main.ids);

    const page = await extra.searchClosed(window, 0, 60);
    const records = page.records as any[];
    expect(records.map((r) => r.info.brandId)).toEqual(records.map(() => EXTRA[1]));
    const files = records.flatMap((r) =>
      (r.messageRecords as any[]).map((m) => m.messageData?.file?.relativePath).filter((p): p is string => typeof p === 'string'),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const p of files) expect(p).toContain(`/${EXTRA[1]}/`);
  });

  it('serves an extra account’s hosted files with the bytes of the main account’s (the same volume per account)', async () => {
    const page = await clientFor(emu).searchClosed(window, 0, 60);
    const withFiles = (page.records as any[]).find((r) => (r.messageRecords as any[]).some((m) => m.type === 'HOSTED_FILE'));
    const id = withFiles.info.conversationId as string;
    const download = async (account: string): Promise<Map<string, string>> => {
      const client = clientFor(emu, { accountId: account });
      const out = new Map<string, string>();
      for (const [path, url] of await client.conversationFileUrls(id)) {
        out.set(
          path.replace(`/${account}/`, '/{account}/'),
          createHash('sha256')
            .update(await client.downloadFile(url))
            .digest('hex'),
        );
      }
      return out;
    };
    const main = await download(MAIN);
    expect(main.size).toBeGreaterThan(0);
    expect(await download(EXTRA[0])).toEqual(main);
  });

  it('gives every extra account its users and its own CSDS answer', async () => {
    const extra = clientFor(emu, { accountId: EXTRA[0] });
    expect((await extra.listUsers()).length).toBe((await clientFor(emu).listUsers()).length);
    const csds = await jsonOf(fetch(`${emu.url}/api/account/${EXTRA[0]}/service/baseURI.json?version=1.0`));
    expect(new Set((csds.baseURIs as any[]).map((b) => b.account))).toEqual(new Set([EXTRA[0]]));
  });

  it('refuses a token of one account on another account’s paths, and takes it on its own', async () => {
    const token = await tokenOf(emu, EXTRA[0]);
    expect((await searchAs(emu, EXTRA[0], token)).status).toBe(200);
    for (const account of [MAIN, EXTRA[1]]) {
      const res = await searchAs(emu, account, token);
      expect(res.status).toBe(401);
      expect((await jsonOf(res)).message).toBe('Unauthorized: token of another account');
    }
    const mainToken = await tokenOf(emu, MAIN);
    expect((await searchAs(emu, EXTRA[0], mainToken)).status).toBe(401);
  });

  it('serves a conversation added for one account to that account only, in search and by id', async () => {
    const endTime = anchor - 60_000;
    const added = await addConversation(emu, { endTime, account: EXTRA[0], visibleImmediately: true, messageCount: 4 });
    const near = { from: endTime, to: endTime + 1 };
    const own = clientFor(emu, { accountId: EXTRA[0] });
    expect((await collectWindow(own, near)).ids).toEqual([added.conversationId]);
    expect(await own.getConversations([added.conversationId])).toHaveLength(1);
    for (const account of [MAIN, EXTRA[1]]) {
      const other = clientFor(emu, { accountId: account });
      expect((await collectWindow(other, near)).ids).toEqual([]);
      expect(await other.getConversations([added.conversationId])).toEqual([]);
    }
    const res = await fetch(`${emu.url}/_emulator/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endTime, account: '99999999' }),
    });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/account 99999999 is not served by this emulator/);
  });

  it('still does not know accounts it was not given', async () => {
    await expect(clientFor(emu, { accountId: '12345681' }).searchClosed(window, 0, 5)).rejects.toBeInstanceOf(LivePersonAccountError);
  });
});

describe('LivePerson emulator: one account by default', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, conversations: 5, days: 1, anchorTime: anchor, maxMessages: 3 });
  });
  afterAll(() => emu.close());

  it('serves only its account', async () => {
    expect(emu.accountIds).toEqual([MAIN]);
    expect((await fetch(`${emu.url}/api/account/${EXTRA[0]}/service/baseURI.json?version=1.0`)).status).toBe(404);
    await expect(clientFor(emu, { accountId: EXTRA[0] }).listUsers()).rejects.toBeInstanceOf(LivePersonAccountError);
  });
});
