import { toActivityFailure } from '../../src/runtime/error-interceptor';
import { Readable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ByteBudget } from '../../src/runtime/byte-budget';
import { GraphThrottledError } from '../../src/graph/errors';
import type { ImportBatchResult } from '../../src/activities/contracts';
import type { ActivityDeps, MailboxPort } from '../../src/activities/ports';
import { IMPORT_MEMORY_PER_ITEM_BYTE, makeImportBatch } from '../../src/activities/import-batch';
import type { RoutedBatchFile, RoutedBatchItem } from '../../src/pipeline/batch-files';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { conversationToEml } from '../../src/convert';
import { fixture } from '../convert/fixtures';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

const f = fixture('04-files-attached');
const EML = conversationToEml(f.conversation, { files: f.files, sourceRecord: f.sourceRecord ?? { fixture: '04' } }).eml;
const config = parseConnectorConfig(validConnectorFile(), CONFIG_NOW);
const window = { from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 10, 3) };

function routedItem(n: number, users: readonly string[] = ['user-1']): RoutedBatchItem {
  return {
    conversationId: `conv-${n}`,
    version: '1',
    endTime: window.from + n,
    workEml: `work/${n}.eml`,
    size: EML.length,
    partialReasons: [],
    participants: [],
    itemBlob: `items/${n}.eml`,
    sha256: 'x',
    stagedStatus: 'created',
    targets: users.map((userId, k) => ({
      participantId: `agent-${k}`,
      userId,
      userPrincipalName: `${userId}@contoso.example`,
      via: 'mail',
    })),
    unmapped: [],
    external: [],
  };
}

/** Deps whose mailbox takes 40 ms per create and records how many items are being imported at once. */
function fakeDeps(itemMemory: ByteBudget | undefined, failCreate = false, throttled: Set<string> = new Set(), users = ['user-1']) {
  let open = 0;
  const seen = { peak: 0, creates: 0, created: [] as string[] };
  const create = async (userId: string, msg: { importKey: string }): Promise<string> => {
    if (throttled.has(userId)) throw new GraphThrottledError(429, 'MailboxBudgetExhausted', 120_000, userId);
    seen.creates++;
    await new Promise((r) => setTimeout(r, 40));
    if (failCreate) throw new Error('connection reset');
    seen.created.push(`${userId}|${msg.importKey}`);
    return 'message-1';
  };
  const mailbox: MailboxPort = {
    ensureImportFolder: () => Promise.resolve('folder-1'),
    importMessage: async (userId, _folder, msg) => ({ messageId: await create(userId, msg), outcome: 'created' }),
    createSettled: async (userId, _folder, msg) => ({ messageId: await create(userId, msg), outcome: 'created' }),
  };
  const page = (p: number): RoutedBatchFile => ({ items: [routedItem(p * 10 + 1, users), routedItem(p * 10 + 2, users)], failures: [] });
  const staging = {
    getJson: (_kind: string, name: string) => Promise.resolve(page(Number(name.split('-').pop()))),
    putText: () => Promise.resolve(),
    openItemStream: () => {
      open++;
      seen.peak = Math.max(seen.peak, open);
      const stream = Readable.from([EML]);
      stream.on('close', () => open--);
      return Promise.resolve({ stream, sha256: 'x' });
    },
  };
  const deps = { staging, mailbox: () => mailbox, ...(itemMemory ? { itemMemory } : {}) } as unknown as ActivityDeps;
  return { deps, seen };
}

async function importPages(deps: ActivityDeps, pages: number): Promise<ImportBatchResult[]> {
  const importPage = makeImportBatch(deps);
  const cfg = { ...config, graph: { ...config.graph, existenceCheck: 'after-failure' as const } };
  return Promise.all(
    Array.from({ length: pages }, (_, p) =>
      new MockActivityEnvironment().run(async (): Promise<ImportBatchResult> =>
        importPage({ config: cfg, window, page: p, routed: `routed-${p}`, day: '2026-11-02' }),
      ),
    ),
  );
}

describe('importPage under the worker memory budget for items', () => {
  it('holds no more items at once than the budget allows, across activities, and imports them all', async () => {
    const budget = new ByteBudget(2 * IMPORT_MEMORY_PER_ITEM_BYTE * EML.length); // two items' worth
    const { deps, seen } = fakeDeps(budget);

    const results = await importPages(deps, 4);

    expect(results.map((r) => r.counts.imported)).toEqual([2, 2, 2, 2]);
    expect(seen.creates).toBe(8);
    expect(seen.peak).toBeLessThanOrEqual(2);
    expect(budget.inUse).toBe(0);
  });

  it('without a budget, the same four activities read more than two items at once (what the budget prevents)', async () => {
    const { deps, seen } = fakeDeps(undefined);
    await importPages(deps, 4);
    expect(seen.peak).toBeGreaterThan(2);
  });

  it('gives the budget back when an import fails', async () => {
    const budget = new ByteBudget(3 * EML.length);
    const { deps } = fakeDeps(budget, true);
    await expect(importPages(deps, 2)).rejects.toThrow(/connection reset/);
    await new Promise((r) => setTimeout(r, 100)); // the other activity ends too
    expect(budget.inUse).toBe(0);
  });
});

