import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as mailparser from 'mailparser';
import * as attachmentBodies from '../../src/convert/attachment-bodies';
import { decodeBase64Lines, splitAttachmentBodies } from '../../src/convert/attachment-bodies';
import { base64Lines } from '../../src/convert/base64-lines';
import { conversationToEml, parseArchiveItem, type ArchiveItemView } from '../../src/convert';
import type { DownloadedFile } from '../../src/model';
import { fixture, GOLDEN_DIR, loadFixtures } from './fixtures';

/** The item parsed whole by mailparser, as before attachment bodies were decoded apart: the reference. */
async function parsedWhole(eml: Buffer): Promise<ArchiveItemView> {
  const spy = jest.spyOn(attachmentBodies, 'splitAttachmentBodies').mockReturnValue(undefined);
  try {
    return await parseArchiveItem(eml);
  } finally {
    spy.mockRestore();
  }
}

/** Both parses, checked to be equal in every field the importer reads (attachment bytes included). */
async function expectSameAsWhole(eml: Buffer): Promise<ArchiveItemView> {
  const fast = await parseArchiveItem(eml);
  const whole = await parsedWhole(eml);
  expect(fast).toEqual(whole);
  fast.attachments.forEach((a, i) => expect(Buffer.compare(a.content, whole.attachments[i]!.content)).toBe(0));
  return fast;
}

function withFiles(files: readonly DownloadedFile[], sourceRecord: unknown = { record: 'source' }): Buffer {
  const f = fixture('04-files-attached');
  return conversationToEml(f.conversation, { files, sourceRecord }).eml;
}

const file = (fileName: string, contentType: string, bytes: Uint8Array): DownloadedFile => ({
  relativePath: `/f/${fileName}`,
  fileName,
  contentType,
  bytes,
});

describe('an archive item parsed with its attachment bodies decoded apart reads exactly as parsed whole', () => {
  it.each(loadFixtures().map((f) => f.name))('golden item %s', async (name) => {
    const eml = readFileSync(join(GOLDEN_DIR, `${name}.eml`));
    await expectSameAsWhole(eml);
  });

  it('takes apart every golden item that has attachments', () => {
    for (const f of loadFixtures()) {
      const eml = readFileSync(join(GOLDEN_DIR, `${f.name}.eml`));
      const split = splitAttachmentBodies(eml);
      const attachments = f.files.length + (f.sourceRecord === undefined ? 0 : 1);
      expect(split?.bodies.length ?? 0).toBe(attachments);
      if (split) expect(split.skeleton.length).toBeLessThan(eml.length);
    }
  });

  it('keeps text, empty, odd-sized, non-ASCII-named and multi-block files byte for byte', async () => {
    const large = randomBytes(3 * 1024 * 1024 + 2); // spans many decode blocks; ends in `=` padding
    const files = [
      file('notes.txt', 'text/plain', Buffer.from('line one\r\nline two\n', 'utf8')),
      file('page.html', 'text/html', Buffer.from('<p>attached page</p>', 'utf8')),
      file('empty.bin', 'application/octet-stream', new Uint8Array(0)),
      file('one.bin', 'application/octet-stream', new Uint8Array([255])),
      file('Überweisung – März.pdf', 'application/pdf', randomBytes(1000)),
      file('large.bin', 'application/octet-stream', large),
    ];
    const eml = withFiles(files);
    const parse = jest.spyOn(mailparser, 'simpleParser');
    const view = await expectSameAsWhole(eml);
    // The fast parse gave mailparser only the item's small rest (the whole parse then gave it the item).
    expect(parse.mock.calls.map(([input]) => (input as Buffer).length)).toEqual([expect.any(Number), eml.length]);
    expect((parse.mock.calls[0]![0] as Buffer).length).toBeLessThan(20_000);
    parse.mockRestore();
    expect(view.attachments).toHaveLength(files.length + 1);
    files.forEach((f, i) => expect(Buffer.compare(view.attachments[i]!.content, Buffer.from(f.bytes))).toBe(0));
  });

  it('holds for any files conversationToEml is given', async () => {
    const anyFile = fc.record({
      fileName: fc.string({ unit: 'binary', maxLength: 30 }),
      contentType: fc.constantFrom('text/plain', 'text/html', 'application/json', 'image/png', 'multipart/mixed', 'message/rfc822', 'x'),
      bytes: fc.uint8Array({ maxLength: 400 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(anyFile, { maxLength: 4 }), fc.option(fc.jsonValue(), { nil: undefined }), async (fs, record) => {
        const files = fs.map((f, i) => ({ ...f, relativePath: `/f/${i}` }));
        const view = await expectSameAsWhole(withFiles(files, record));
        files.forEach((f, i) => expect(Buffer.compare(view.attachments[i]!.content, Buffer.from(f.bytes))).toBe(0));
      }),
      { numRuns: 100 },
    );
  });
});

describe('an item of another shape is left to the MIME parser whole', () => {
  const eml = withFiles([file('a.bin', 'application/octet-stream', randomBytes(200))]);
  const text = eml.toString('latin1');
  const firstBody = (): { start: number; end: number } => {
    const start = text.indexOf('\r\n\r\n', text.indexOf('filename="a.bin"')) + 4;
    return { start, end: text.indexOf('\r\n--lp_mixed_', start) };
  };
  const edited = (edit: (body: string) => string): Buffer => {
    const { start, end } = firstBody();
    return Buffer.from(text.slice(0, start) + edit(text.slice(start, end)) + text.slice(end), 'latin1');
  };

  it.each([
    ['a character outside base64 in a body', (b: string) => `${b.slice(0, 10)}*${b.slice(11)}`],
    ['a line that is not whole 4-character groups', (b: string) => `${b.slice(0, 10)}${b.slice(11)}`],
    ['padding before the end of a body', (b: string) => `${b.slice(0, 74)}==\r\n${b.slice(78)}`],
    ['base64url characters', (b: string) => `${b.slice(0, 10)}-_${b.slice(12)}`],
    ['a space in a line', (b: string) => `${b.slice(0, 10)} ${b.slice(11)}`],
    ['an 8-bit character', (b: string) => `${b.slice(0, 10)}\u00e9${b.slice(11)}`],
    ['lines of another length', (b: string) => b.replace(/\r\n/g, '').replace(/(.{64})/g, '$1\r\n')],
  ])('%s', async (_name, edit) => {
    const item = edited(edit);
    expect(splitAttachmentBodies(item)).toBeUndefined();
    await expectSameAsWhole(item);
  });

  it('a multipart that is never closed', async () => {
    const item = Buffer.from(text.slice(0, text.lastIndexOf('\r\n--lp_mixed_')), 'latin1');
    expect(splitAttachmentBodies(item)).toBeUndefined();
    await expectSameAsWhole(item);
  });

  it('an item that is not multipart/mixed', async () => {
    const single = Buffer.from('From: a@b.c\r\nDate: Wed, 25 Nov 2026 14:20:00 +0000\r\nMessage-ID: <x@y>\r\n\r\nhello\r\n', 'latin1');
    expect(splitAttachmentBodies(single)).toBeUndefined();
    await expectSameAsWhole(single);
  });
});

describe('decodeBase64Lines', () => {
  it('decodes base64 lines of any length block by block as one piece', () => {
    for (const size of [0, 1, 2, 3, 57, 58, 64 * 1024, 64 * 1024 + 1, 200_001]) {
      const bytes = randomBytes(size);
      expect(Buffer.compare(decodeBase64Lines(Buffer.from(base64Lines(bytes), 'latin1'))!, bytes)).toBe(0);
    }
  });
});
