import type { Context } from '@microsoft/microsoft-graph-client';

/** The request URL of an SDK middleware context. */
export function contextUrl(context: Context): string {
  // RequestInfo comes from the DOM lib, which this project does not load: narrow it by hand.
  const request = context.request as unknown;
  return typeof request === 'string' ? request : (request as { url: string }).url;
}

/** Sets a header whether the SDK gave us a plain object or a `Headers`. */
export function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const headers = context.options.headers as unknown;
  if (headers instanceof Headers) {
    headers.set(name, value);
    return;
  }
  const plain: Record<string, string> = Array.isArray(headers)
    ? Object.fromEntries(headers as [string, string][])
    : { ...(headers as Record<string, string> | undefined) };
  for (const k of Object.keys(plain)) if (k.toLowerCase() === name.toLowerCase()) delete plain[k];
  plain[name] = value;
  context.options.headers = plain;
}

/** Size of a request body, for the per-mailbox upload budget. */
export function bodyBytes(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The mailbox a Graph URL addresses (`/users/{id}/mailFolders|messages…`), lower-cased; undefined otherwise. */
export function mailboxKeyOf(url: string): string | undefined {
  const path = new URL(url).pathname;
  const m = /\/users\/([^/]+)\/(?:mailFolders|messages)(?:\/|$)/i.exec(path);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]).toLowerCase();
  } catch {
    return m[1].toLowerCase();
  }
}
