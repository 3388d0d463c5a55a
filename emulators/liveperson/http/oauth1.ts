import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986 percent-encoding as OAuth 1.0 (RFC 5849 §3.6) requires. */
export function oauthEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses `Authorization: OAuth k="v", …`; undefined when it is not an OAuth header. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const out = new Map<string, string>();
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    const [, k, v] = m;
    if (k !== undefined && v !== undefined) out.set(k, decodeURIComponent(v));
  }
  return out;
}

export interface OAuth1Secrets {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

/**
 * Verifies an HMAC-SHA1 signature over method, base URL and query + oauth parameters (a JSON body is not
 * signed). Returns why it is rejected, or undefined when valid.
 */
export function verifyOAuth1(
  method: string,
  baseUrl: string,
  query: URLSearchParams,
  params: Map<string, string>,
  secrets: OAuth1Secrets,
  nowMs: number,
): string | undefined {
  if (params.get('oauth_signature_method') !== 'HMAC-SHA1') return 'unsupported oauth_signature_method';
  if (params.get('oauth_consumer_key') !== secrets.consumerKey) return 'unknown oauth_consumer_key';
  if (params.get('oauth_token') !== secrets.accessToken) return 'unknown oauth_token';
  const ts = Number(params.get('oauth_timestamp'));
  if (!Number.isFinite(ts) || Math.abs(ts * 1000 - nowMs) > 5 * 60_000) return 'oauth_timestamp out of range';
  const given = params.get('oauth_signature') ?? '';
  const pairs: [string, string][] = [];
  for (const [k, v] of query) pairs.push([k, v]);
  for (const [k, v] of params) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([k, v]);
  const expected = oauth1Signature(method, baseUrl, pairs, secrets.consumerSecret, secrets.accessTokenSecret);
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'invalid oauth_signature';
}

/** The signature as RFC 5849 §3.4 defines it (shared by the client's signer in spirit, not in code). */
export function oauth1Signature(
  method: string,
  baseUrl: string,
  pairs: readonly [string, string][],
  consumerSecret: string,
  tokenSecret: string,
): string {
  const normalized = pairs
    .map(([k, v]) => [oauthEncode(k), oauthEncode(v)] as const)
    .sort((x, y) => (x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : x[0] < y[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [method.toUpperCase(), oauthEncode(baseUrl), oauthEncode(normalized)].join('&');
  return createHmac('sha1', `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`)
    .update(base)
    .digest('base64');
}
