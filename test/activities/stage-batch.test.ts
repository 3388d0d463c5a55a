import { randomBytes } from 'node:crypto';
import { buildActivityDeps } from '../../src/runtime/build-deps';
import type { ConvertedBatchFile, ConvertedItem, StagedBatchFile } from '../../src/pipeline/batch-files';
import { makeStageBatch } from '../../src/activities/stage-batch';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import type { TimeWindow } from '../../src/model';
import { BlobStaging } from '../../src/storage/blob-staging';
import { testServices, uniqueId } from '../setup/services';

const ENV = {
  LP_STAGE_CLIENT_ID: 'c',
  LP_STAGE_CLIENT_SECRET: 's',
  GRAPH_STAGE_TENANT_ID: 't',
  GRAPH_STAGE_CLIENT_ID: 'c',
  GRAPH_STAGE_CLIENT_SECRET: 's',
};
const window: TimeWindow = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 2) };

async function setUp() {
  const staging = new BlobStaging({
    kind: 'connection-string',
    connectionString: testServices().azuriteConnectionString,
    containerPrefix: `${uniqueId('stage')}-`,
  });
  await staging.ensureContainers();
  const deps = buildActivityDeps(staging, ENV);
  const config = parseConnectorConfig(
    {
      name: uniqueId('stage'),
      liveperson: { accountId: '12345678', credentialsRef: 'LP_STAGE' },
      graph: { credentialsRef: 'GRAPH_STAGE' },
      schedule: { startDate: '2026-11-01T00:00:00Z' },
    },
    window.to,
  );
  return { staging, deps, config };
}

describe('stagePage: items convert sealed already are passed on as they were sealed (real blob staging on Azurite)', () => {
  it('counts them by how their seal went, reads none of them and takes no item memory', async () => {
    const { staging, deps, config } = await setUp();
    const statuses = ['created', 'exists', 'conflict'] as const;
    const items: ConvertedItem[] = await Promise.all(
      statuses.map(async (stagedStatus, i) => {
        const itemBlob = `12345678/c-${i}/1.eml`;
        const sealed = await staging.putItemOnce(itemBlob, randomBytes(100 + i), {});
        const ref = { itemBlob, sha256: sealed.sha256, size: sealed.size, stagedStatus };
        return {
          conversationId: `c-${i}`,
          version: '1',
          endTime: window.from,
          size: sealed.size,
          partialReasons: [],
          participants: [],
          sealed: ref,
        };
      }),
    );
    const converted = `test/${config.name}/converted`;
    const failures = [{ itemId: 'bad', version: '-', sourceUser: '-', reason: 'malformed conversation: no id' }];
    await staging.putJson('work', converted, { items, failures } satisfies ConvertedBatchFile);
    const read = jest.spyOn(staging, 'openBlobStream');
    const take = jest.spyOn(deps.itemMemory!, 'take');

    const result = await makeStageBatch(deps)({ config, window, page: 0, converted });
    expect(result).toMatchObject({ created: 1, existing: 1, conflicts: 1 });
    expect(read).not.toHaveBeenCalled();
    expect(take).not.toHaveBeenCalled();
    const staged = await staging.getJson<StagedBatchFile>('work', result.staged);
    expect(staged.failures).toEqual(failures);
    expect(staged.items).toEqual(
      items.map(({ sealed, ...item }) => ({
        ...item,
        itemBlob: sealed!.itemBlob,
        sha256: sealed!.sha256,
        stagedStatus: sealed!.stagedStatus,
      })),
    );
  });
});

describe("stagePage: sealing a working copy takes its turn in the worker's item memory (real blob staging on Azurite)", () => {
  it('holds twice an item of up to 8 MB while it is gathered and written, and gives it back after', async () => {
    const { staging, deps, config } = await setUp();
    const sizes = [1_000, 3 * 2 ** 20];
    const items = await Promise.all(
      sizes.map(async (size, i) => {
        const workEml = `test/${config.name}/item-${i}.eml`;
        await staging.putMessage('work', workEml, randomBytes(size));
        return { conversationId: `c-${i}`, version: '1', endTime: window.from, workEml, size, partialReasons: [], participants: [] };
      }),
    );
    const converted = `test/${config.name}/converted`;
    await staging.putJson('work', converted, { items, failures: [] } satisfies ConvertedBatchFile);

    const budget = deps.itemMemory!;
    const taken: number[] = [];
    const take = budget.take.bind(budget);
    jest.spyOn(budget, 'take').mockImplementation(async (bytes) => (taken.push(bytes), take(bytes)));

    const result = await makeStageBatch(deps)({ config, window, page: 0, converted });
    expect(result).toMatchObject({ created: 2, existing: 0, conflicts: 0 });
    expect(taken).toEqual(sizes.map((s) => 2 * s));
    expect(budget.inUse).toBe(0);
    const staged = await staging.getJson<StagedBatchFile>('work', result.staged);
    expect(staged.items.map((i) => i.size)).toEqual(sizes);
  });
});
