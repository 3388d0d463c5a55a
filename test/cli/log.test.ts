import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { LOG_CSV_COLUMNS, logPartBlobName } from '../../src/model';
import { BlobStaging } from '../../src/storage/blob-staging';
import { testServices, uniqueId } from '../setup/services';
import { cli, tempFiles } from './support';

/** Log parts exactly as import-page writes them. */
function part(rows: (readonly string[])[]): string {
  return stringify(
    rows.map((r) => ['2026-03-02T10:00:00.000Z', ...r]),
    { header: true, columns: [...LOG_CSV_COLUMNS] },
  );
}

describe('log: the per-day connector log from blob storage', () => {
  const prefix = `${uniqueId('lpl')}-`;
  let env: Record<string, string>;
  const files = tempFiles();

  beforeAll(async () => {
    const { azuriteConnectionString } = testServices();
    env = { AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString, LPA_CONTAINER_PREFIX: prefix };
    const staging = new BlobStaging({ kind: 'connection-string', connectionString: azuriteConnectionString, containerPrefix: prefix });
    await staging.ensureContainers();
    await staging.putText(
      'logs',
      logPartBlobName('emea', '2026-03-02', '20260302T0000Z-20260302T0600Z', 0),
      part([
        ['imported', 'c1', '1000', 'a1', 'u1', ''],
        ['imported', 'c1', '1000', 'a2', 'u2', ''],
        ['failed', 'c1', '1000', 'a3', '-', 'unmapped participant (not-in-directory: no user has x@y as mail)'],
        ['skipped-duplicate', 'c2', '2000', 'a1', 'u1', 'already in the mailbox (same import key)'],
        ['external', 'c2', '2000', 'v9', '-', 'external participant (not-in-directory)'],
      ]),
    );
    await staging.putText(
      'logs',
      logPartBlobName('emea', '2026-03-02', '20260302T0600Z-20260302T1200Z', 3),
      part([['partial', 'c3', '3000', 'a1', 'u1', 'partial: file photo.png could not be downloaded']]),
    );
    // Another connector's log on the same day must not leak in.
    await staging.putText(
      'logs',
      logPartBlobName('emea-2', '2026-03-02', '20260302T0000Z-20260302T0600Z', 0),
      part([['failed', 'zz', '1', 'a', '-', 'other']]),
    );
    await staging.putText(
      'logs',
      logPartBlobName('broken', '2026-03-02', '20260302T0000Z-20260302T0600Z', 0),
      'time,result,itemId,version,sourceUser,m365User,reason\nt,exploded,c,1,a,b,r\n',
    );
  });

  it('prints per day the Microsoft-shaped counts that add up, the failure rows, and "No items ingested" for empty days', async () => {
    const r = await cli(['log', 'emea', '--from', '2026-03-01', '--to', '2026-03-03'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No items ingested on 03/01/2026');
    expect(r.stdout).toContain('No items ingested on 03/03/2026');
    expect(r.stdout).toContain('Log of connector emea for 03/02/2026 (UTC)');
    expect(r.stdout).toMatch(/Items available for import\s+5\n/);
    expect(r.stdout).toMatch(/Items imported successfully\s+2\n/);
    expect(r.stdout).toMatch(/Items partially imported\s+1\n/);
    expect(r.stdout).toMatch(/Items skipped \(duplicates\)\s+1\n/);
    expect(r.stdout).toMatch(/Items failed\s+1\n/);
    // Unmapped participants once per day, with the number of items they affect.
    expect(r.stdout).toContain('Unmapped participants (1): source user id | items | reason');
    expect(r.stdout).toContain('a3 | 1 | unmapped participant (not-in-directory');
    expect(r.stdout).toContain('c3 | a1 | u1 | partial | partial: file photo.png');
    expect(r.stdout).not.toContain('zz');
    expect(r.stdout.indexOf('03/01/2026')).toBeLessThan(r.stdout.indexOf('03/02/2026'));
  });

  it('downloads every row of the range as CSV with a day column, to a file', async () => {
    const out = join(files.dir, 'emea.csv');
    const r = await cli(['log', 'emea', '--from', '2026-03-02', '--to', '2026-03-02', '-o', 'csv', '--out', out], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Wrote the log of connector "emea" \(6 rows/);
    const rows = parse<Record<string, string>>(readFileSync(out, 'utf8'), { columns: true });
    expect(rows).toHaveLength(6);
    expect(Object.keys(rows[0]!)).toEqual(['day', ...LOG_CSV_COLUMNS]);
    expect(rows.map((x) => x.result)).toEqual(['imported', 'imported', 'failed', 'skipped-duplicate', 'external', 'partial']);
  });

  it('gives JSON counts, and exits 1 naming the blob when a log part is damaged', async () => {
    const j = await cli(['log', 'emea', '--from', '2026-03-02', '--to', '2026-03-02', '-o', 'json'], env);
    expect(JSON.parse(j.stdout).days[0].counts).toEqual({
      forImport: 5,
      external: 1,
      imported: 2,
      partial: 1,
      skippedDuplicate: 1,
      failed: 1,
    });
    const b = await cli(['log', 'broken', '--from', '2026-03-02', '--to', '2026-03-02'], env);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/broken\/2026-03-02\/.*line 2 has an unknown result "exploded"/);
  });

  it('exits 1 with the variable to set when storage is not configured, and 2 for a reversed range', async () => {
    const none = await cli(['log', 'emea'], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/AZURE_STORAGE_CONNECTION_STRING/);
    const reversed = await cli(['log', 'emea', '--from', '2026-03-05', '--to', '2026-03-01'], env);
    expect(reversed.code).toBe(2);
  });
});
