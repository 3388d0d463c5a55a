import { randomBytes } from 'node:crypto';
import { attachmentRequestBody, buildCreateBody, createRequestBody } from '../../src/graph/message-json';
import type { ImportAttachment } from '../../src/graph/types';
import { sampleMessage } from './helpers';

const fileJson = (a: ImportAttachment): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.fileAttachment',
  name: a.name,
  contentType: a.contentType,
  contentBytes: Buffer.from(a.bytes).toString('base64'),
});

describe('request bodies written as bytes', () => {
  // Around the block of 57 KiB the base64 is written in (writeBase64), a remainder of 0, 1 and 2 bytes, and a name in UTF-8.
  const block = 57 * 1024;
  const sizes = [0, 1, 2, 3, block - 1, block, block + 1, block + 2, 3 * block + 1];
  const files: ImportAttachment[] = sizes.map((n, i) => ({
    name: `bijlage-${i}-ü€😀 "q".bin`,
    contentType: 'application/octet-stream',
    bytes: randomBytes(n),
  }));

  it('the create body is the create JSON with the inline attachments, base64 exact at every block boundary', () => {
    const msg = sampleMessage('bytes-ü€', { subject: 'Gesprek — “quoted” ü€😀', attachments: files });

    const body = createRequestBody(msg, files);

    expect(JSON.parse(body.toString('utf8'))).toEqual({ ...buildCreateBody(msg), attachments: files.map(fileJson) });
  });

  it('without inline attachments the create body has no attachments field', () => {
    const msg = sampleMessage('no-files');

    expect(createRequestBody(msg, []).toString('utf8')).toBe(JSON.stringify(buildCreateBody(msg)));
  });

  it('a posted attachment body is its fileAttachment JSON, also for a view into a larger buffer', () => {
    const backing = randomBytes(100_000);
    const view: ImportAttachment = { name: 'ä.pdf', contentType: 'application/pdf', bytes: backing.subarray(7, 7 + 58_369) };

    for (const a of [...files, view]) expect(JSON.parse(attachmentRequestBody(a).toString('utf8'))).toEqual(fileJson(a));
  });
});
