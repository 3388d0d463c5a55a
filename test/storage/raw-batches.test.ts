import type { RawBatchFile } from '../../src/pipeline/batch-files';
import { readRawRecords, writeRawBatch } from '../../src/storage/raw-batches';
import { BlobStaging } from '../../src/storage/blob-staging';
import { BlobContentError } from '../../src/storage/errors';
import { testServices, uniqueId } from '../setup/services';

const window = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 2) };

describe('raw batches as JSON lines (real blob staging on Azurite)', () => {
  const staging = new BlobStaging({
    kind: 'connection-string',
    connectionString: testServices().azuriteConnectionString,
    containerPrefix: `${uniqueId('raw')}-`,
  });
  const collect = async (name: string): Promise<unknown[]> => {
    const out: unknown[] = [];
    for await (const r of readRawRecords(staging, name)) out.push(r);
    return out;
  };

  beforeAll(() => staging.ensureContainers());

  it('gives back every record in order, unchanged, one line each (newlines and non-ASCII inside values too)', async () => {
    const records = Array.from({ length: 1200 }, (_, i) => ({
      info: { conversationId: `c-${i}`, endTimeL: window.from + i },
      text: `line one\nline two ${'é'.repeat(i % 7)}\u2028`,
    }));
    await writeRawBatch(staging, 'w/page-00000.json', window, 0, records);
    expect(await collect('w/page-00000.json')).toEqual(records);
    const text = await staging.getText('raw', 'w/page-00000.json');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1 + records.length);
    expect(JSON.parse(text.slice(0, text.indexOf('\n')))).toEqual({ format: 'json-lines', window, page: 0, count: records.length });
  });

  it('an empty page reads as no records', async () => {
    await writeRawBatch(staging, 'w/page-00001.json', window, 1, []);
    expect(await collect('w/page-00001.json')).toEqual([]);
  });

  it('still reads a page written as one JSON document (before JSON lines)', async () => {
    const legacy: RawBatchFile = {
      window,
      page: 2,
      records: [{ info: { conversationId: 'old-1' } }, { info: { conversationId: 'old-2' } }],
    };
    await staging.putJson('raw', 'w/page-00002.json', legacy);
    expect(await collect('w/page-00002.json')).toEqual(legacy.records);
  });

  it('a damaged line is an error naming the blob and line, not a silent skip', async () => {
    await staging.putText('raw', 'w/page-00003.json', '{"format":"json-lines"}\n{"info":{}}\n{not json\n');
    await expect(collect('w/page-00003.json')).rejects.toThrow(BlobContentError);
    await expect(collect('w/page-00003.json')).rejects.toThrow(/line 3 is not valid JSON/);
  });
});
