import { randomBytes } from 'node:crypto';
import { base64Lines, base64LinesLength, writeBase64Lines } from '../../src/convert/base64-lines';

/** Lengths around every boundary: a line (57 bytes), a 3-byte group, a block of 1,024 lines. */
const LENGTHS = [0, 1, 2, 3, 56, 57, 58, 114, 57 * 1024 - 1, 57 * 1024, 57 * 1024 + 1, 3 * 57 * 1024 + 7, 1_000_003];

describe('base64 in 76-character lines', () => {
  it.each(LENGTHS)('writes %i bytes into a buffer exactly as the string form, at an offset, with the announced length', (n) => {
    const bytes = randomBytes(n);
    const expected = base64Lines(bytes);
    expect(base64LinesLength(n)).toBe(expected.length);
    const target = Buffer.alloc(expected.length + 10, 0x2e);
    const end = writeBase64Lines(target, 4, bytes);
    expect(end).toBe(4 + expected.length);
    expect(target.subarray(4, end).toString('latin1')).toBe(expected);
    expect(target.subarray(0, 4).toString('latin1')).toBe('....');
    expect(target.subarray(end).toString('latin1')).toBe('......');
  });

  it('decodes back to the bytes, every line 76 characters but the last, CRLF between lines only', () => {
    const bytes = randomBytes(10_000);
    const text = base64Lines(bytes);
    const lines = text.split('\r\n');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    expect(lines.at(-1)!.length).toBeGreaterThan(0);
    expect(lines.at(-1)!.length).toBeLessThanOrEqual(76);
    expect(Buffer.compare(Buffer.from(lines.join(''), 'base64'), bytes)).toBe(0);
  });

  it('takes a view into a larger buffer without reading outside it', () => {
    const whole = randomBytes(1000);
    const view = whole.subarray(100, 400);
    expect(Buffer.from(base64Lines(view).replace(/\r\n/g, ''), 'base64').equals(view)).toBe(true);
  });
});
