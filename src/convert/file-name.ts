import { cleanHeaderText, truncateCodePoints } from './text-clean';

const MAX_NAME_CHARS = 150;

/**
 * A file name safe to attach and to save: last path segment only (no `/` or `\` traversal), no control or
 * bidi characters, none of the characters Windows refuses, no leading dot (hidden file), at most
 * 150 code points with the extension kept. An empty result becomes `fallback`.
 */
export function sanitizeFileName(raw: string, fallback: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  let name = cleanHeaderText(last, 10_000)
    .replace(/[<>:"|?*]/g, '_')
    .replace(/[.\s]+$/, '')
    .replace(/^[.\s]+/, (m) => '_'.repeat(m.length));
  if (Array.from(name).length > MAX_NAME_CHARS) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = truncateCodePoints(name.slice(0, name.length - ext.length), MAX_NAME_CHARS - Array.from(ext).length) + ext;
  }
  return name.length > 0 ? name : fallback;
}
