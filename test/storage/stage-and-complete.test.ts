/**
 * Acceptance for the staging layer, driven through the real activities (stage, complete) with the real
 * BlobStaging on Azurite: re-running a page leaves exactly one item per conversation version, and a
 * window's manifest lists exactly its imported items with their sizes and hashes.
 */
import { makeCompleteWindow } from '../../src/activities/complete-window';
import type { WindowManifest } from '../../src/pipeline/manifest';
import type { ActivityDeps } from '../../src/activities/ports';
import type { ConvertedItem, ConvertedBatchFile, RoutedBatchFile, StagedBatchFile } from '../../src/pipeline/batch-files';
import { makeStageBatch } from '../../src/activities/stage-batch';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { itemBlobName, manifestBlobName, rawPageBlobName, windowLabel, workBlobName, type TimeWindow } from '../../src/model';
import { BlobStaging, sha256Hex } from '../../src/storage';
import { testServices, uniqueId } from '../setup/services';

const { azuriteConnectionString } = testServices();
const staging = new BlobStaging({
  kind: 'connection-string',
  connectionString: azuriteConnectionString,
  containerPrefix: `${uniqueId('a')}-`,
});

/** Stage and complete only need the staging; the rest of the ports must not be touched. */
const deps: ActivityDeps = {
  staging,
  source: () => {
    throw new Error('not used by stage/complete');
  },
  users: () => Promise.reject(new Error('not used by stage/complete')),
  files: () => {
    throw new Error('not used by stage/complete');
  },
  resolver: () => Promise.reject(new Error('not used by stage/complete')),
  mailbox: () => {
    throw new Error('not used by stage/complete');
  },
};
const stagePage = makeStageBatch(deps);
const completeWindow = makeCompleteWindow(deps);

const now = Date.now();
const config = parseConnectorConfig(
  {
    name: uniqueId('c'),
    liveperson: { accountId: '12345678', credentialsRef: 'LP_TEST' },
    graph: { credentialsRef: 'GRAPH_TEST' },
    schedule: { startDate: new Date(now - 86_400_000).toISOString() },
  },
  now,
);
const window: TimeWindow = { from: Date.UTC(2026, 0, 5, 10, 0), to: Date.UTC(2026, 0, 5, 10, 10) };
const label = windowLabel(window);

function eml(conversationId: string, version: string, text = 'Hello'): string {
  return `From: agent@contoso.com\r\nSubject: Conversation ${conversationId} v${version}\r\nMessage-ID: <${conversationId}.${version}@lp-archive>\r\n\r\n${text}\r\n`;
}

/** Writes a converted page as the convert activity would: one .eml per item plus the page file. */
async function fabricateConvertedPage(
  w: TimeWindow,
  page: number,
  items: { id: string; version: string; text?: string }[],
): Promise<string> {
  const converted: ConvertedItem[] = [];
  for (const it of items) {
    const workEml = `${config.name}/${windowLabel(w)}/page-${String(page).padStart(5, '0')}.${it.id}.${it.version}.eml`;
    const text = eml(it.id, it.version, it.text);
    await staging.putText('work', workEml, text);
    converted.push({
      conversationId: it.id,
      version: it.version,
      endTime: w.from + 60_000,
      workEml,
      size: Buffer.byteLength(text),
      partialReasons: [],
      participants: [{ id: 'agent-1', kind: 'agent', loginName: 'agent', email: 'agent@contoso.com', routable: true }],
    });
  }
  const file: ConvertedBatchFile = {
    items: converted,
    failures: page === 1 ? [{ itemId: 'c-bad', version: '1', sourceUser: '-', reason: 'malformed' }] : [],
  };
  const name = workBlobName(config.name, windowLabel(w), page, 'converted');
  await staging.putJson('work', name, file);
  return name;
}

/** Stands in for resolve: every item goes to one mailbox. */
async function routePage(w: TimeWindow, page: number, stagedName: string): Promise<void> {
  const staged = await staging.getJson<StagedBatchFile>('work', stagedName);
  const routed: RoutedBatchFile = {
    items: staged.items.map((it) => ({
      ...it,
      targets: [{ participantId: 'agent-1', userId: 'user-1', userPrincipalName: 'agent@contoso.com', via: 'directory' }],
      unmapped: [],
      external: [],
    })),
    failures: staged.failures,
  };
  await staging.putJson('work', workBlobName(config.name, windowLabel(w), page, 'routed'), routed);
}

const page1 = [
  { id: 'c-1', version: '1' },
  { id: 'c-2', version: '1' },
  // c-2 re-opened and closed again: a new version, a separate item.
  { id: 'c-2', version: '2' },
];
const page2 = [{ id: 'c-3', version: '1' }];
const accountPrefix = `${config.liveperson.accountId}/`;

beforeAll(async () => {
  await staging.ensureContainers();
});

