import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Sentinel-style App JWTs. The real ones are RS256; HS256 with a per-process key is enough here, since
 * only this emulator verifies them. Clients must treat the token as opaque apart from `exp`.
 */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly revokedBefore = { at: 0 };
  issued = 0;

  constructor(private readonly now: () => number) {}

  /** A token for one account: `lp.site` names it, and paths of other accounts refuse it. */
  issue(accountId: string, clientId: string, lifetimeSeconds: number, scopes: readonly string[]): { token: string; expiresIn: number } {
    const iat = Math.floor(this.now() / 1000);
    const payload = {
      iss: 'https://sentinel.liveperson.net',
      sub: clientId,
      aud: clientId,
      'lp.site': accountId,
      scope: scopes.join(' '),
      iat,
      exp: iat + lifetimeSeconds,
      jti: randomUUID(),
      iatMs: this.now(),
    };
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'emulator' }));
    const body = b64url(JSON.stringify(payload));
    this.issued++;
    return { token: `${head}.${body}.${this.sign(`${head}.${body}`)}`, expiresIn: lifetimeSeconds };
  }

  /** The scopes of a token this issuer signed (space-separated `scope` claim); empty when unreadable. */
  scopesOf(token: string): readonly string[] {
    const body = token.split('.')[1];
    if (body === undefined) return [];
    try {
      const scope = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { scope?: unknown }).scope;
      return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
    } catch {
      return [];
    }
  }

  /** Every token issued so far stops working (tests the client's refresh on 401). */
  revokeAll(): void {
    this.revokedBefore.at = this.now() + 1;
  }

  /**
   * Why a bearer token is not accepted on a path of `accountId`, or undefined when it is. Without an account
   * (the path names none this emulator serves) only the token itself is checked, and the route answers 404.
   */
  reject(token: string, accountId: string | undefined): string | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return 'malformed token';
    const [head, body, sig] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${head}.${body}`));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'unknown token';
    let payload: { exp?: unknown; iatMs?: unknown; 'lp.site'?: unknown };
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      return 'malformed token';
    }
    if (accountId !== undefined && payload['lp.site'] !== accountId) return 'token of another account';
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= this.now()) return 'token expired';
    if (typeof payload.iatMs === 'number' && payload.iatMs < this.revokedBefore.at) return 'token revoked';
    return undefined;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}
