import type { WindowManifest } from '../../src/pipeline/manifest';
import { proveDay, windowOverlaps } from '../../src/pipeline/completeness';

function manifest(items: [string, string][], failed: [string, string][] = []): WindowManifest {
  return {
    connector: 'c',
    accountId: 'a',
    window: { from: '2026-03-05T00:00:00.000Z', to: '2026-03-06T00:00:00.000Z' },
    completedAt: '2026-03-06T00:05:00.000Z',
    items: items.map(([conversationId, version]) => ({ conversationId, version, blob: 'b', sha256: 's', size: 1, mailboxes: ['u'] })),
    failures: failed.length,
    failed: failed.map(([conversationId, version]) => ({ conversationId, version })),
  };
}

describe('proveDay: what LivePerson reports against what the manifests hold', () => {
  it('is complete when every reported version is archived or logged as failed, in any of the overlapping manifests', () => {
    const p = proveDay(
      '2026-03-05',
      [
        { conversationId: 'a', version: '1' },
        { conversationId: 'b', version: '2' },
        { conversationId: 'c', version: '3' },
        { conversationId: 'a', version: '1' }, // the same version from two covering queries counts once
      ],
      [manifest([['a', '1']]), manifest([['b', '2']], [['c', '3']])],
    );
    expect(p).toEqual({ day: '2026-03-05', status: 'complete', reported: 3, archived: 2, failed: 1, missing: [] });
  });

  it('names every version no manifest lists, including a newer version of an archived conversation', () => {
    const p = proveDay(
      '2026-03-05',
      [
        { conversationId: 'z', version: '9' },
        { conversationId: 'a', version: '2' },
        { conversationId: 'a', version: '1' },
      ],
      [manifest([['a', '1']])],
    );
    expect(p.status).toBe('incomplete');
    expect(p.missing).toEqual([
      { conversationId: 'a', version: '2' },
      { conversationId: 'z', version: '9' },
    ]);
    expect(p.reported).toBe(p.archived + p.failed + p.missing.length);
  });

  it('takes a record logged without a readable version as seen in every version of its id', () => {
    const p = proveDay('2026-03-05', [{ conversationId: 'broken', version: '5' }], [manifest([], [['broken', '-']])]);
    expect(p).toMatchObject({ status: 'complete', failed: 1 });
  });
});

describe('windowOverlaps: which manifests a day needs, from their window labels', () => {
  const from = Date.parse('2026-03-05T00:00:00Z');
  const to = Date.parse('2026-03-06T00:00:00Z');
  it.each([
    ['20260305T000000Z-20260306T000000Z', true],
    ['20260304T120000Z-20260305T120000Z', true], // starts the day before
    ['20260305T235900Z-20260306T000100Z~s-1a2b3c4d-3', true], // a sweep
    ['20260304T000000Z-20260305T000000Z', false], // ends where the day starts ([from, to) windows)
    ['20260306T000000Z-20260306T010000Z', false],
    ['not-a-window', false],
  ])('%s → %s', (label, expected) => {
    expect(windowOverlaps(label, from, to)).toBe(expected);
  });
});
