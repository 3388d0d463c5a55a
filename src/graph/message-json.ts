import { base64Length, writeBase64 } from '../convert/base64-lines';
import {
  IMPORT_KEY_PROPERTY_ID,
  MAX_CREATE_REQUEST_BYTES,
  MAX_POSTED_ATTACHMENT_BYTES,
  MAX_UPLOAD_SESSION_BYTES,
  MESSAGE_FLAGS_RECEIVED_READ,
  PR_CLIENT_SUBMIT_TIME,
  PR_MESSAGE_DELIVERY_TIME,
  PR_MESSAGE_FLAGS,
} from './constants';
import { GraphItemRejectedError } from './errors';
import type { ImportAttachment, ImportMessage, MailAddress } from './types';

/** Where each attachment goes: in the create request, a POST after it, or an upload session. */
export interface AttachmentPlan {
  readonly inline: readonly ImportAttachment[];
  readonly posted: readonly ImportAttachment[];
  readonly uploaded: readonly ImportAttachment[];
}

const recipient = (a: MailAddress): { emailAddress: { address: string; name?: string } } => ({
  emailAddress: { address: a.address, ...(a.name ? { name: a.name } : {}) },
});

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The one JSON create of a received, read, non-draft item (reference §4.2), without its attachments:
 * PR_MESSAGE_FLAGS without the unsent bit, delivery and submit times, the import key, and `x-` headers, all
 * in the same request, because Exchange lets the draft bit be set only before the first save.
 */
export function buildCreateBody(msg: ImportMessage): Record<string, unknown> {
  return {
    subject: msg.subject,
    body: { contentType: 'html', content: msg.htmlBody },
    from: recipient(msg.from),
    sender: recipient(msg.from),
    toRecipients: msg.to.map(recipient),
    ccRecipients: msg.cc.map(recipient),
    internetMessageId: msg.internetMessageId,
    ...(msg.headers.length > 0 ? { internetMessageHeaders: msg.headers.map((h) => ({ name: h.name, value: h.value })) } : {}),
    isRead: true,
    singleValueExtendedProperties: [
      { id: PR_MESSAGE_FLAGS, value: MESSAGE_FLAGS_RECEIVED_READ },
      { id: PR_MESSAGE_DELIVERY_TIME, value: iso(msg.receivedAt) },
      { id: PR_CLIENT_SUBMIT_TIME, value: iso(msg.sentAt) },
      { id: IMPORT_KEY_PROPERTY_ID, value: msg.importKey },
    ],
  };
}

/** Part of a request body: JSON text, or file bytes written as base64 (a JSON string's content). */
type BodyPiece = string | Uint8Array;

/**
 * The pieces as one UTF-8 buffer, file bytes base64-encoded block by block into it: neither the base64 of a
 * whole file nor the whole JSON is ever a JavaScript string. Built as an object for the SDK to stringify, a
 * body was there three times (the base64 string and the JSON string around it, both on the V8 heap, then
 * fetch's UTF-8 copy); this holds it once, outside the heap.
 */
function bodyBuffer(pieces: readonly BodyPiece[]): Buffer {
  const size = pieces.reduce((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : base64Length(p.byteLength)), 0);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of pieces) {
    if (typeof p === 'string') {
      at += out.write(p, at, 'utf8');
      continue;
    }
    at = writeBase64(out, at, p);
  }
  if (at !== size) throw new Error(`request body: wrote ${at} of ${size} bytes (a bug in bodyBuffer)`);
  return out;
}

/** A fileAttachment's JSON, its content left as the bytes to encode. */
function attachmentPieces(a: ImportAttachment): BodyPiece[] {
  const json = JSON.stringify({
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: a.name,
    contentType: a.contentType,
    contentBytes: '',
  });
  return [json.slice(0, -2), a.bytes, '"}']; // json ends with `"contentBytes":""}`
}

/** The body of the create request (`buildCreateBody` with the inline attachments), as UTF-8 JSON bytes. */
export function createRequestBody(msg: ImportMessage, inline: readonly ImportAttachment[]): Buffer {
  const json = JSON.stringify(buildCreateBody(msg));
  if (inline.length === 0) return Buffer.from(json);
  const pieces: BodyPiece[] = [json.slice(0, -1), ',"attachments":['];
  inline.forEach((a, i) => pieces.push(...(i > 0 ? [','] : []), ...attachmentPieces(a)));
  pieces.push(']}');
  return bodyBuffer(pieces);
}

/** The body of a POST that adds one file attachment to an item, as UTF-8 JSON bytes. */
export function attachmentRequestBody(a: ImportAttachment): Buffer {
  return bodyBuffer(attachmentPieces(a));
}

/** JSON size of an attachment inside a request. */
function inlineCost(a: ImportAttachment): number {
  return base64Length(a.bytes.byteLength) + Buffer.byteLength(a.name) + Buffer.byteLength(a.contentType) + 128;
}

/**
 * Puts as many attachments as fit into the create request (< ~3.5 MB in all); the rest go after the create:
 * under 3 MB by POST, 3–150 MB by upload session. Refuses what no Graph path can carry.
 */
export function planAttachments(msg: ImportMessage): AttachmentPlan {
  for (const h of msg.headers) {
    if (!/^x-/i.test(h.name))
      throw new GraphItemRejectedError(
        'InvalidInternetMessageHeader',
        `Header '${h.name}' cannot be set: Graph accepts only 'x-' headers on create.`,
      );
  }
  let used = Buffer.byteLength(JSON.stringify(buildCreateBody(msg)));
  if (used > MAX_CREATE_REQUEST_BYTES) {
    throw new GraphItemRejectedError(
      'BodyTooLarge',
      `The message body of '${msg.importKey}' is ${Math.round(used / 1024)} KB; a Graph create must stay under ${MAX_CREATE_REQUEST_BYTES / 1024} KB. Put the full transcript in an attachment and keep the body short.`,
    );
  }
  const inline: ImportAttachment[] = [];
  const posted: ImportAttachment[] = [];
  const uploaded: ImportAttachment[] = [];
  for (const a of msg.attachments) {
    const size = a.bytes.byteLength;
    if (size > MAX_UPLOAD_SESSION_BYTES) {
      throw new GraphItemRejectedError(
        'ErrorAttachmentSizeLimitExceeded',
        `Attachment '${a.name}' of '${msg.importKey}' is ${Math.round(size / 1024 / 1024)} MB; Graph accepts at most 150 MB per attachment.`,
      );
    }
    if (size < MAX_POSTED_ATTACHMENT_BYTES && used + inlineCost(a) <= MAX_CREATE_REQUEST_BYTES) {
      inline.push(a);
      used += inlineCost(a);
    } else if (size < MAX_POSTED_ATTACHMENT_BYTES) {
      posted.push(a);
    } else {
      uploaded.push(a);
    }
  }
  return { inline, posted, uploaded };
}

/**
 * Attachments still to add to an existing item, given the names it already has. Matched by name as a
 * multiset (Graph's reported `size` is not the raw byte count), minus the ones sent inline with the create.
 */
export function missingAttachments(plan: AttachmentPlan, existingNames: readonly string[]): ImportAttachment[] {
  const have = new Map<string, number>();
  for (const n of existingNames) have.set(n, (have.get(n) ?? 0) + 1);
  for (const a of plan.inline) have.set(a.name, (have.get(a.name) ?? 0) - 1);
  const missing: ImportAttachment[] = [];
  for (const a of [...plan.posted, ...plan.uploaded]) {
    const left = have.get(a.name) ?? 0;
    if (left > 0) have.set(a.name, left - 1);
    else missing.push(a);
  }
  return missing;
}
