import { randomBytes } from 'node:crypto';
import { IMPORT_KEY_PROPERTY_ID } from './constants';
import { GraphHttpError } from './errors';
import { FilterError, normalisePropertyId } from './odata';
import { newItemId, type Recipient, type StoredAttachment, type StoredExtendedProperty, type StoredMessage } from './store';

export const IMPORT_KEY_NORMALISED = normalisePropertyId(IMPORT_KEY_PROPERTY_ID);
const PR_MESSAGE_FLAGS = normalisePropertyId('Integer 0x0E07');
const PR_MESSAGE_DELIVERY_TIME = normalisePropertyId('SystemTime 0x0E06');
const PR_CLIENT_SUBMIT_TIME = normalisePropertyId('SystemTime 0x0039');
const MSGFLAG_READ = 0x1;
const MSGFLAG_UNSENT = 0x8;

const bad = (code: string, message: string): GraphHttpError => new GraphHttpError(400, code, message);

function recipient(v: unknown, field: string): Recipient {
  const addr = (v as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
  if (!addr || typeof addr.address !== 'string') throw bad('ErrorInvalidRecipients', `${field} must be {"emailAddress":{"address":"…"}}.`);
  return { emailAddress: { address: addr.address, ...(typeof addr.name === 'string' ? { name: addr.name } : {}) } };
}

function recipients(v: unknown, field: string): Recipient[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad('ErrorInvalidRecipients', `${field} must be an array.`);
  return v.map((r) => recipient(r, field));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes `contentBytes`, refusing what Graph would refuse. */
export function decodeBase64(s: unknown, what: string): Buffer {
  if (typeof s !== 'string') throw bad('ErrorInvalidRequest', `${what} must be a base64 string.`);
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) throw bad('ErrorInvalidAttachmentContent', `${what} is not valid base64.`);
  return Buffer.from(clean, 'base64');
}

export function attachmentFromJson(v: unknown): StoredAttachment {
  const a = (v ?? {}) as Record<string, unknown>;
  const odataType = a['@odata.type'];
  const type = typeof odataType === 'string' ? odataType.toLowerCase() : '';
  if (type !== '#microsoft.graph.fileattachment') {
    throw bad(
      'ErrorInvalidRequest',
      `Only #microsoft.graph.fileAttachment is supported by the emulator (got '${String(a['@odata.type'])}').`,
    );
  }
  if (typeof a.name !== 'string' || a.name === '') throw bad('ErrorInvalidRequest', 'A file attachment needs a name.');
  return {
    id: newItemId('AAMkAGatt'),
    name: a.name,
    contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
    isInline: a.isInline === true,
    ...(typeof a.contentId === 'string' ? { contentId: a.contentId } : {}),
    bytes: decodeBase64(a.contentBytes, `contentBytes of '${a.name}'`),
    lastModifiedDateTime: new Date().toISOString(),
  };
}

function extendedProperties(v: unknown): Map<string, StoredExtendedProperty> {
  const out = new Map<string, StoredExtendedProperty>();
  if (v === undefined || v === null) return out;
  if (!Array.isArray(v)) throw bad('ErrorInvalidRequest', 'singleValueExtendedProperties must be an array.');
  for (const p of v as { id?: unknown; value?: unknown }[]) {
    if (typeof p?.id !== 'string' || typeof p.value !== 'string') {
      throw bad('ErrorInvalidRequest', 'Each singleValueExtendedProperty needs string "id" and "value".');
    }
    let key: string;
    try {
      key = normalisePropertyId(p.id);
    } catch (e) {
      if (e instanceof FilterError) throw bad('ErrorInvalidProperty', e.message);
      throw e;
    }
    const type = key.split(' ')[0];
    if (type === 'integer' && !/^-?\d+$/.test(p.value.trim()))
      throw bad('ErrorInvalidExtendedPropertyValue', `'${p.value}' is not a valid Integer for '${p.id}'.`);
    if (type === 'systemtime' && Number.isNaN(Date.parse(p.value)))
      throw bad('ErrorInvalidExtendedPropertyValue', `'${p.value}' is not a valid SystemTime for '${p.id}'.`);
    out.set(key, { id: p.id, value: p.value });
  }
  return out;
}

/**
 * A message from a JSON create, honouring the MAPI properties importers use: PR_MESSAGE_FLAGS decides
 * draft/read (no flags = draft, as Exchange saves a new item), delivery and submit times set the dates.
 */
export function messageFromJson(body: unknown, folderId: string): StoredMessage {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('RequestBodyRead', 'The request body must be a JSON message object.');
  const b = body as Record<string, unknown>;
  const props = extendedProperties(b.singleValueExtendedProperties);
  const flagsValue = props.get(PR_MESSAGE_FLAGS)?.value;
  const flags = flagsValue === undefined ? undefined : Number.parseInt(flagsValue, 10);
  const isDraft = flags === undefined ? true : (flags & MSGFLAG_UNSENT) !== 0;
  const isRead = typeof b.isRead === 'boolean' ? b.isRead : flags === undefined ? true : (flags & MSGFLAG_READ) !== 0;
  const now = new Date().toISOString();
  const iso = (v: string | undefined): string | undefined =>
    v === undefined ? undefined : new Date(v).toISOString().replace('.000Z', 'Z');
  const headers = b.internetMessageHeaders ?? [];
  if (!Array.isArray(headers)) throw bad('ErrorInvalidRequest', 'internetMessageHeaders must be an array.');
  const internetMessageHeaders = (headers as { name?: unknown; value?: unknown }[]).map((h) => {
    if (typeof h?.name !== 'string' || typeof h.value !== 'string')
      throw bad('ErrorInvalidRequest', 'Each internet message header needs string "name" and "value".');
    if (!/^x-/i.test(h.name))
      throw bad('InvalidInternetMessageHeader', `The internet message header name '${h.name}' should start with 'x-' or 'X-'.`);
    return { name: h.name, value: h.value };
  });
  const bodyIn = (b.body ?? {}) as { contentType?: unknown; content?: unknown };
  const contentType = typeof bodyIn.contentType === 'string' && bodyIn.contentType.toLowerCase() === 'html' ? 'html' : 'text';
  const attachments = b.attachments === undefined ? [] : Array.isArray(b.attachments) ? b.attachments.map(attachmentFromJson) : [];
  const from = b.from === undefined || b.from === null ? null : recipient(b.from, 'from');
  return {
    id: newItemId(),
    folderId,
    createdDateTime: now,
    lastModifiedDateTime: now,
    subject: typeof b.subject === 'string' ? b.subject : '',
    body: { contentType, content: typeof bodyIn.content === 'string' ? bodyIn.content : '' },
    from,
    sender: b.sender === undefined || b.sender === null ? from : recipient(b.sender, 'sender'),
    toRecipients: recipients(b.toRecipients, 'toRecipients'),
    ccRecipients: recipients(b.ccRecipients, 'ccRecipients'),
    bccRecipients: recipients(b.bccRecipients, 'bccRecipients'),
    replyTo: recipients(b.replyTo, 'replyTo'),
    internetMessageId:
      typeof b.internetMessageId === 'string' ? b.internetMessageId : `<${randomBytes(12).toString('hex')}@emulator.graph.local>`,
    internetMessageHeaders,
    isDraft,
    isRead,
    receivedDateTime: iso(props.get(PR_MESSAGE_DELIVERY_TIME)?.value) ?? now,
    sentDateTime: iso(props.get(PR_CLIENT_SUBMIT_TIME)?.value) ?? now,
    importance: typeof b.importance === 'string' ? b.importance : 'normal',
    conversationId: newItemId('AAQkAG'),
    extendedProperties: props,
    attachments,
  };
}

/** A draft from a base64 MIME create (v1.0 `text/plain`), or a received item from beta `importMime`. */
export function messageFromMime(base64: string, folderId: string, asDraft: boolean): StoredMessage {
  const clean = base64.replace(/\s+/g, '');
  if (clean.length === 0 || clean.length % 4 !== 0 || !BASE64.test(clean)) {
    throw bad('ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
  }
  const mime = Buffer.from(clean, 'base64').toString('utf8');
  const headerText = mime.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string): string | undefined => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
  const addr = (v: string | undefined): Recipient | null => {
    if (!v) return null;
    const m = /<([^>]+)>/.exec(v);
    return { emailAddress: { address: (m?.[1] ?? v).trim() } };
  };
  const list = (v: string | undefined): Recipient[] =>
    v
      ? v
          .split(',')
          .map((x) => addr(x))
          .filter((x): x is Recipient => x !== null)
      : [];
  const date = header('Date');
  const when = date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : new Date().toISOString();
  const now = new Date().toISOString();
  const from = addr(header('From'));
  return {
    id: newItemId(),
    folderId,
    createdDateTime: now,
    lastModifiedDateTime: now,
    subject: header('Subject') ?? '',
    body: { contentType: 'text', content: mime.slice(headerText.length).trim() },
    from,
    sender: from,
    toRecipients: list(header('To')),
    ccRecipients: list(header('Cc')),
    bccRecipients: [],
    replyTo: [],
    internetMessageId: header('Message-ID') ?? `<${randomBytes(12).toString('hex')}@emulator.graph.local>`,
    internetMessageHeaders: [],
    isDraft: asDraft,
    isRead: true,
    receivedDateTime: asDraft ? now : when,
    sentDateTime: when,
    importance: 'normal',
    conversationId: newItemId('AAQkAG'),
    extendedProperties: new Map(),
    attachments: [],
    mime,
  };
}

/** The message as Graph returns it (extended properties and headers only when asked for). */
export function messageJson(m: StoredMessage, expandPropertyIds?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: m.id,
    createdDateTime: m.createdDateTime,
    lastModifiedDateTime: m.lastModifiedDateTime,
    changeKey: m.lastModifiedDateTime,
    categories: [],
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.sentDateTime,
    hasAttachments: m.attachments.some((a) => !a.isInline),
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: m.body.content
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 255),
    importance: m.importance,
    parentFolderId: m.folderId,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body: m.body,
    sender: m.sender,
    from: m.from,
    toRecipients: m.toRecipients,
    ccRecipients: m.ccRecipients,
    bccRecipients: m.bccRecipients,
    replyTo: m.replyTo,
    flag: { flagStatus: 'notFlagged' },
    internetMessageHeaders: m.internetMessageHeaders,
  };
  if (expandPropertyIds) {
    const wanted = new Set(expandPropertyIds.map(normalisePropertyId));
    out.singleValueExtendedProperties = [...m.extendedProperties.entries()]
      .filter(([k]) => wanted.size === 0 || wanted.has(k))
      .map(([, p]) => p);
  }
  return out;
}

export function attachmentJson(a: StoredAttachment, withContent: boolean): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    id: a.id,
    lastModifiedDateTime: a.lastModifiedDateTime,
    name: a.name,
    contentType: a.contentType,
    size: a.bytes.length,
    isInline: a.isInline,
    contentId: a.contentId ?? null,
    ...(withContent ? { contentBytes: a.bytes.toString('base64') } : {}),
  };
}
