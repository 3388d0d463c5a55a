import type { GraphEmulator } from '../../emulators/graph/server';
import { clientFor, itemsWithKey, rawToken, sampleMessage, startEmulator, stats } from './helpers';

interface DirectoryEntry {
  id: string;
  userPrincipalName: string;
  mail: string;
  proxyAddresses: string[];
  mailbox: string;
  copy: number;
  copyOf?: string;
}

async function directory(emu: GraphEmulator): Promise<DirectoryEntry[]> {
  return (await (await fetch(`${emu.url}/_emulator/directory`)).json()) as DirectoryEntry[];
}

/** Every page of `GET /v1.0/users`, as a client would read it. */
async function graphUsers(emu: GraphEmulator): Promise<{ id: string; userPrincipalName: string }[]> {
  const token = await rawToken(emu);
  const out: { id: string; userPrincipalName: string }[] = [];
  for (let url: string | undefined = `${emu.graphBaseUrl}/users?$top=999`; url;) {
    const page = (await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      value: typeof out;
      '@odata.nextLink'?: string;
    };
    out.push(...page.value);
    url = page['@odata.nextLink'];
  }
  return out;
}

describe('Graph emulator: copies of the directory', () => {
  let single: GraphEmulator;
  let tripled: GraphEmulator;
  beforeAll(async () => {
    [single, tripled] = await Promise.all([startEmulator({ port: 0 }), startEmulator({ port: 0, directoryCopies: 3 })]);
  });
  afterAll(async () => {
    await Promise.all([single.close(), tripled.close()]);
  });

  it('keeps copy 1 as the original directory and adds every user once per further copy', async () => {
    const original = await directory(single);
    const all = await directory(tripled);
    expect(all).toHaveLength(3 * original.length);
    expect(all.slice(0, original.length)).toEqual(original);
    expect(original.every((u) => u.copy === 1)).toBe(true);
    expect(await graphUsers(tripled)).toHaveLength(3 * original.length);
    expect(new Set(all.map((u) => u.id)).size).toBe(all.length);
    expect(new Set(all.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(all.length);
  });

  it('marks a copy’s addresses and keeps the original’s mailbox state', async () => {
    const all = await directory(tripled);
    const original = all.find((u) => u.copy === 1 && u.mailbox === 'ok')!;
    const [local, domain] = original.mail.split('@');
    const copy = all.find((u) => u.copy === 3 && u.copyOf === original.id)!;
    expect(copy.mail).toBe(`c3.${local}@${domain}`);
    expect(copy.userPrincipalName).toBe(`c3.${original.userPrincipalName}`);
    expect(copy.proxyAddresses).toEqual(original.proxyAddresses.map((p) => `${p.slice(0, 5)}c3.${p.slice(5)}`));
    for (const u of all.filter((x) => x.copy === 1)) {
      expect(all.filter((x) => x.copyOf === u.id).map((x) => x.mailbox)).toEqual([u.mailbox, u.mailbox]);
    }
  });

  it('gives the same ids on every start', async () => {
    const again = await startEmulator({ port: 0, directoryCopies: 3 });
    try {
      expect((await directory(again)).map((u) => u.id)).toEqual((await directory(tripled)).map((u) => u.id));
    } finally {
      await again.close();
    }
  });

  it('keeps a message created in a copy’s mailbox out of the original’s, and counts its upload apart', async () => {
    const all = await directory(tripled);
    const original = all.find((u) => u.copy === 1 && u.mailbox === 'ok')!;
    const copy = all.find((u) => u.copy === 2 && u.copyOf === original.id)!;
    const client = clientFor(tripled);
    const found = await client.getUser(copy.userPrincipalName);
    expect(found?.id).toBe(copy.id);
    expect(await client.findUserByAddress(copy.mail)).toMatchObject({ id: copy.id, via: 'mail' });

    const folder = await client.ensureImportFolder(copy.id);
    const msg = sampleMessage('copy-only');
    await client.importMessage(copy.id, folder, msg);
    expect(await itemsWithKey(tripled, copy.id, msg.importKey)).toHaveLength(1);
    expect(await itemsWithKey(tripled, original.id, msg.importKey)).toHaveLength(0);
    const s = await stats(tripled);
    expect(s.mailboxes[copy.id]?.bytesUploaded).toBeGreaterThan(0);
    expect(s.mailboxes[original.id]?.bytesUploaded ?? 0).toBe(0);
  });
});
