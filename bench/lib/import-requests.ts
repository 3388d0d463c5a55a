import { Readable } from 'node:stream';
import { importMessageFromItem } from '../../src/pipeline/import-message';
import { attachmentRequestBody, createRequestBody, planAttachments } from '../../src/graph/message-json';

/**
 * What the import builds for one sealed item, without sending it: the parsed message, then its create body
 * and each posted attachment's body, one after the other as the Graph client builds them. Attachments of
 * upload sessions are sent in slices of the parsed bytes, so they add nothing here. `probe` runs while each
 * body is held. Returns the body bytes.
 */
export async function buildImportRequests(eml: Buffer, key: string, probe: () => void = () => undefined): Promise<number> {
  const msg = await importMessageFromItem(Readable.from([eml]), key);
  const plan = planAttachments(msg);
  const sizeOf = (body: Buffer): number => {
    probe();
    return body.length;
  };
  let bytes = sizeOf(createRequestBody(msg, plan.inline));
  for (const a of plan.posted) bytes += sizeOf(attachmentRequestBody(a));
  return bytes;
}
