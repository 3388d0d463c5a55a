import type { LogRow } from '../../src/cli/day-log';
import { importKey, logPartBlobName, scopedWindowLabel } from '../../src/model';
import { checkPairs, reimportScopeOf, type HeldItem, type OriginRow } from '../../scripts/faults/verify-pairs';

const CONNECTOR = 'faults-101';
const USER = 'user-1';
const OTHER = 'user-2';

function row(result: LogRow['result'], conversation: string, userId = USER): LogRow {
  return {
    time: '2026-12-04T07:00:00Z',
    result,
    itemId: conversation,
    version: '1000',
    sourceUser: 'agent-1',
    m365User: userId,
    m365Upn: '',
    reason: result === 'failed' ? 'ErrorQuotaExceeded: mailbox full' : '',
  };
}
const item = (conversation: string, userId = USER): HeldItem => ({
  userId,
  importKey: importKey(CONNECTOR, conversation, '1000'),
  isDraft: false,
});
const own = (r: LogRow): OriginRow => ({ row: r });
const reimported = (r: LogRow, scope = 'r-1a2b3c4d-1'): OriginRow => ({ row: r, reimport: scope });

function failing(items: HeldItem[], rows: OriginRow[], impaired: string[] = []): string[] {
  return checkPairs({ connector: CONNECTOR, items, rows, impaired: new Set(impaired) })
    .verdicts.filter((v) => !v.pass)
    .map((v) => v.check);
}

describe('fault suite checks: mailboxes against the log, with reimports', () => {
  it("knows a reimport's log parts by name, as the import activity names them", () => {
    const window = { from: Date.parse('2026-12-01T00:00:00Z'), to: Date.parse('2026-12-01T12:00:00Z') };
    const part = (scope?: string): string => logPartBlobName(CONNECTOR, '2026-12-04', scopedWindowLabel(window, scope), 3);
    expect(reimportScopeOf(part('r-1a2b3c4d-12'))).toBe('r-1a2b3c4d-12');
    expect(reimportScopeOf(part())).toBeUndefined();
    expect(reimportScopeOf(part('s-1a2b3c4d-2'))).toBeUndefined(); // a sweep's rows are the connector's own
    expect(reimportScopeOf(logPartBlobName(CONNECTOR, '2026-12-04', scopedWindowLabel(window, 'r-9f-1'), 0, 'chat'))).toBe('r-9f-1');
  });

  it("accepts a reimport's rows for pairs already imported, found by import key and logged as duplicates", () => {
    const result = checkPairs({
      connector: CONNECTOR,
      items: [item('c1'), item('c2')],
      rows: [
        own(row('imported', 'c1')),
        own(row('imported', 'c2')),
        reimported(row('skipped-duplicate', 'c1')),
        reimported(row('skipped-duplicate', 'c2')),
      ],
      impaired: new Set(),
    });
    expect(result.verdicts.filter((v) => !v.pass)).toEqual([]);
  });

  it('fails on a reimport that logs a pair the connector had imported as imported (it wrote nothing)', () => {
    const result = checkPairs({
      connector: CONNECTOR,
      items: [item('c1')],
      rows: [own(row('imported', 'c1')), reimported(row('imported', 'c1'))],
      impaired: new Set(),
    });
    expect(result.verdicts.filter((v) => !v.pass).map((v) => v.detail)).toEqual([
      expect.stringMatching(/1 imported rows for pairs the connector had already imported/),
    ]);
  });

  it('counts a pair the connector logged failed and a reimport then imported as written by the reimport', () => {
    const result = checkPairs({
      connector: CONNECTOR,
      items: [item('c1')],
      rows: [own(row('failed', 'c1')), reimported(row('imported', 'c1'))],
      impaired: new Set(),
    });
    expect(result.verdicts.filter((v) => !v.pass)).toEqual([]);
    expect(result.filledByReimport).toBe(1);
  });

  it('fails on a real duplicate: a pair held twice, whoever logged it', () => {
    // The connector imported it twice and logged it twice.
    expect(failing([item('c1'), item('c1')], [own(row('imported', 'c1')), own(row('imported', 'c1'))])).toEqual([
      'no (mailbox, item) pair twice',
      'one log row per (mailbox, item) pair',
    ]);
    // A reimport that created a second item instead of finding the first by its import key.
    expect(
      failing(
        [item('c1'), item('c1'), item('c2')],
        [own(row('imported', 'c1')), own(row('imported', 'c2')), reimported(row('imported', 'c1'))],
      ),
    ).toEqual(['no (mailbox, item) pair twice', "a reimport's rows only for pairs held once, duplicates as duplicates"]);
    // Held twice though every log says once.
    expect(failing([item('c1'), item('c1')], [own(row('imported', 'c1')), reimported(row('skipped-duplicate', 'c1'))])).toEqual([
      'no (mailbox, item) pair twice',
      "a reimport's rows only for pairs held once, duplicates as duplicates",
    ]);
  });

  it('fails when the connector logged a pair twice, or one reimport did, though the mailbox holds it once', () => {
    expect(failing([item('c1')], [own(row('imported', 'c1')), own(row('skipped-duplicate', 'c1'))])).toEqual([
      'one log row per (mailbox, item) pair',
    ]);
    expect(
      failing(
        [item('c1')],
        [own(row('imported', 'c1')), reimported(row('skipped-duplicate', 'c1')), reimported(row('skipped-duplicate', 'c1'))],
      ),
    ).toEqual(['one log row per (mailbox, item) pair']);
    // Two reimports of the same range each log the pair once: that is not a duplicate.
    expect(
      failing(
        [item('c1')],
        [
          own(row('imported', 'c1')),
          reimported(row('skipped-duplicate', 'c1'), 'r-1a2b3c4d-1'),
          reimported(row('skipped-duplicate', 'c1'), 'r-1a2b3c4d-2'),
        ],
      ),
    ).toEqual([]);
  });

  it("does not let a reimport stand in for a pair the connector's own windows never logged, or logged failed", () => {
    expect(failing([item('c1')], [reimported(row('imported', 'c1'))])).toEqual(['log and mailboxes agree']);
    expect(failing([item('c1')], [own(row('failed', 'c1')), reimported(row('skipped-duplicate', 'c1'))])).toEqual([
      'log and mailboxes agree',
    ]);
    // Written before the mailbox filled up, logged failed: accepted for a mailbox the run impaired on purpose.
    expect(
      failing([item('c1', OTHER)], [own(row('failed', 'c1', OTHER)), reimported(row('skipped-duplicate', 'c1', OTHER))], [OTHER]),
    ).toEqual([]);
  });

  it('fails on a pair logged imported, by the connector or a reimport, that no mailbox holds', () => {
    expect(failing([], [own(row('imported', 'c1'))])).toEqual(['log and mailboxes agree']);
    expect(failing([item('c1')], [own(row('imported', 'c1')), reimported(row('imported', 'c2'))])).toEqual([
      "a reimport's rows only for pairs held once, duplicates as duplicates",
      'log and mailboxes agree',
    ]);
  });
});
