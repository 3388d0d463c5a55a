import type { Conversation, DownloadedFile } from '../model';
import { safeSegment } from '../model';
import { ConvertError } from './errors';
import { sanitizeFileName } from './file-name';
import type { PlannedAttachment } from './transcript';

/** An attachment ready for the MIME layer. */
export interface AttachmentPart extends PlannedAttachment {
  readonly bytes: Buffer;
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The media type to declare for a file: its own when well formed, else application/octet-stream.
 * multipart/* and message/* are refused because a reader would parse the file as part of the message
 * structure (and they may not be base64-encoded), so the bytes would not come back as they went in.
 */
export function safeMediaType(contentType: string): string {
  const t = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (!MEDIA_TYPE.test(t) || t.startsWith('multipart/') || t.startsWith('message/')) return 'application/octet-stream';
  return t;
}

/**
 * `name`, or `name (2)`, `name (3)`… before its extension when an earlier attachment of the item has it (compared
 * without case, as Outlook and Windows do when a reviewer saves them together). Adds the result to `taken`.
 */
export function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The JSON attachment's name for a conversation. */
export function sourceRecordFileName(conversationId: string): string {
  return `conversation-${safeSegment(conversationId)}.json`;
}

/** Every downloaded file, then the source record as JSON (when given), in a stable order. */
export function planAttachments(conv: Conversation, files: readonly DownloadedFile[], sourceRecord: unknown): AttachmentPart[] {
  const taken = new Set<string>([sourceRecordFileName(conv.conversationId).toLowerCase()]);
  const parts: AttachmentPart[] = files.map((f, i) => {
    const named = f.fileName.length > 0 ? f.fileName : f.relativePath;
    const bytes = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    return {
      fileName: uniqueName(sanitizeFileName(named, `file-${i + 1}`), taken),
      contentType: safeMediaType(f.contentType),
      size: bytes.length,
      relativePath: f.relativePath,
      bytes,
    };
  });
  if (sourceRecord !== undefined) {
    let json: string | undefined;
    try {
      json = JSON.stringify(sourceRecord, null, 2);
    } catch (err) {
      throw new ConvertError(
        'UNSERIALISABLE_SOURCE',
        conv.conversationId,
        'sourceRecord',
        `the source record of conversation ${conv.conversationId} cannot be written as JSON (${(err as Error).message}); pass the record as parsed from the API response`,
      );
    }
    if (json === undefined) {
      throw new ConvertError(
        'UNSERIALISABLE_SOURCE',
        conv.conversationId,
        'sourceRecord',
        `the source record of conversation ${conv.conversationId} is not a JSON value; pass the record as parsed from the API response`,
      );
    }
    const bytes = Buffer.from(`${json}\n`, 'utf8');
    parts.push({
      fileName: sourceRecordFileName(conv.conversationId),
      contentType: 'application/json',
      size: bytes.length,
      note: 'the LivePerson source record, for full fidelity',
      bytes,
    });
  }
  return parts;
}
