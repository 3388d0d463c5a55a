import type { Readable } from 'node:stream';
import { parseArchiveItem } from '../convert/parse-item';
import type { ImportMessage } from '../graph/types';

/** Graph accepts few, short custom headers: the ones that identify the item, in this order. */
const HEADERS_FOR_GRAPH = ['x-lp-account-id', 'x-lp-conversation-id', 'x-lp-version', 'x-lp-channel', 'x-lp-partial'];
const MAX_HEADER_VALUE = 900;

/**
 * Builds the Graph create from the sealed archive item itself (parsed back with a real MIME parser), so
 * what lands in the mailbox is exactly what was sealed and hashed. A stream's error (e.g. a broken seal
 * found at its end) rejects the whole parse. `sizeHint`: the size the store announced for the stream.
 */
export async function importMessageFromItem(item: Buffer | Readable, importKey: string, sizeHint?: number): Promise<ImportMessage> {
  const view = await parseArchiveItem(item, sizeHint);
  const headers = HEADERS_FOR_GRAPH.flatMap((name) => {
    const h = view.xHeaders.find((x) => x.name.toLowerCase() === name);
    return h && h.value !== '' ? [{ name, value: h.value.slice(0, MAX_HEADER_VALUE) }] : [];
  });
  return {
    subject: view.subject,
    htmlBody: view.html,
    from: view.from,
    to: view.to,
    cc: view.cc,
    internetMessageId: view.messageId,
    headers,
    receivedAt: view.date,
    sentAt: view.date,
    importKey,
    attachments: view.attachments.map((a) => ({ name: a.filename, contentType: a.contentType, bytes: a.content })),
  };
}
