import { createHash, randomBytes } from 'node:crypto';
import { MIMEMessage, type EnvironmentContext, type HeaderField } from './mimetext';
import { sourceOf, type Conversation, type ConversationSource, type DownloadedFile } from '../model';
import { planAttachments } from './attachments';
import { base64Lines, base64LinesLength, writeBase64Lines } from './base64-lines';
import { buildEnvelope } from './envelope';
import { ConvertError } from './errors';
import {
  CRLF,
  encodeMailbox,
  encodeMailboxList,
  encodeUnstructured,
  fileNameParameters,
  isHostname,
  withParameters,
} from './header-encoding';
import { renderHtml } from './render-html';
import { renderText } from './render-text';
import { cleanHeaderText, truncateCodePoints } from './text-clean';
import { formatUtcMinutes } from './time-format';
import { buildTranscript } from './transcript';

/** Default right-hand side of Message-IDs and synthetic addresses: reserved-looking, never routable. */
export const DEFAULT_MESSAGE_ID_DOMAIN = 'lp-archive.local';

/** The X- headers of every item, always all of them, in this order (absent values are `-`). */
export const X_LP_HEADERS = [
  'X-LP-Account-Id',
  'X-LP-Conversation-Id',
  'X-LP-Version',
  'X-LP-Skill',
  'X-LP-Channel',
  'X-LP-Close-Reason',
  'X-LP-Partial',
  'X-LP-Archiver',
] as const;
export type XLpHeader = (typeof X_LP_HEADERS)[number];

export interface ConversationToEmlOptions {
  /** Downloaded hosted files, attached in this order. */
  readonly files?: readonly DownloadedFile[];
  /** The raw LivePerson record, attached as `conversation-{id}.json` for full fidelity. */
  readonly sourceRecord?: unknown;
  /** Right-hand side of the Message-ID and of synthetic addresses; default `lp-archive.local`. */
  readonly messageIdDomain?: string;
}

export interface ConvertedItem {
  /** The RFC 5322 message: 7-bit ASCII, CRLF line ends, every line under 998 octets. */
  readonly eml: Buffer;
  /** With angle brackets, as in the header and Graph's `internetMessageId`. */
  readonly messageId: string;
  readonly subject: string;
  /** `eml.length` */
  readonly size: number;
}

// mimetext's Node entry uses os.EOL (LF on Linux); mail needs CRLF whatever the platform.
const ENV: EnvironmentContext = {
  toBase64: (v) => Buffer.from(v, 'utf8').toString('base64'),
  toBase64WebSafe: (v) => Buffer.from(v, 'utf8').toString('base64url'),
  eol: CRLF,
  validateContentType: (v) => v, // types are checked by safeMediaType before they get here
};

/** A Message-ID segment: [A-Za-z0-9_-] kept, every other byte as `=XX`, so distinct ids stay distinct. */
function idSegment(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^[A-Za-z0-9_-]$/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The deterministic Message-ID of a conversation version. A chat's has a `chat` part more, so a chat and a
 * messaging conversation with the same id never share one (segments cannot hold a dot: `idSegment` escapes it).
 */
export function archiveMessageId(
  accountId: string,
  conversationId: string,
  version: string,
  domain = DEFAULT_MESSAGE_ID_DOMAIN,
  source: ConversationSource = 'messaging',
): string {
  const kind = source === 'chat' ? 'chat.' : '';
  return `<lp.${kind}${idSegment(accountId)}.${idSegment(conversationId)}.${idSegment(version)}@${domain}>`;
}

function validate(conv: Conversation, domain: string): void {
  const id = typeof conv.conversationId === 'string' ? conv.conversationId : '';
  for (const field of ['accountId', 'conversationId', 'version'] as const) {
    const v: unknown = conv[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) {
      throw new ConvertError(
        'INVALID_CONVERSATION',
        id,
        field,
        `conversation ${id || '(no id)'}: ${field} must be a non-empty string of at most 200 characters; the record is malformed`,
      );
    }
  }
  if (!Number.isFinite(conv.endTime)) {
    throw new ConvertError(
      'INVALID_CONVERSATION',
      id,
      'endTime',
      `conversation ${id}: endTime is not a time (${String(conv.endTime)}); only closed conversations with an end time can be archived`,
    );
  }
  if (!isHostname(domain)) {
    throw new ConvertError(
      'INVALID_OPTION',
      id,
      'messageIdDomain',
      `messageIdDomain "${cleanHeaderText(domain, 100)}" is not a hostname; use a domain such as ${DEFAULT_MESSAGE_ID_DOMAIN}`,
    );
  }
}

/** RFC 5322 date of an epoch-ms time, always in UTC. */
function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** Replaces how mimetext writes a standard header with our own encoding of the value. */
function overrideHeader(msg: MIMEMessage, name: string, encoded: string): void {
  const field: HeaderField | undefined = msg.headers.fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`mimetext has no ${name} header field`);
  field.dump = () => encoded;
}

/**
 * Turns a conversation into the e-mail archived for it. Pure and deterministic: the same conversation,
 * files and record give the same bytes (Message-ID and MIME boundaries derive from the conversation key,
 * Date is the conversation end). No input can add a header or markup: header values are cleaned and
 * encoded here, bodies are base64, the HTML is escaped.
 * @throws ConvertError when the conversation lacks ids or an end time, or the source record is not JSON.
 */
