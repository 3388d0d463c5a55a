import { importKey, itemBlobName, rawPageBlobName, safeSegment } from '../../src/model';

describe('deterministic keys', () => {
  it('gives the same import key for the same connector, conversation and version, and a new one for a new version', () => {
    expect(importKey('demo', 'c-1', '100')).toBe(importKey('demo', 'c-1', '100'));
    expect(importKey('demo', 'c-1', '100')).not.toBe(importKey('demo', 'c-1', '200'));
  });

  it('keeps hostile ids from escaping their blob path', () => {
    const name = itemBlobName('123', '../../etc/passwd', '1');
    expect(name.split('/')).toHaveLength(3);
    expect(name).not.toContain('..');
    expect(safeSegment('')).toBe('_');
    expect(safeSegment('a/b\\c\r\n')).toBe('a_b_c__');
  });

  it('numbers raw pages so they sort in page order', () => {
    expect(rawPageBlobName('demo', 'W', 2) < rawPageBlobName('demo', 'W', 10)).toBe(true);
  });
});
