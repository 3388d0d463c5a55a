import type { JWTPayload, JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import { hasGroupOverage, isAllowed, principalOf, type AllowList, type ClaimNames, type Principal } from './principal';

/** What an API protected by OpenID Connect access tokens checks. */
export interface AccessTokenSettings {
  /** `iss` exactly as the provider writes it (Entra v2: `https://login.microsoftonline.com/<tenant-id>/v2.0`). */
  readonly issuer: string;
  /** `aud` (Entra: the API's application ID URI or client id). */
  readonly audience: string;
  /** The provider's keys; default: `jwks_uri` from `<issuer>/.well-known/openid-configuration`. */
  readonly jwksUrl?: string;
  readonly allow: AllowList;
  readonly claims: ClaimNames;
  /** Leeway for `exp`/`nbf`/`iat` between this host's clock and the provider's. */
  readonly clockToleranceSeconds: number;
  /**
   * After fetching the keys, how long a token with an unknown key id is refused without fetching them again
   * (a bound on requests to the provider; a key rollover is seen at most this late). Default 30.
   */
  readonly jwksCooldownSeconds?: number;
}

/** A refused token: 401 (no valid token: sign in again) or 403 (valid, but not on the allow-list). */
export class AccessDeniedError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}

/** The provider's discovery document or keys cannot be had (503: try again; nothing is decided). */
export class IdentityProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** Verifies bearer access tokens; see {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifier {
  readonly settings: AccessTokenSettings;
  /** The allowed principal of a valid token; throws AccessDeniedError or IdentityProviderUnavailableError. */
  verify(token: string): Promise<Principal>;
}

/** RS256 is what Entra and the dev provider sign with; the other asymmetric algorithms are accepted, never HMAC or "none". */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let doc: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = (await res.json()) as typeof doc;
  } catch (err) {
    throw new IdentityProviderUnavailableError(
      `cannot read the OpenID configuration at ${url} (${(err as Error).message}); check the issuer URL and that this host reaches it`,
      { cause: err },
    );
  }
  if (doc.issuer !== issuer)
    throw new IdentityProviderUnavailableError(
      `the OpenID configuration at ${url} names issuer "${String(doc.issuer)}", not "${issuer}": set the issuer exactly as the provider writes it`,
    );
  if (typeof doc.jwks_uri !== 'string') throw new IdentityProviderUnavailableError(`the OpenID configuration at ${url} has no jwks_uri`);
  return doc.jwks_uri;
}

function denial(err: unknown): AccessDeniedError | IdentityProviderUnavailableError {
  const code = (err as { code?: string }).code;
  const claim = (err as { claim?: string }).claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AccessDeniedError(401, 'the access token has expired: sign in again');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return new AccessDeniedError(401, `the access token's "${claim ?? '?'}" claim is not the one expected (${(err as Error).message})`);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new AccessDeniedError(401, 'the access token is signed with a key the issuer does not publish');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new AccessDeniedError(401, 'the access token signature does not verify against the issuer keys');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new IdentityProviderUnavailableError(`the issuer's keys cannot be read (${(err as Error).message})`, { cause: err });
    default:
      if (err instanceof TypeError || (err as Error).name === 'AbortError')
        return new IdentityProviderUnavailableError(`the issuer's keys cannot be read (${(err as Error).message})`, { cause: err });
      return new AccessDeniedError(401, `the access token is not a valid signed JWT (${(err as Error).message})`);
  }
}

/**
 * A verifier of OpenID Connect access tokens (JWT): signature against the issuer's published keys (JWKS,
 * found by discovery unless given, cached and fetched again when a token names an unknown key id), issuer,
 * audience, expiry with a small clock tolerance; then the allow-list of users and groups.
 */
export function createAccessTokenVerifier(settings: AccessTokenSettings): AccessTokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const getKeys = (): Promise<JWTVerifyGetKey> => {
    keys ??= (async () => {
      const jose = await import('jose');
      const jwksUrl = settings.jwksUrl ?? (await discoverJwksUrl(settings.issuer));
      // jose caches the set and fetches it again when a token's kid is unknown (at most once per cooldown).
      return jose.createRemoteJWKSet(new URL(jwksUrl), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: (settings.jwksCooldownSeconds ?? 30) * 1000,
      });
    })();
    // A failed discovery is tried again on the next request.
    keys.catch(() => (keys = undefined));
    return keys;
  };
  return {
    settings,
    async verify(token) {
      const jose = await import('jose');
      const jwks = await getKeys();
      let payload: JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(token, jwks, {
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: settings.clockToleranceSeconds,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        throw denial(err);
      }
      const principal = principalOf(payload, settings.claims);
      if (!isAllowed(principal, settings.allow)) {
        const overage = hasGroupOverage(payload)
          ? ' The token has too many groups to list them (Entra group overage): assign the allowed groups to the app registration, or allow app roles.'
          : '';
        throw new AccessDeniedError(403, `${principal.display} is not on the allow-list (users or groups).${overage}`);
      }
      return principal;
    },
  };
}
