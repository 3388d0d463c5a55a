/* eslint-disable @typescript-eslint/no-explicit-any -- tests inspect raw LivePerson JSON loosely, as it arrives */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { fileBytes, fileSize } from '../../emulators/liveperson/data/files';
import { toActivityFailure } from '../../src/runtime/error-interceptor';
import { buildActivityDeps } from '../../src/runtime/build-deps';
import { makeConvertBatch } from '../../src/activities/convert-batch';
import type { ConvertedItem, ConvertedBatchFile } from '../../src/pipeline/batch-files';
import { writeRawBatch } from '../../src/storage/raw-batches';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { parseArchiveItem, type ArchiveItemView } from '../../src/convert';
import { hostedFileContentType, hostedFileName } from '../../src/liveperson/hosted-files';
import { sourceRecordFileName, uniqueName } from '../../src/convert/attachments';
import type { ConnectorConfig, TimeWindow } from '../../src/model';
import { BlobStaging } from '../../src/storage/blob-staging';
import { clientFor, DAY, MINUTE, setFaults, startEmulator, stats } from '../liveperson/support';
import { testServices, uniqueId } from '../setup/services';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);
const window: TimeWindow = { from: anchor - DAY - MINUTE, to: anchor + MINUTE };
const ENV = {
  LP_CONV_CLIENT_ID: 'lp-demo-client',
  LP_CONV_CLIENT_SECRET: 'lp-demo-secret',
  GRAPH_CONV_TENANT_ID: 't',
  GRAPH_CONV_CLIENT_ID: 'c',
  GRAPH_CONV_CLIENT_SECRET: 's',
};
const noFaults = { rate429: 0, rate5xx: 0, missingFiles: [], missingFileRate: 0, expireNextFileUrls: 0, retryAfterSeconds: 1 };

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const filePaths = (record: any): string[] =>
  (record.messageRecords as any[]).filter((m) => m.type === 'HOSTED_FILE').map((m) => m.messageData.file.relativePath as string);
const idOf = (record: any): string => record.info.conversationId as string;

