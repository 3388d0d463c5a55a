import type { Readable } from 'node:stream';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { splitAttachmentBodies } from './attachment-bodies';
import { ArchiveItemParseError } from './errors';

export interface ArchiveAddress {
  readonly name?: string;
  readonly address: string;
}

export interface ArchiveAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** What the importer needs from a sealed archive item to create the mailbox message. */
export interface ArchiveItemView {
  /** With angle brackets, e.g. `<lp.123.abc.1700000000000@lp-archive.local>`. */
  readonly messageId: string;
  readonly subject: string;
  /** Epoch ms of the Date header (the conversation end). */
  readonly date: number;
  readonly from: ArchiveAddress;
  readonly to: readonly ArchiveAddress[];
  readonly cc: readonly ArchiveAddress[];
  readonly html: string;
  readonly text: string;
  /** The X-LP-* headers, names in lower case, values decoded, in message order. */
  readonly xHeaders: readonly { readonly name: string; readonly value: string }[];
  readonly attachments: readonly ArchiveAttachment[];
}

function flatten(list: EmailAddress[]): ArchiveAddress[] {
  return list.flatMap((a) =>
    a.group !== undefined ? flatten(a.group) : a.address ? [{ ...(a.name ? { name: a.name } : {}), address: a.address }] : [],
  );
}

function addresses(field: AddressObject | AddressObject[] | undefined): ArchiveAddress[] {
  if (field === undefined) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((o) => flatten(o.value));
}

const ENCODED_WORD = /=\?utf-8\?B\?([A-Za-z0-9+/=]*)\?=/gi;

/**
 * mailparser leaves custom header values as written. `conversationToEml` writes them either as plain
 * ASCII without `=?` or entirely as UTF-8 B-encoded words, so a value made only of such words is decoded
 * (their bytes joined first, as RFC 2047 allows a character to span words) and anything else is kept.
 */
export function decodeHeaderValue(value: string): string {
  const trimmed = value.trim();
  if (!/^(?:=\?utf-8\?B\?[A-Za-z0-9+/=]*\?=\s*)+$/i.test(trimmed)) return trimmed;
  const bytes = Array.from(trimmed.matchAll(ENCODED_WORD), (m) => Buffer.from(m[1] ?? '', 'base64'));
  return Buffer.concat(bytes).toString('utf8');
}

const PARSER_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, keepCidLinks: true } as const;

/**
 * All of a stream's bytes; its error (e.g. a broken seal found at its end) rejects. Given the size the store
 * announced, they are copied once into a buffer of that size (no chunk list and concatenation beside it).
 */
async function readAll(stream: Readable, sizeHint?: number): Promise<Buffer> {
  const whole = sizeHint !== undefined && sizeHint > 0 ? Buffer.allocUnsafe(sizeHint) : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (whole && chunks.length === 0 && size + b.length <= whole.length) b.copy(whole, size);
    else {
      if (whole && chunks.length === 0) chunks.push(whole.subarray(0, size)); // longer than announced: gather instead
      chunks.push(b);
    }
    size += b.length;
  }
  if (chunks.length > 0) return Buffer.concat(chunks, size);
  return whole ? whole.subarray(0, size) : Buffer.alloc(0);
}

/**
 * The item parsed by mailparser, its attachments' bodies decoded apart when it has the shape conversationToEml
 * writes (attachment-bodies.ts): the parser then reads only headers and transcript, the same bytes it would read
 * in the whole item. Should it not find exactly those attachments, with empty bodies, it parses the whole item.
 */
async function parseMime(eml: Buffer): Promise<ParsedMail> {
  const split = splitAttachmentBodies(eml);
  if (split !== undefined) {
    const parsed = await simpleParser(split.skeleton, PARSER_OPTIONS);
    const found = parsed.attachments;
    if (found.length === split.bodies.length && found.every((a) => a.size === 0 && a.content.length === 0)) {
      found.forEach((a, i) => {
        a.content = split.bodies[i]!;
        a.size = a.content.length;
      });
      return parsed;
    }
  }
  return simpleParser(eml, PARSER_OPTIONS);
}

/**
 * Reads a sealed archive item back into the fields the importer sends to Graph, so what is imported is
 * exactly what was sealed. Takes the bytes or a stream of them (read whole before anything is parsed: its
 * error, e.g. a broken seal found at its end, rejects).
 * @throws ArchiveItemParseError when the item lacks a Message-ID, From or Date.
 */
export async function parseArchiveItem(eml: Buffer | Readable, sizeHint?: number): Promise<ArchiveItemView> {
  const parsed = await parseMime(Buffer.isBuffer(eml) ? eml : await readAll(eml, sizeHint));
  const messageId = parsed.messageId;
  if (messageId === undefined || messageId.length === 0) {
    throw new ArchiveItemParseError(
      'Message-ID',
      'archive item has no Message-ID header; it was not written by conversationToEml or is damaged: re-convert the conversation',
    );
  }
  const from = addresses(parsed.from)[0];
  if (from === undefined) {
    throw new ArchiveItemParseError(
      'From',
      `archive item ${messageId} has no usable From address; it is damaged: re-convert the conversation`,
    );
  }
  const date = parsed.date?.getTime();
  if (date === undefined || !Number.isFinite(date)) {
    throw new ArchiveItemParseError(
      'Date',
      `archive item ${messageId} has no valid Date header; it is damaged: re-convert the conversation`,
    );
  }
  const xHeaders: { name: string; value: string }[] = [];
  for (const line of parsed.headerLines) {
    if (!line.key.startsWith('x-lp-')) continue;
    const colon = line.line.indexOf(':');
    xHeaders.push({ name: line.key, value: decodeHeaderValue(line.line.slice(colon + 1).replace(/\r?\n[ \t]/g, ' ')) });
  }
  return {
    messageId,
    subject: parsed.subject ?? '',
    date,
    from,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    html: typeof parsed.html === 'string' ? parsed.html : '',
    text: parsed.text ?? '',
    xHeaders,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      content: a.content,
    })),
  };
}