describe('stage + complete against Azurite', () => {
  it('re-running a page leaves exactly one item per conversation version', async () => {
    const converted = await fabricateConvertedPage(window, 1, page1);
    const first = await stagePage({ config, window, page: 1, converted });
    expect(first).toMatchObject({ created: 3, existing: 0, conflicts: 0 });

    // Temporal retries the activity (the first attempt's result was lost): same page, same bytes.
    const second = await stagePage({ config, window, page: 1, converted });
    const third = await stagePage({ config, window, page: 1, converted });
    expect(second).toMatchObject({ created: 0, existing: 3, conflicts: 0 });
    expect(third).toMatchObject({ created: 0, existing: 3, conflicts: 0 });

    const expected = page1.map((it) => itemBlobName(config.liveperson.accountId, it.id, it.version)).sort();
    expect(await staging.list('items', accountPrefix)).toEqual(expected);
    for (const it of page1) {
      const sealed = await staging.readItem(itemBlobName(config.liveperson.accountId, it.id, it.version));
      expect(sealed.bytes.toString('utf8')).toBe(eml(it.id, it.version));
      expect(sealed.metadata).toMatchObject({ conversationid: it.id, version: it.version, accountid: config.liveperson.accountId });
    }
  });

  it('a re-run whose conversion differs keeps the sealed item and reports the conflict', async () => {
    const converted = await fabricateConvertedPage(window, 1, [{ ...page1[0]!, text: 'Hello (converter changed)' }, page1[1]!, page1[2]!]);
    const rerun = await stagePage({ config, window, page: 1, converted });
    expect(rerun).toMatchObject({ created: 0, existing: 2, conflicts: 1 });
    const staged = await staging.getJson<StagedBatchFile>('work', rerun.staged);
    const c1 = staged.items.find((it) => it.conversationId === 'c-1')!;
    expect(c1.stagedStatus).toBe('conflict');
    expect(c1.sha256).toBe(sha256Hex(Buffer.from(eml('c-1', '1'))));
    expect((await staging.readItem(c1.itemBlob)).bytes.toString('utf8')).toBe(eml('c-1', '1'));
    expect(await staging.list('items', accountPrefix)).toHaveLength(3);
  });

  it("a window's manifest lists exactly its imported items, with the stored sizes and hashes", async () => {
    // Restore page 1's original conversion, then stage and route both pages of the window.
    const converted1 = await fabricateConvertedPage(window, 1, page1);
    const staged1 = await stagePage({ config, window, page: 1, converted: converted1 });
    const converted2 = await fabricateConvertedPage(window, 2, page2);
    const staged2 = await stagePage({ config, window, page: 2, converted: converted2 });
    await routePage(window, 1, staged1.staged);
    await routePage(window, 2, staged2.staged);
    await staging.putJson('raw', rawPageBlobName(config.name, label, 1), { records: [] });
    await staging.putJson('raw', rawPageBlobName(config.name, label, 2), { records: [] });

    // Another window's item in the same container must not appear in this manifest.
    const other: TimeWindow = { from: window.to, to: window.to + 600_000 };
    const stagedOther = await stagePage({
      config,
      window: other,
      page: 1,
      converted: await fabricateConvertedPage(other, 1, [{ id: 'c-9', version: '1' }]),
    });
    expect(stagedOther.created).toBe(1);

    const result = await completeWindow({ config, window, pages: [1, 2] });
    expect(result).toEqual({ manifest: manifestBlobName(config.name, label), items: 4 });

    const manifest = await staging.getJson<WindowManifest>('manifests', result.manifest);
    expect(manifest).toMatchObject({ connector: config.name, accountId: config.liveperson.accountId, failures: 1 });
    expect(manifest.window).toEqual({ from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() });
    const listed = manifest.items.map((it) => `${it.conversationId}/${it.version}`).sort();
    expect(listed).toEqual(['c-1/1', 'c-2/1', 'c-2/2', 'c-3/1']);
    for (const entry of manifest.items) {
      // The chain of custody: each entry matches what is sealed in storage, checked by streaming the item.
      const verified = await staging.verifyItem(entry.blob);
      expect(entry).toMatchObject({ sha256: verified.sha256, size: verified.size, mailboxes: ['user-1'] });
      expect(entry.blob).toBe(itemBlobName(config.liveperson.accountId, entry.conversationId, entry.version));
    }

    // The window's raw pages and working files are gone; the sealed items stay.
    expect(await staging.list('raw', `${config.name}/${label}/`)).toEqual([]);
    expect(await staging.list('work', `${config.name}/${label}/`)).toEqual([]);
    expect(await staging.list('items', accountPrefix)).toHaveLength(5);

    // A retry whose first attempt finished but lost its answer completes again, with the same manifest.
    await expect(completeWindow({ config, window, pages: [1, 2] })).resolves.toEqual(result);
    expect((await staging.getJson<WindowManifest>('manifests', result.manifest)).items).toHaveLength(4);
  });
});
