/**
 * An archive item with its attachments' base64 bodies taken out, and those bodies decoded.
 *
 * A general MIME parser reads a base64 body line by line in JavaScript (76 characters at a time); for items of
 * megabytes that was most of an import's CPU. The importer hands the parser only the rest of the item (headers,
 * transcript parts, each attachment's headers with an empty body) and decodes the bodies here, a block of lines
 * at a time. Only the shape conversationToEml writes is taken apart (a multipart/mixed item whose attachments are
 * base64 in 76-character lines); for anything else the caller parses the whole item.
 */

export interface SplitItem {
  /** The item without its attachments' bodies: each attachment part keeps its headers and has an empty body. */
  readonly skeleton: Buffer;
  /** The decoded body of each attachment part, in the order of the parts. */
  readonly bodies: readonly Buffer[];
}

const CRLF = Buffer.from('\r\n');
const BLANK_LINE = Buffer.from('\r\n\r\n');
/** A base64 line as conversationToEml writes it: 76 characters and CRLF. */
const LINE_BYTES = 78;
/** Encoded bytes decoded per step: whole lines (so whole groups), a short string each step, never the whole body. */
const BLOCK_BYTES = 840 * LINE_BYTES;
const [CR, LF, EQUALS, DASH, UNDERSCORE] = [13, 10, 61, 45, 95] as const;
/** RFC 2046 boundary characters (no space: conversationToEml writes none). */
const BOUNDARY = /^[A-Za-z0-9'()+_,\-./:=?]{1,70}$/;

/** Header fields of a header block (folded lines unfolded), names in lower case, in order. */
function headerFields(block: string): { name: string; value: string }[] {
  return block
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .map((line) => {
      const colon = line.indexOf(':');
      return { name: colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase(), value: colon < 0 ? line : line.slice(colon + 1).trim() };
    });
}

/** The one value of a header, or undefined when it is missing or repeated. */
function single(fields: readonly { name: string; value: string }[], name: string): string | undefined {
  const found = fields.filter((f) => f.name === name);
  return found.length === 1 ? found[0]!.value : undefined;
}

/** The boundary of a top-level multipart/mixed item, or undefined for any other shape. */
function mixedBoundary(eml: Buffer, headerEnd: number): string | undefined {
  const contentType = single(headerFields(eml.toString('latin1', 0, headerEnd)), 'content-type');
  const m = contentType === undefined ? null : /^multipart\/mixed\s*;\s*boundary=("?)([^";\s]+)\1\s*$/i.exec(contentType);
  return m && BOUNDARY.test(m[2]!) ? m[2] : undefined;
}

/** True for a part conversationToEml writes as an attachment: base64, `attachment` disposition, not a container. */
function isBase64Attachment(headerBlock: string): boolean {
  const fields = headerFields(headerBlock);
  const encoding = single(fields, 'content-transfer-encoding');
  const disposition = single(fields, 'content-disposition');
  const type = single(fields, 'content-type') ?? '';
  return (
    encoding?.toLowerCase() === 'base64' &&
    disposition !== undefined &&
    /^attachment\s*(?:;|$)/i.test(disposition) &&
    !/^\s*(?:multipart|message)\//i.test(type)
  );
}

/**
 * Decodes a base64 body written as conversationToEml writes it: lines of 76 characters joined by CRLF (the last
 * one shorter, perhaps with a CRLF of its own), whole 4-character groups, `=` padding only at its very end. Undefined for any other content,
 * which the caller leaves to the MIME parser. Checked without a pass over every character in JavaScript: Node's
 * decoder skips any character outside base64, so the body is plain base64 exactly when it decodes to the length
 * its characters promise; `-` and `_` (which Node would read as base64url) are refused first.
 */
export function decodeBase64Lines(encoded: Buffer): Buffer | undefined {
  // A part followed by another ends with a line break of its own (mimetext writes one).
  const ends = encoded.length >= 2 && encoded[encoded.length - 2] === CR && encoded[encoded.length - 1] === LF;
  const body = ends ? encoded.subarray(0, encoded.length - 2) : encoded;
  const n = body.length;
  let breaks = 0;
  for (let p = LINE_BYTES - CRLF.length; p < n; p += LINE_BYTES, breaks++) if (body[p] !== CR || body[p + 1] !== LF) return undefined;
  const chars = n - CRLF.length * breaks;
  if (chars % 4 !== 0 || body.indexOf(DASH) >= 0 || body.indexOf(UNDERSCORE) >= 0) return undefined;
  const pad = body[n - 1] !== EQUALS ? 0 : body[n - 2] === EQUALS ? 2 : 1;
  const expected = (chars / 4) * 3 - pad;
  const out = Buffer.allocUnsafe(expected + 3); // room to notice a decoder that writes more than promised
  let written = 0;
  for (let start = 0; start < n; start += BLOCK_BYTES) {
    written += out.write(body.toString('latin1', start, Math.min(n, start + BLOCK_BYTES)), written, 'base64');
  }
  return written === expected ? out.subarray(0, expected) : undefined;
}

/**
 * Takes the base64 attachment bodies out of an item written by conversationToEml; undefined when the item has
 * another shape (no multipart/mixed top level, a part not closed, a body that is not plain base64 lines).
 */
export function splitAttachmentBodies(eml: Buffer): SplitItem | undefined {
  const headerEnd = eml.indexOf(BLANK_LINE);
  if (headerEnd < 0) return undefined;
  const boundary = mixedBoundary(eml, headerEnd);
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const kept: Buffer[] = [];
  const bodies: Buffer[] = [];
  let from = 0; // start of what is kept next
  let at = eml.indexOf(delimiter, headerEnd);
  if (at < 0) return undefined;
  for (;;) {
    const after = at + delimiter.length;
    if (eml.toString('latin1', after, after + 2) === '--') break; // the close delimiter
    if (eml.toString('latin1', after, after + 2) !== '\r\n') return undefined;
    const partStart = after + 2;
    const next = eml.indexOf(delimiter, partStart);
    if (next < 0) return undefined;
    const partHeaderEnd = eml.indexOf(BLANK_LINE, partStart);
    if (
      partHeaderEnd >= 0 &&
      partHeaderEnd + BLANK_LINE.length <= next &&
      isBase64Attachment(eml.toString('latin1', partStart, partHeaderEnd))
    ) {
      const bodyStart = partHeaderEnd + BLANK_LINE.length;
      const bytes = decodeBase64Lines(eml.subarray(bodyStart, next));
      if (bytes === undefined) return undefined;
      bodies.push(bytes);
      kept.push(eml.subarray(from, bodyStart));
      from = next;
    }
    at = next;
  }
  if (bodies.length === 0) return undefined;
  kept.push(eml.subarray(from));
  return { skeleton: Buffer.concat(kept), bodies };
}
