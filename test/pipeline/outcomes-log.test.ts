import { LOG_CSV_COLUMNS } from '../../src/model';
import { deliveredOutcome, foundIsOwnWrite, logRows, planOutcomes, upnsOf, type RoutedItem } from '../../src/pipeline/outcomes';

const item: RoutedItem = {
  conversationId: 'conv-1',
  version: '1000',
  partialReasons: [],
  targets: [
    { participantId: 'agent-1', userId: 'u-1', userPrincipalName: 'ann@contoso.example', via: 'mail' },
    { participantId: 'agent-2', userId: 'u-2', userPrincipalName: 'bob@contoso.example', via: 'csv' },
  ],
  unmapped: [{ participantId: 'agent-3', reason: 'no-mailbox', detail: 'participant agent-3 (cy@contoso.example): …' }],
  external: [],
};

describe('log rows name Microsoft 365 users by UPN and object id', () => {
  it('fills m365Upn from the routing when the CSV is written; the outcomes themselves carry no address', () => {
    const { fixed, pairs } = planOutcomes([item], []);
    const delivered = pairs.map((p) => deliveredOutcome(p, 'created', false));
    // Outcomes are heartbeated (and can reach workflow history): no UPN in them.
    expect(JSON.stringify(delivered)).not.toMatch(/@/);
    const rows = logRows([...fixed, ...delivered], '2026-03-02T10:00:00.000Z', upnsOf([item]));
    const byColumn = rows.map((r) => Object.fromEntries(LOG_CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(byColumn.map((r) => [r.result, r.sourceUser, r.m365User, r.m365Upn])).toEqual([
      ['failed', 'agent-3', '-', ''],
      ['imported', 'agent-1', 'u-1', 'ann@contoso.example'],
      ['imported', 'agent-2', 'u-2', 'bob@contoso.example'],
    ]);
    expect(rows.every((r) => r.length === LOG_CSV_COLUMNS.length)).toBe(true);
  });
});

describe('an item a retried import finds by its key', () => {
  const since = Date.parse('2026-12-04T08:00:00Z');

  it("counts as the retry's own earlier write, unless a reimport knows it was created before the reimport started", () => {
    expect(foundIsOwnWrite(false, '2026-12-04T09:00:00Z', since)).toBe(false); // a first attempt: a duplicate
    expect(foundIsOwnWrite(true, '2026-12-04T07:59:59Z', undefined)).toBe(true); // the connector's own window
    expect(foundIsOwnWrite(true, '2026-12-04T07:59:59Z', since)).toBe(false); // there before the reimport
    expect(foundIsOwnWrite(true, '2026-12-04T08:00:00Z', since)).toBe(true); // written by the reimport's lost attempt
    expect(foundIsOwnWrite(true, undefined, since)).toBe(true); // no creation time: the retry's assumption
    expect(foundIsOwnWrite(true, 'not a time', since)).toBe(true);
  });

  it('is logged imported when it is its own, a duplicate otherwise', () => {
    const [pair] = planOutcomes([item], []).pairs;
    expect(deliveredOutcome(pair!, 'already-present', foundIsOwnWrite(true, '2026-12-04T07:00:00Z', since)).result).toBe(
      'skipped-duplicate',
    );
    expect(deliveredOutcome(pair!, 'already-present', foundIsOwnWrite(true, '2026-12-04T08:30:00Z', since)).result).toBe('imported');
  });
});
