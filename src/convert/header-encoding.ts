/**
 * Header encoding done by hand where mimetext is not enough: mimetext writes custom header values and
 * attachment file names verbatim and puts a whole display name or subject in one encoded word of any
 * length. Everything here produces 7-bit lines well under 998 octets, and no input can end a header line.
 * Callers pass values already cleaned by `cleanHeaderText` (no controls, single spaces).
 */

/** Line break of the message (RFC 5322 requires CRLF whatever the platform). */
export const CRLF = '\r\n';
/** Folding: a CRLF followed by one space, which unfolding turns back into that space. */
const FOLD = `${CRLF} `;
// 45 UTF-8 bytes → 60 base64 chars + 12 of `=?utf-8?B?` / `?=`: 72 ≤ the 75 RFC 2047 allows per word.
const MAX_WORD_BYTES = 45;
const MAX_ASCII_LINE = 70;

/** Splits text into RFC 2047 B-encoded words, never splitting a code point between words. */
export function encodedWords(s: string): string[] {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const cp of s) {
    const n = Buffer.byteLength(cp, 'utf8');
    if (bytes + n > MAX_WORD_BYTES && chunk.length > 0) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += cp;
    bytes += n;
  }
  if (chunk.length > 0) words.push(chunk);
  return words.map((w) => `=?utf-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`);
}

/**
 * Plain printable ASCII that a reader would not mistake for an encoded word (`=?`), with no token too
 * long to fold. Anything else is sent as encoded words, so the receiver shows exactly the input text.
 */
function isFoldableAscii(s: string): boolean {
  return (
    /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/.test(s) &&
    !s.includes('=?') &&
    s.split(' ').every((t) => t.length > 0 && t.length <= MAX_ASCII_LINE)
  );
}

/** An unstructured header value (Subject, X-LP-*): folded ASCII, or folded encoded words. */
export function encodeUnstructured(value: string): string {
  if (value.length === 0) return '';
  if (isFoldableAscii(value)) return foldAscii(value);
  return encodedWords(value).join(FOLD);
}

function foldAscii(value: string): string {
  const lines: string[] = [];
  let cur = '';
  for (const token of value.split(' ')) {
    if (cur.length === 0) cur = token;
    else if (cur.length + 1 + token.length > MAX_ASCII_LINE) {
      lines.push(cur);
      cur = token;
    } else cur += ` ${token}`;
  }
  lines.push(cur);
  return lines.join(FOLD);
}

/** A display name as an RFC 5322 phrase: a short quoted string when plain ASCII, else encoded words. */
export function encodePhrase(name: string): string {
  if (/^[\x20-\x7E]{1,60}$/.test(name) && !/["\\]/.test(name) && !name.includes('=?')) return `"${name}"`;
  return encodedWords(name).join(FOLD);
}

/** One mailbox, with its address already checked by `isHeaderSafeAddress`. */
export interface HeaderMailbox {
  readonly name: string;
  readonly address: string;
}

export function encodeMailbox(m: HeaderMailbox): string {
  return m.name.length > 0 ? `${encodePhrase(m.name)} <${m.address}>` : `<${m.address}>`;
}

/**
 * A To/Cc value. An empty list is written as the empty group `undisclosed-recipients:;` so the header is
 * always present: the set of header names never depends on the conversation.
 */
export function encodeMailboxList(list: readonly HeaderMailbox[]): string {
  return list.length === 0 ? 'undisclosed-recipients:;' : list.map(encodeMailbox).join(`,${FOLD}`);
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`);

/** A hostname usable as the right side of a Message-ID and of synthetic addresses. */
export function isHostname(s: string): boolean {
  return DOMAIN.test(s);
}

/**
 * Whether an address can be written between angle brackets as is: plain ASCII dot-atom local part and a
 * hostname. Anything else (spaces, quotes, CR/LF, non-ASCII, `=?`) stays out of headers; the transcript
 * still shows it.
 */
export function isHeaderSafeAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.includes('=?')) return false;
  const local = address.slice(0, at);
  return local.length <= 64 && LOCAL_PART.test(local) && isHostname(address.slice(at + 1));
}

// RFC 2231 attribute-char: what may stand unencoded in an extended parameter value.
const ATTRIBUTE_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ATTRIBUTE_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An ASCII stand-in for clients without RFC 2231: non-ASCII, quotes and backslashes become `_`. */
export function asciiFallbackName(name: string): string {
  return Array.from(name, (c) => (/^[\x20-\x7E]$/.test(c) && c !== '"' && c !== '\\' ? c : '_')).join('');
}

/**
 * `name="…"` parameters for a file name (already sanitised). Non-ASCII names get an ASCII fallback plus
 * the exact name in RFC 2231 form (`filename*0*=utf-8''…`), continued over short lines.
 */
export function fileNameParameters(param: 'filename' | 'name', name: string): string[] {
  const fallback = `${param}="${asciiFallbackName(name)}"`;
  if (/^[\x20-\x7E]*$/.test(name) && !/["\\]/.test(name)) return [fallback];
  // Continuations of at most ~60 characters, each holding whole characters (never half a UTF-8 sequence).
  const pieces: string[] = [];
  let cur = '';
  for (const cp of name) {
    const enc = percentEncode(cp);
    if (cur.length > 0 && cur.length + enc.length > 60) {
      pieces.push(cur);
      cur = '';
    }
    cur += enc;
  }
  if (cur.length > 0) pieces.push(cur);
  return [fallback, ...pieces.map((p, n) => `${param}*${n}*=${n === 0 ? "utf-8''" : ''}${p}`)];
}

/** Joins MIME parameters after a value, one per folded line. */
export function withParameters(value: string, params: readonly string[]): string {
  return params.length === 0 ? value : `${value};${FOLD}${params.join(`;${FOLD}`)}`;
}