export function conversationToEml(conv: Conversation, opts: ConversationToEmlOptions = {}): ConvertedItem {
  const domain = opts.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN;
  validate(conv, domain);
  const messageId = archiveMessageId(conv.accountId, conv.conversationId, conv.version, domain, sourceOf(conv));
  if (messageId.length > 900) {
    throw new ConvertError(
      'INVALID_CONVERSATION',
      conv.conversationId,
      'conversationId',
      `conversation ${conv.conversationId}: ids too long for a Message-ID; the record is malformed`,
    );
  }

  const attachments = planAttachments(conv, opts.files ?? [], opts.sourceRecord);
  const envelope = buildEnvelope(conv, domain);
  const transcript = buildTranscript(conv, attachments, envelope.headerAddresses);
  const subject = cleanHeaderText(
    `LivePerson conversation · ${cleanHeaderText(conv.channel ?? '', 40) || 'unknown channel'} · ${truncateCodePoints(envelope.fromName, 60)} · ${formatUtcMinutes(conv.endTime)}`,
    250,
  );

  const msg = new MIMEMessage(ENV);
  const key = createHash('sha256').update(`${conv.accountId}\n${conv.conversationId}\n${conv.version}`).digest('hex').slice(0, 24);
  // Underscores never occur in base64, and every part is base64: the boundaries cannot collide with content.
  msg.boundaries = { mixed: `lp_mixed_${key}`, alt: `lp_alt_${key}`, related: `lp_rel_${key}` };

  msg.setHeader('Date', rfc5322Date(conv.endTime));
  msg.setSender({ addr: envelope.from.address });
  overrideHeader(msg, 'From', encodeMailbox(envelope.from));
  msg.setTo([]);
  overrideHeader(msg, 'To', encodeMailboxList(envelope.to));
  msg.setCc([]);
  overrideHeader(msg, 'Cc', encodeMailboxList(envelope.cc));
  msg.setHeader('Message-ID', messageId);
  msg.setSubject(subject);
  overrideHeader(msg, 'Subject', encodeUnstructured(subject));

  const partial = conv.partialReasons.map((r) => cleanHeaderText(r, 300)).filter((r) => r.length > 0);
  const xValues: Record<XLpHeader, string | undefined> = {
    'X-LP-Account-Id': conv.accountId,
    'X-LP-Conversation-Id': conv.conversationId,
    'X-LP-Version': conv.version,
    'X-LP-Skill': conv.skill,
    'X-LP-Channel': conv.channel,
    'X-LP-Close-Reason': conv.closeReason,
    'X-LP-Partial':
      partial.length > 0 ? truncateCodePoints(partial.join('; '), 900) : conv.partialReasons.length > 0 ? 'yes (no reason given)' : 'no',
    'X-LP-Archiver': 'lp-archive',
  };
  for (const name of X_LP_HEADERS) {
    const v = cleanHeaderText(xValues[name] ?? '', 900);
    msg.setHeader(name, encodeUnstructured(v.length > 0 ? v : '-'));
  }

  msg.addMessage({
    contentType: 'text/plain',
    charset: 'utf-8',
    encoding: 'base64',
    data: base64Lines(Buffer.from(renderText(transcript), 'utf8')),
  });
  msg.addMessage({
    contentType: 'text/html',
    charset: 'utf-8',
    encoding: 'base64',
    data: base64Lines(Buffer.from(renderHtml(transcript), 'utf8')),
  });
  // Attachment bodies are written straight into the item's bytes (assembleItem): mimetext gets a marker.
  const marker = attachmentMarker();
  attachments.forEach((a, i) => {
    const part = msg.addAttachment({ filename: 'attachment', contentType: a.contentType, encoding: 'base64', data: `${marker}${i}\u0000` });
    // mimetext quotes the raw name into both headers; write them ourselves (RFC 2231 for non-ASCII).
    part.setHeader('Content-Type', withParameters(a.contentType, fileNameParameters('name', a.fileName)));
    part.setHeader('Content-Disposition', withParameters('attachment', fileNameParameters('filename', a.fileName)));
  });

  const eml = assembleItem(
    `${msg.asRaw()}${CRLF}`,
    marker,
    attachments.map((a) => a.bytes),
  );
  return { eml, messageId, subject, size: eml.length };
}

/** NUL never occurs in a header (cleaned) or a base64 body, and the nonce in nothing the input controls. */
function attachmentMarker(): string {
  return `\u0000lpa-attachment-${randomBytes(8).toString('hex')}-`;
}

/**
 * The item's bytes: mimetext's text with each attachment marker replaced by the attachment in base64 lines,
 * in one buffer of the exact size. A large file is thus held once as bytes and once as base64 bytes, never as
 * base64 strings (which cost the worker several copies of every large item).
 */
function assembleItem(raw: string, marker: string, bodies: readonly Uint8Array[]): Buffer {
  const texts: string[] = [];
  let from = 0;
  bodies.forEach((_, i) => {
    const token = `${marker}${i}\u0000`;
    const at = raw.indexOf(token, from);
    if (at < 0 || raw.indexOf(token, at + token.length) >= 0)
      throw new Error(`attachment marker ${i} is not in the MIME text exactly once`);
    texts.push(raw.slice(from, at));
    from = at + token.length;
  });
  texts.push(raw.slice(from));
  const size =
    texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0) + bodies.reduce((n, b) => n + base64LinesLength(b.byteLength), 0);
  const eml = Buffer.allocUnsafe(size);
  let at = 0;
  texts.forEach((text, i) => {
    at += eml.write(text, at, 'utf8');
    const body = bodies[i];
    if (body !== undefined) at = writeBase64Lines(eml, at, body);
  });
  if (at !== size) throw new Error(`archive item assembled to ${at} bytes, expected ${size}`);
  return eml;
}
