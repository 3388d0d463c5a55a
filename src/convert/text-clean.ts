/**
 * Cleaning of untrusted text before it reaches a header or a body. Kept in one place so the renderers and
 * the tests agree on exactly what a message text becomes.
 */

// C0 controls except TAB and LF, DEL, C1 controls: never meaningful in a transcript, and NUL & co. break
// HTML parsers and some mail stores.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BODY_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Every control, plus the Unicode line/paragraph separators some clients treat as line breaks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_BREAKERS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u0085]/g;
// Bidi embedding/override/isolate controls: legitimate in a chat text (scoped by dir="auto"), but in a
// display name or file name they can disguise what is shown ("gnp.exe" tricks).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// A surrogate half without its partner cannot be encoded as UTF-8; replace it visibly, as encoders would.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces unpaired surrogates with U+FFFD so the text is exactly what UTF-8 will carry. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** A message text as both transcript parts show it: newlines normalised to LF, control chars replaced. */
export function cleanBodyText(s: string): string {
  return wellFormed(s).replace(/\r\n?/g, '\n').replace(BODY_CONTROLS, '\uFFFD');
}

/**
 * A value safe for a header: one line, no controls, no bidi overrides, whitespace collapsed, trimmed and
 * cut to `maxChars` code points (with an ellipsis). The full text always stays in the body and the JSON.
 */
export function cleanHeaderText(s: string, maxChars = 200): string {
  const one = wellFormed(s).replace(HEADER_BREAKERS, ' ').replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
  return truncateCodePoints(one, maxChars);
}

/** A display name as shown in the transcript: same as a header value, but never empty. */
export function cleanDisplayName(name: string | undefined, fallback: string): string {
  const n = cleanHeaderText(name ?? '', 120);
  return n.length > 0 ? n : fallback;
}

/** Cuts to at most `max` code points (never splitting a surrogate pair), marking the cut with an ellipsis. */
export function truncateCodePoints(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : `${cps.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Removes bidi controls only; used for file names shown in bodies. */
export function stripBidiControls(s: string): string {
  return s.replace(BIDI_CONTROLS, '');
}