describe('convertPage: hosted files become attachments (real blob staging on Azurite, LivePerson emulator)', () => {
  let emu: LivePersonEmulator;
  let staging: BlobStaging;
  let convertPage: ReturnType<typeof makeConvertBatch>;
  let deps: ReturnType<typeof buildActivityDeps>;
  let records: any[];
  let pageNo = 0;

  function config(limits?: { maxItemBytes: number }): ConnectorConfig {
    return parseConnectorConfig(
      {
        name: 'conv-files',
        liveperson: { accountId: emu.accountId, credentialsRef: 'LP_CONV', csdsBaseUrl: emu.url, serviceScheme: 'http' },
        graph: { credentialsRef: 'GRAPH_CONV' },
        schedule: { startDate: new Date(window.from).toISOString() },
        ...(limits ? { limits } : {}),
      },
      anchor,
    );
  }

  /** Writes the records as a raw page, converts it, and reads back the page file and each item's parsed e-mail. */
  async function convert(
    recs: readonly unknown[],
    cfg = config(),
  ): Promise<{ file: ConvertedBatchFile; parsed: Map<string, ArchiveItemView> }> {
    const page = pageNo++;
    const rawPage = `test/${uniqueId('raw')}/page-${page}.json`;
    await writeRawBatch(staging, rawPage, window, page, recs);
    const result = await convertPage({ config: cfg, window, page, rawPage });
    const file = await staging.getJson<ConvertedBatchFile>('work', result.converted);
    expect(result).toMatchObject({ items: file.items.length, failed: file.failures.length });
    const parsed = new Map<string, ArchiveItemView>();
    for (const item of file.items) {
      // Convert seals each item itself; the tests convert the same records again, so each seal is removed once read.
      expect(item.sealed?.stagedStatus).toBe('created');
      const sealed = await staging.readItem(item.sealed!.itemBlob);
      expect(sealed.sha256).toBe(item.sealed!.sha256);
      expect(sealed.bytes.length).toBe(item.size);
      parsed.set(item.conversationId, await parseArchiveItem(sealed.bytes));
      await staging.delete('items', item.sealed!.itemBlob);
    }
    return { file, parsed };
  }

  const only = (file: ConvertedBatchFile): ConvertedItem => {
    expect(file.failures).toEqual([]);
    expect(file.items).toHaveLength(1);
    return file.items[0]!;
  };
  const header = (view: ArchiveItemView, name: string): string | undefined => view.xHeaders.find((h) => h.name === name)?.value;
  const fileAttachments = (view: ArchiveItemView) => view.attachments.filter((a) => !/^conversation-.*\.json$/.test(a.filename));
  /** A record with at least `n` hosted files, all of them small (keeps the test fast). */
  const withSmallFiles = (n: number): any => {
    const r = records.find(
      (x) =>
        filePaths(x).length >= n &&
        new Set(filePaths(x)).size === filePaths(x).length &&
        filePaths(x).every((p) => fileSize(p) < 250 * 1024),
    );
    expect(r).toBeDefined();
    return r;
  };

  beforeAll(async () => {
    emu = await startEmulator({ seed: 8, conversations: 150, days: 1, anchorTime: anchor, maxMessages: 40 });
    staging = new BlobStaging({
      kind: 'connection-string',
      connectionString: testServices().azuriteConnectionString,
      containerPrefix: `${uniqueId('conv')}-`,
    });
    await staging.ensureContainers();
    deps = buildActivityDeps(staging, ENV);
    convertPage = makeConvertBatch(deps);
    const client = clientFor(emu, { now: () => anchor });
    records = [];
    for (let offset = 0, count = 1; offset < count; offset += 100) {
      const page = await client.searchClosed(window, offset, 100);
      count = page.count;
      records.push(...page.records);
    }
    expect(records.filter((r) => filePaths(r).length > 0).length).toBeGreaterThan(20);
  });
  afterAll(async () => emu?.close());
  beforeEach(async () => {
    await setFaults(emu, noFaults);
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
  });

  it('attaches every hosted file of a conversation, byte-identical, with its media type', async () => {
    const record = withSmallFiles(2);
    const { file, parsed } = await convert([record]);
    const item = only(file);
    expect(item.partialReasons).toEqual([]);
    const view = parsed.get(idOf(record))!;
    expect(header(view, 'x-lp-partial')).toBe('no');
    const got = fileAttachments(view);
    expect(got).toHaveLength(filePaths(record).length);
    // Named as the user sent them (LivePerson's unique prefix dropped), numbered when a name repeats.
    const taken = new Set([sourceRecordFileName(idOf(record)).toLowerCase()]);
    const names = filePaths(record).map((path) => uniqueName(hostedFileName({ relativePath: path }), taken));
    for (const [i, path] of filePaths(record).entries()) {
      const a = got[i]!;
      expect(path.split('/').pop()).toMatch(/^[0-9a-f-]{36}_/);
      expect(sha(a.content)).toBe(sha(fileBytes(path)));
      expect(a.content.length).toBe(fileSize(path));
      expect(a.contentType).toBe(
        hostedFileContentType({
          relativePath: path,
          fileType: (record.messageRecords as any[]).find((m) => m.messageData.file?.relativePath === path).messageData.file.fileType,
        }),
      );
      expect(a.filename).toBe(names[i]);
    }
    expect((await stats(emu)).byRoute.fms).toBe(1); // one listing for the whole conversation
  });

  it("holds an item's files and message within the worker's item memory, and gives it back when the item is written", async () => {
    const budget = deps.itemMemory!;
    const taken: number[] = [];
    const take = budget.take.bind(budget);
    const spy = jest.spyOn(budget, 'take').mockImplementation(async (bytes) => {
      taken.push(bytes);
      const release = await take(bytes);
      expect(budget.inUse).toBe(bytes); // held while this item is built and written, nothing else
      return release;
    });
    try {
      const plain = records.find((r) => filePaths(r).length === 0);
      const withFiles = withSmallFiles(2);
      await convert([plain]);
      expect(taken).toEqual([]); // a conversation without files is small: it does not wait its turn
      await convert([withFiles]);
      const fileBytesInAll = filePaths(withFiles).reduce((n, p) => n + fileSize(p), 0);
      expect(taken).toHaveLength(1);
      expect(taken[0]).toBeGreaterThan(2.5 * fileBytesInAll);
      expect(budget.inUse).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('archives a conversation whose file LivePerson no longer has as partial, with the reason in the item, and keeps its other files', async () => {
    const record = withSmallFiles(2);
    const [gone, kept] = filePaths(record) as [string, string];
    await setFaults(emu, { missingFiles: [gone] });
    const { file, parsed } = await convert([record]);
    const item = only(file);
    expect(item.partialReasons).toEqual([`hosted file ${gone} is no longer in LivePerson’s file storage (HTTP 404)`]);
    const view = parsed.get(idOf(record))!;
    expect(header(view, 'x-lp-partial')).toContain(gone);
    expect(view.text).toContain('THIS ARCHIVE ITEM IS INCOMPLETE');
    expect(view.text).toContain('not available: hosted file');
    const got = fileAttachments(view);
    expect(got.map((a) => sha(a.content))).toContain(sha(fileBytes(kept)));
    expect(got.map((a) => sha(a.content))).not.toContain(sha(fileBytes(gone)));
    expect((await stats(emu)).faults.missingFile).toBe(1);
  });

  it('seals each item as it converts it; a retry finds the same bytes sealed, and a different re-conversion keeps the sealed item', async () => {
    const record = withSmallFiles(2);
    const [gone] = filePaths(record) as [string];
    const run = async (): Promise<ConvertedItem> => {
      const page = pageNo++;
      const rawPage = `test/${uniqueId('raw')}/page-${page}.json`;
      await writeRawBatch(staging, rawPage, window, page, [record]);
      const result = await convertPage({ config: config(), window, page, rawPage });
      return only(await staging.getJson<ConvertedBatchFile>('work', result.converted));
    };
    const first = await run();
    expect(first.sealed).toMatchObject({ stagedStatus: 'created', size: first.size });
    expect(first.workEml).toBeUndefined(); // no working copy: the item is written once
    const again = await run();
    expect(again.sealed).toEqual({ ...first.sealed, stagedStatus: 'exists' });
    await setFaults(emu, { missingFiles: [gone] }); // the re-conversion comes out partial: other bytes
    const partial = await run();
    expect(partial.partialReasons).toHaveLength(1);
    expect(partial.sealed).toEqual({ ...first.sealed, stagedStatus: 'conflict' });
    expect((await staging.readItem(first.sealed!.itemBlob)).sha256).toBe(first.sealed!.sha256);
    await staging.delete('items', first.sealed!.itemBlob);
  });

  it('asks for a fresh signed URL once when one has expired, and then gets the file', async () => {
    const record = withSmallFiles(1);
    await setFaults(emu, { expireNextFileUrls: 1 });
    const { file, parsed } = await convert([record]);
    expect(only(file).partialReasons).toEqual([]);
    expect(fileAttachments(parsed.get(idOf(record))!)).toHaveLength(filePaths(record).length);
    const s = await stats(emu);
    expect(s.faults.expiredFileUrl).toBe(1);
    expect(s.byRoute.fms).toBe(2);
  });

  it('gives up on a file whose fresh URL is refused too: partial, not a retry loop', async () => {
    const record = withSmallFiles(1);
    const [first] = filePaths(record) as [string];
    await setFaults(emu, { expireNextFileUrls: 2 });
    const { file } = await convert([record]);
    expect(only(file).partialReasons[0]).toBe(
      `hosted file ${first} could not be downloaded: LivePerson refused its signed URL even after a fresh one was requested (HTTP 401)`,
    );
    expect((await stats(emu)).faults.expiredFileUrl).toBe(2);
  });

  it('leaves out a file too large for limits.maxItemBytes and archives the rest as partial', async () => {
    const record = records.find((r) => filePaths(r).length === 1 && fileSize(filePaths(r)[0]!) > 1_500_000);
    expect(record).toBeDefined();
    const [big] = filePaths(record) as [string];
    const { file, parsed } = await convert([record], config({ maxItemBytes: 1_000_000 }));
    const item = only(file);
    expect(item.partialReasons).toHaveLength(1);
    expect(item.partialReasons[0]).toMatch(
      new RegExp(`^hosted file ${big} is larger than the \\d+ bytes the item had left under limits.maxItemBytes`),
    );
    expect(item.size).toBeLessThanOrEqual(1_000_000);
    expect(fileAttachments(parsed.get(idOf(record))!)).toEqual([]);
    expect((await stats(emu)).byRoute.swift ?? 0).toBeLessThanOrEqual(1); // refused from Content-Length, not read whole
  });

  it('converts every conversation of a page when many files are missing: none dropped, each affected one partial', async () => {
    const page = records.filter((r) => filePaths(r).every((p) => fileSize(p) < 1_000_000)).slice(0, 60);
    await setFaults(emu, { missingFileRate: 0.3 });
    const { file, parsed } = await convert(page);
    expect(file.failures).toEqual([]);
    expect(file.items.map((i) => i.conversationId).sort()).toEqual(page.map(idOf).sort());
    let partial = 0;
    for (const item of file.items) {
      const record = page.find((r) => idOf(r) === item.conversationId);
      const attached = new Set(fileAttachments(parsed.get(item.conversationId)!).map((a) => sha(a.content)));
      for (const path of new Set(filePaths(record))) {
        const missing = item.partialReasons.some((r) => r.includes(path));
        expect(missing).toBe(!attached.has(sha(fileBytes(path)))); // each file is either attached or named as missing
      }
      if (item.partialReasons.length > 0) partial++;
    }
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(page.length);
  });

  it.each([
    ['429 with Retry-After', { rate429: 1, retryAfterSeconds: 30 }, 30_000],
    ['503 with Retry-After', { rate5xx: 1, retryAfter5xxSeconds: 20 }, undefined],
  ])('fails the activity for a retry when the file service answers %s (nothing is marked partial)', async (_name, faults, delay) => {
    const record = withSmallFiles(1);
    await convert([record]); // users are now cached: the next failure comes from the file service
    await setFaults(emu, faults);
    const err = await convert([record]).catch((e: unknown) => toActivityFailure(e));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    if (delay !== undefined) expect((err as ApplicationFailure).nextRetryDelay).toBe(delay);
    expect((err as ApplicationFailure).message).toMatch(/fms|swift/);
  });
});
