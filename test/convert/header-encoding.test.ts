import { encodedWords, encodeUnstructured, fileNameParameters, isHeaderSafeAddress } from '../../src/convert/header-encoding';
import { decodeHeaderValue } from '../../src/convert/parse-item';
import { sanitizeFileName } from '../../src/convert/file-name';

describe('RFC 2047 encoded words', () => {
  test('each word is at most 75 characters and no code point is split', () => {
    const s = '👨‍👩‍👧 مرحبا '.repeat(30);
    const words = encodedWords(s);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'));
    expect(decoded.join('')).toBe(s);
    for (const d of decoded) expect(d).not.toContain('\uFFFD');
  });

  test('plain ASCII is folded at spaces and unfolds to the same text', () => {
    const s = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const folded = encodeUnstructured(s);
    for (const l of folded.split('\r\n')) expect(l.length).toBeLessThanOrEqual(71);
    expect(folded.replace(/\r\n /g, ' ')).toBe(s);
  });

  test('ASCII that looks like an encoded word is encoded, and decodes back literally', () => {
    const v = encodeUnstructured('=?utf-8?q?Admin?=');
    expect(v.startsWith('=?utf-8?B?')).toBe(true);
    expect(decodeHeaderValue(v)).toBe('=?utf-8?q?Admin?=');
  });
});

describe('addresses', () => {
  test.each(['a@b.example', 'first.last+tag@sub.contoso.com'])('%s can go in a header', (a) => expect(isHeaderSafeAddress(a)).toBe(true));
  test.each([
    'a@b',
    'a b@c.example',
    'a@b.example\r\nBcc: x@y.example',
    '"a"@b.example',
    'jöhn@exämple.com',
    '<a@b.example>',
    'a@b.example,c@d.example',
    '=?utf-8?q?x?=@b.example',
  ])('%s cannot', (a) => expect(isHeaderSafeAddress(a)).toBe(false));
});

describe('file names', () => {
  test.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\report.pdf', 'report.pdf'],
    ['.htaccess', '_htaccess'],
    ['a\u202Etxt.exe', 'atxt.exe'],
    ['a\r\nb.txt', 'a b.txt'],
    ['', 'file-1'],
    ['...', 'file-1'],
  ])('%j becomes %j', (raw, safe) => expect(sanitizeFileName(raw, 'file-1')).toBe(safe));

  test('non-ASCII names carry an ASCII fallback and RFC 2231 continuations of whole characters', () => {
    const params = fileNameParameters('filename', '報告書'.repeat(10));
    expect(params[0]).toBe(`filename="${'_'.repeat(30)}"`);
    expect(params[1]!.startsWith("filename*0*=utf-8''%E5%A0%B1")).toBe(true);
    for (const p of params.slice(1)) expect(p.replace(/^filename\*\d+\*=(utf-8'')?/, '')).toMatch(/^(%E[0-9A-F](%[0-9A-F]{2}){2})+$/);
  });
});
