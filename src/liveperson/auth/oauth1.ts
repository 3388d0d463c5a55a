import { createHmac, randomBytes } from 'node:crypto';
import type { Authorizer } from './authorizer';

export interface OAuth1Keys {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

/** RFC 3986 encoding as OAuth 1.0 requires (encodeURIComponent leaves !'()* alone). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Two-legged OAuth 1.0a (HMAC-SHA1), LivePerson's older "API key" credentials. The signature covers the
 * method, the URL without query, and query + oauth parameters; a JSON body is not signed (RFC 5849 §3.4.1.3).
 * LivePerson ends OAuth 1.0 on 31 May 2026: OAuth 2.0 is the primary path, this is the fallback.
 */
export class OAuth1Authorizer implements Authorizer {
  constructor(
    private readonly keys: OAuth1Keys,
    readonly setting: string,
    private readonly now: () => number,
    private readonly nonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  header(method: string, url: string): Promise<string> {
    const u = new URL(url);
    const oauth: [string, string][] = [
      ['oauth_consumer_key', this.keys.consumerKey],
      ['oauth_token', this.keys.accessToken],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', String(Math.floor(this.now() / 1000))],
      ['oauth_nonce', this.nonce()],
      ['oauth_version', '1.0'],
    ];
    const pairs: [string, string][] = [...u.searchParams.entries(), ...oauth];
    const normalized = pairs
      .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
      .sort((a, b) => (a[0] === b[0] ? cmp(a[1], b[1]) : cmp(a[0], b[0])))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const baseUrl = `${u.protocol}//${u.host}${u.pathname}`;
    const base = [method.toUpperCase(), percentEncode(baseUrl), percentEncode(normalized)].join('&');
    const key = `${percentEncode(this.keys.consumerSecret)}&${percentEncode(this.keys.accessTokenSecret)}`;
    const signature = createHmac('sha1', key).update(base).digest('base64');
    const params = [...oauth, ['oauth_signature', signature] as [string, string]];
    return Promise.resolve(`OAuth ${params.map(([k, v]) => `${k}="${percentEncode(v)}"`).join(', ')}`);
  }

  invalidate(): boolean {
    return false; // static keys: a 401 will not change by retrying
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