describe('importPage when one mailbox must wait', () => {
  const cfg = { ...config, graph: { ...config.graph, existenceCheck: 'after-failure' as const } };
  const ref = { config: cfg, window, page: 0, routed: 'routed-0', day: '2026-11-02' };

  it("puts off that mailbox's pairs, imports the others, and ends with the wait; the retry imports only what was put off", async () => {
    const throttled = new Set(['user-2']);
    const { deps, seen } = fakeDeps(undefined, false, throttled, ['user-1', 'user-2', 'user-3']);
    const importPage = makeImportBatch(deps);
    const first = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
    const beats: unknown[] = [];
    first.on('heartbeat', (d: unknown) => beats.push(d));

    const failure = await first.run(async () => importPage(ref)).catch((e: unknown) => toActivityFailure(e)); // as the worker's interceptor does

    expect(failure).toMatchObject({ type: 'GraphThrottledError', nextRetryDelay: 120_000 }); // Temporal retries after the wait
    expect(seen.created.map((c) => c.split('|')[0])).toEqual(['user-1', 'user-3', 'user-1', 'user-3']);
    const progress = beats.at(-1) as { done: number; alsoDone: number[]; outcomes: unknown[] };
    expect(progress).toMatchObject({ done: 1, alsoDone: [2, 3, 5] }); // pairs 1 and 4 (user-2) were put off
    expect(progress.outcomes).toHaveLength(4);

    throttled.clear(); // the mailbox's budget is back
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: progress, heartbeatTimeoutMs: 60_000 });
    const result = await retry.run(async (): Promise<ImportBatchResult> => importPage(ref));

    expect(seen.created.slice(4).map((c) => c.split('|')[0])).toEqual(['user-2', 'user-2']);
    expect(result.counts).toMatchObject({ forImport: 6, imported: 6, failed: 0, skippedDuplicate: 0 });
    expect(new Set(seen.created).size).toBe(6); // every pair once
  });
});

describe('importPage of a reimport, retried after its worker died', () => {
  const since = Date.parse('2026-12-04T08:00:00Z');
  const cfg = { ...config, graph: { ...config.graph, existenceCheck: 'always' as const } };

  /** A mailbox that holds both items already: conv-1 from before the reimport, conv-2 written since. */
  function foundDeps() {
    const created = new Map([
      ['conv-1', '2026-12-04T07:10:00Z'],
      ['conv-2', '2026-12-04T08:00:05Z'],
    ]);
    const mailbox: MailboxPort = {
      ensureImportFolder: () => Promise.resolve('folder-1'),
      importMessage: (_user, _folder, msg) => {
        const conversation = [...created.keys()].find((c) => msg.importKey.includes(`:${c}:`));
        return Promise.resolve({
          messageId: `m-${conversation}`,
          outcome: 'already-present',
          createdDateTime: created.get(conversation ?? ''),
        });
      },
      createSettled: () => Promise.reject(new Error('nothing is missing: no create expected')),
    };
    const items = [routedItem(1), routedItem(2)];
    const staging = {
      getJson: () => Promise.resolve({ items, failures: [] }),
      putText: () => Promise.resolve(),
      openItemStream: () => Promise.resolve({ stream: Readable.from([EML]), sha256: 'x' }),
    };
    return { staging, mailbox: () => mailbox } as unknown as ActivityDeps;
  }
  const ref = { config: cfg, window, page: 0, routed: 'routed-0', day: '2026-12-04', scope: 'r-1a2b3c4d-1' };

  it('logs what was there before the reimport as a duplicate and what its lost attempt wrote as imported', async () => {
    const importPage = makeImportBatch(foundDeps());
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatTimeoutMs: 60_000 });
    const result = await retry.run(async (): Promise<ImportBatchResult> => importPage({ ...ref, ownWritesSince: since }));
    expect(result.counts).toMatchObject({ forImport: 2, imported: 1, skippedDuplicate: 1, failed: 0 });
  });

  it('without the reimport start, a retry counts everything it finds as its own (the connector windows rule)', async () => {
    const importPage = makeImportBatch(foundDeps());
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatTimeoutMs: 60_000 });
    const result = await retry.run(async (): Promise<ImportBatchResult> => importPage(ref));
    expect(result.counts).toMatchObject({ forImport: 2, imported: 2, skippedDuplicate: 0 });
  });
});
