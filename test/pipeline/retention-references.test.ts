import { CLOCK_SKEW_MS, ItemReferences, itemEndTime, mayNameItemsBefore, windowOfBlobName } from '../../src/pipeline/retention-references';

const T = (iso: string) => Date.parse(iso);

describe('what a retention cleanup reads from blob names', () => {
  it('reads the window of a manifest, a scoped manifest and a working blob, widened by the second the label drops', () => {
    const window = { from: T('2026-01-01T00:00:00Z'), to: T('2026-01-01T00:10:01Z') };
    expect(windowOfBlobName('demo/20260101T000000Z-20260101T001000Z.json')).toEqual(window);
    expect(windowOfBlobName('demo/20260101T000000Z-20260101T001000Z~r-1a2b.json')).toEqual(window);
    expect(windowOfBlobName('demo/20260101T000000Z-20260101T001000Z/page-00003.routed.json')).toEqual(window);
  });

  it('reads no window from names of another shape', () => {
    expect(windowOfBlobName('demo/20260101T0000Z-20260101T0010Z.json')).toBeUndefined();
    expect(windowOfBlobName('demo/2026-01-01/20260101T000000Z-20260101T001000Z-page-00001.csv')).toBeUndefined();
    expect(windowOfBlobName('no-folder.json')).toBeUndefined();
  });

  it("reads an item's end time from its version, and nothing from another name", () => {
    expect(itemEndTime('123/conv-1/1767225900000.eml')).toBe(1767225900000);
    expect(itemEndTime('123/conv-1/v2.eml')).toBeUndefined();
  });

  it('reads only the manifests whose window starts before the cutoff (give or take the clock skew), and any it cannot place', () => {
    const cutoff = T('2026-01-01T00:30:00Z');
    expect(mayNameItemsBefore('demo/20260101T000000Z-20260101T001000Z.json', cutoff)).toBe(true);
    expect(mayNameItemsBefore('demo/20260101T004000Z-20260101T005000Z.json', cutoff)).toBe(true);
    expect(mayNameItemsBefore('demo/20260101T010000Z-20260101T011000Z.json', cutoff)).toBe(false);
    expect(mayNameItemsBefore('demo/odd-name.json', cutoff)).toBe(true);
  });
});

describe('ItemReferences: which due items stay', () => {
  it("keeps the account's items a manifest names, and ignores names of other accounts", () => {
    const refs = new ItemReferences('123/');
    refs.addManifest({ items: [{ blob: '123/c-1/1.eml' }, { blob: '456/c-1/1.eml' }] as never });
    expect(refs.keeps('123/c-1/1.eml')).toBe('named-by-manifest');
    expect(refs.keeps('123/c-2/1.eml')).toBeUndefined();
    expect(refs.size).toEqual({ namedItems: 1, windowsInProgress: 0 });
  });

  it('keeps items whose end time falls in a window in progress (with the clock skew), and unreadable ones while any is', () => {
    const refs = new ItemReferences('123/');
    const from = T('2026-01-02T00:00:00Z');
    refs.addWindowInProgress({ from, to: from + 600_000 });
    refs.addWindowInProgress({ from, to: from + 600_000 });
    expect(refs.size.windowsInProgress).toBe(1);
    expect(refs.keeps(`123/c-1/${from + 300_000}.eml`)).toBe('window-in-progress');
    expect(refs.keeps(`123/c-1/${from - CLOCK_SKEW_MS + 1}.eml`)).toBe('window-in-progress');
    expect(refs.keeps(`123/c-1/${from - CLOCK_SKEW_MS - 1}.eml`)).toBeUndefined();
    expect(refs.keeps('123/c-1/odd.eml')).toBe('window-in-progress');
    expect(new ItemReferences('123/').keeps('123/c-1/odd.eml')).toBeUndefined();
  });
});
