import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { formatEnvFile } from '../../src/config/env-file';
import { completenessBlobName, LOG_CSV_COLUMNS, logPartBlobName } from '../../src/model';
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

/** Log parts as import-page wrote them before the m365Upn column (object ids only). */
function oldPart(rows: (readonly string[])[]): string {
  return stringify(
    rows.map((r) => ['2026-03-02T11:00:00.000Z', ...r]),
    { header: true, columns: LOG_CSV_COLUMNS.filter((c) => c !== 'm365Upn') },
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
        ['imported', 'c1', '1000', 'a1', 'u1', 'ann@contoso.example', ''],
        ['imported', 'c1', '1000', 'a2', 'u2', 'bob@contoso.example', ''],
        [
          'failed',
          'c1',
          '1000',
          'a3',
          '-',
          '',
          'unmapped participant (not-in-directory): participant a3 (x@y): no Microsoft 365 user has this address as mail or proxy address.',
        ],
        ['skipped-duplicate', 'c2', '2000', 'a1', 'u1', 'ann@contoso.example', 'already in the mailbox (same import key)'],
        ['external', 'c2', '2000', 'v9', '-', '', 'external participant (not-in-directory)'],
      ]),
    );
    // Written before the UPN column existed: still read, the UPN empty.
    await staging.putText(
      'logs',
      logPartBlobName('emea', '2026-03-02', '20260302T0600Z-20260302T1200Z', 3),
      oldPart([['partial', 'c3', '3000', 'a1', 'u1', 'partial: file photo.png could not be downloaded']]),
    );
    // Another connector's log on the same day must not leak in.
    await staging.putText(
      'logs',
      logPartBlobName('emea-2', '2026-03-02', '20260302T0000Z-20260302T0600Z', 0),
      part([['failed', 'zz', '1', 'a', '-', '', 'other']]),
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
    // One date format: ISO days, ISO 8601 UTC times.
    expect(r.stdout).toContain('No items ingested on 2026-03-01 (UTC day)');
    expect(r.stdout).toContain('No items ingested on 2026-03-03 (UTC day)');
    expect(r.stdout).toContain('Log of connector emea for 2026-03-02 (UTC day)');
    expect(r.stdout).not.toMatch(/\d\d\/\d\d\/\d{4}/);
    expect(r.stdout).toMatch(/Import completion time\s+2026-03-02T11:00:00.000Z\n/);
    expect(r.stdout).toMatch(/Items available for import\s+5\n/);
    expect(r.stdout).toMatch(/Items imported successfully\s+2\n/);
    expect(r.stdout).toMatch(/Items partially imported\s+1\n/);
    expect(r.stdout).toMatch(/Items skipped \(duplicates\)\s+1\n/);
    // Unmapped participants count as failed, but are told apart from faults, with why and the fix.
    expect(r.stdout).toMatch(/Items failed\s+1 {2}\(1 unmapped participant: mapping gaps, not faults; 0 other failures\)\n/);
    expect(r.stdout).toContain("Unmapped participants (1): mapping gaps, not faults; their items count as failed, as in Microsoft's log");
    expect(r.stdout).toContain(
      'a3 | 1 | participant a3 (x@y): no Microsoft 365 user has this address as mail or proxy address. | map them in the mapping CSV (graph.mappingCsvPath), or set graph.catchAllMailbox',
    );
    expect(r.stdout).toContain('Other failures (1)');
    // A row from before the UPN column names the user by object id only.
    expect(r.stdout).toContain('c3 | a1 | u1 | partial | partial: file photo.png');
    expect(r.stdout).not.toContain('zz');
    expect(r.stdout.indexOf('2026-03-01')).toBeLessThan(r.stdout.indexOf('2026-03-02'));

    const local = await cli(['log', 'emea', '--from', '2026-03-02', '--to', '2026-03-02', '--time-format', 'local'], {
      ...env,
      TZ: 'Europe/Paris',
    });
    expect(local.stdout).toMatch(/Import completion time\s+2026-03-02 12:00:00 \+01:00\n/);
    const bad = await cli(['log', 'emea', '--to', '2026-03-02'], { ...env, LPA_TIME_FORMAT: 'us' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LPA_TIME_FORMAT must be iso or local, got "us"/);
  });

  it("shows each checked day's completeness proof: complete with its counts, or the ids not archived, in text, CSV and JSON", async () => {
    const { azuriteConnectionString } = testServices();
    const staging = new BlobStaging({ kind: 'connection-string', connectionString: azuriteConnectionString, containerPrefix: prefix });
    const proof = (day: string, missing: { conversationId: string; version: string }[]) => ({
      connector: 'proofed',
      day,
      covers: { from: `${day}T00:00:00.000Z`, to: `${day}T23:59:59.999Z` },
      status: missing.length === 0 ? 'complete' : 'incomplete',
      reported: 3 + missing.length,
      archived: 2,
      failed: 1,
      missing,
      checkedAt: `${day}T23:59:00.000Z`,
      checks: [],
    });
    await staging.putText(
      'logs',
      logPartBlobName('proofed', '2026-03-05', '20260305T0000Z-20260306T0000Z', 0),
      part([['imported', 'c1', '1000', 'a1', 'u1', 'ann@contoso.example', '']]),
    );
    await staging.putJson(
      'logs',
      completenessBlobName('proofed', '2026-03-05'),
      proof('2026-03-05', [{ conversationId: 'c-missing', version: '1772700000000' }]),
    );
    await staging.putJson('logs', completenessBlobName('proofed', '2026-03-06'), proof('2026-03-06', []));

    const text = await cli(['log', 'proofed', '--from', '2026-03-05', '--to', '2026-03-07'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Completeness\s+INCOMPLETE, 4 closed in LivePerson: 2 archived, 1 failed \(logged\), 1 not archived yet/);
    expect(text.stdout).toContain('not archived: c-missing (closed 2026-03-05T08:40:00.000Z)');
    // A day without items can still be proven complete; a day not checked says so only when it has items.
    expect(text.stdout).toMatch(/No items ingested on 2026-03-06 \(UTC day\)\n\s+Completeness\s+complete, 3 closed in LivePerson/);
    expect(text.stdout).toMatch(/No items ingested on 2026-03-07 \(UTC day\)\n*$/);
    // The counts are the items' only.
    expect(text.stdout).toMatch(/Items available for import\s+1\n/);

    const csv = await cli(['log', 'proofed', '--from', '2026-03-05', '--to', '2026-03-06', '-o', 'csv'], env);
    const rows = parse<Record<string, string>>(csv.stdout, { columns: true });
    expect(rows.map((x) => `${x.day} ${x.result} ${x.itemId}`)).toEqual([
      '2026-03-05 imported c1',
      '2026-03-05 day-incomplete -',
      '2026-03-05 not-archived c-missing',
      '2026-03-06 day-complete -',
    ]);
    expect(rows[1]!.reason).toBe('4 closed in LivePerson: 2 archived, 1 failed, 1 not archived');

    const json = await cli(['log', 'proofed', '--from', '2026-03-05', '--to', '2026-03-05', '-o', 'json'], env);
    const parsed = JSON.parse(json.stdout) as { days: { completeness?: { status: string; missing: { conversationId: string }[] } }[] };
    expect(parsed.days[0]!.completeness).toMatchObject({ status: 'incomplete', missing: [{ conversationId: 'c-missing' }] });
  });

  it('downloads every row of the range as CSV with a day column, to a file', async () => {
    const out = join(files.dir, 'emea.csv');
    const r = await cli(['log', 'emea', '--from', '2026-03-02', '--to', '2026-03-02', '-o', 'csv', '--out', out], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Wrote the log of connector "emea" \(6 rows/);
    const rows = parse<Record<string, string>>(readFileSync(out, 'utf8'), { columns: true });
    expect(rows).toHaveLength(6);
    expect(Object.keys(rows[0]!)).toEqual(['day', ...LOG_CSV_COLUMNS]);
    expect(LOG_CSV_COLUMNS).toContain('m365Upn');
    expect(rows.map((x) => x.result)).toEqual(['imported', 'imported', 'failed', 'skipped-duplicate', 'external', 'partial']);
    // Microsoft 365 users by UPN and object id; the older part has no UPN.
    expect(rows.map((x) => [x.m365User, x.m365Upn])).toEqual([
      ['u1', 'ann@contoso.example'],
      ['u2', 'bob@contoso.example'],
      ['-', ''],
      ['u1', 'ann@contoso.example'],
      ['-', ''],
      ['u1', ''],
    ]);
    for (const x of rows) expect(x.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
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
      unmapped: 1,
    });
    const b = await cli(['log', 'broken', '--from', '2026-03-02', '--to', '2026-03-02'], env);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/broken\/2026-03-02\/.*line 2 has an unknown result "exploded"/);
  });

  it('exits 1 for a connector that has no log and is unknown to Temporal, as JSON under -o json', async () => {
    const { temporalAddress, temporalNamespace } = testServices();
    const flags = ['--address', temporalAddress, '--namespace', temporalNamespace];
    const text = await cli([...flags, 'log', 'nope'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/No connector named "nope" .*connector list.* Its log has no rows either/);
    const json = await cli([...flags, '-o', 'json', 'log', 'nope'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: 'connector-not-found', message: expect.stringMatching(/No connector named "nope"/) },
    });
    expect(json.stderr).toBe('');
    // A connector with a log on other days is known: an empty range is news, not an error (Temporal not asked).
    const quiet = await cli(['--address', '127.0.0.1:1', 'log', 'emea', '--from', '2026-04-01', '--to', '2026-04-02'], env);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('No items ingested on 2026-04-02 (UTC day)');
  });

  it('reads the local stack env file (.stack/env in the working directory, --env-file, LPA_ENV_FILE); exported variables win', async () => {
    const stackDir = files.dir;
    mkdirSync(join(stackDir, '.stack'), { recursive: true });
    const envFile = join(stackDir, '.stack', 'env');
    writeFileSync(envFile, formatEnvFile(env));
    const range = ['--from', '2026-03-02', '--to', '2026-03-02'];

    const found = await cli(['log', 'emea', ...range], {}, { cwd: stackDir });
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/Items available for import\s+5\n/);
    expect(found.stderr).toBe('Read .stack/env (2 variables)\n');

    const named = await cli(['--env-file', envFile, 'log', 'emea', ...range], {});
    expect(named.code).toBe(0);
    expect(named.stderr).toMatch(/^Read \S+\.stack\/env \(2 variables\)\n$/);
    expect((await cli(['log', 'emea', ...range], { LPA_ENV_FILE: envFile })).code).toBe(0);

    // Set in the environment, even empty, beats the file; the advice then names the file.
    const shadowed = await cli(['log', 'emea', ...range], { AZURE_STORAGE_CONNECTION_STRING: '' }, { cwd: stackDir });
    expect(shadowed.code).toBe(1);
    expect(shadowed.stderr).toMatch(/Read \.stack\/env \(1 variable; 1 already set in the environment, kept\)/);
    expect(shadowed.stderr).toMatch(/This command needs AZURE_STORAGE_CONNECTION_STRING .*It is not in \S+\.stack\/env either/);

    const missing = await cli(['--env-file', join(stackDir, 'nope.env'), 'log', 'emea'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--env-file \S+nope\.env cannot be read \(ENOENT\)\. Start the local stack/);
  });

  it('exits 1 with advice for the operator (not the worker) when storage is not configured, and 2 for a reversed range', async () => {
    const none = await cli(['log', 'emea'], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/This command needs AZURE_STORAGE_CONNECTION_STRING .*npm run stack .*--env-file <file>/);
    expect(none.stderr).not.toMatch(/where the worker runs|reconfigure or resume/);
    const reversed = await cli(['log', 'emea', '--from', '2026-03-05', '--to', '2026-03-01'], env);
    expect(reversed.code).toBe(2);
  });
});
