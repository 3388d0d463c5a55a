import { ClientSecretCredential } from '@azure/identity';
import { DEFAULT_AUTHORITY_HOST, GRAPH_SCOPE } from './constants';
import { GraphConfigError, GraphRequestError } from './errors';
import type { GraphAuth } from './types';

/** Supplies app-only access tokens for Graph, cached and refreshed before they expire. */
export interface TokenSource {
  getToken(): Promise<string>;
  /** Drops the cached token (after a 401) so the next `getToken` fetches a fresh one. */
  invalidate(): void;
}

/** Refresh this long before expiry, so a token never expires mid-request. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const FIX_CREDENTIALS =
  'check the Graph tenant id, client id and client secret of this connector (the secret value, not its id; secrets expire) and that the app registration exists in that tenant.';

/** Shares one in-flight fetch between concurrent callers and caches the result until near expiry. */
abstract class CachingTokenSource implements TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  protected abstract fetchToken(): Promise<{ token: string; expiresAt: number }>;

  getToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - REFRESH_MARGIN_MS > Date.now()) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.fetchToken().then(
      (t) => {
        this.cached = t;
        this.inFlight = undefined;
        return t.token;
      },
      (err: unknown) => {
        this.inFlight = undefined;
        throw err;
      },
    );
    return this.inFlight;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

/** Production: `@azure/identity` client credentials against Microsoft Entra ID (or a sovereign cloud). */
export class ClientSecretTokenSource extends CachingTokenSource {
  private readonly credential: ClientSecretCredential;

  constructor(
    private readonly auth: GraphAuth,
    authorityHost: string,
  ) {
    super();
    this.credential = new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, { authorityHost });
  }

  protected async fetchToken(): Promise<{ token: string; expiresAt: number }> {
    try {
      const t = await this.credential.getToken(GRAPH_SCOPE);
      return { token: t.token, expiresAt: t.expiresOnTimestamp };
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const code = /AADSTS\d+/.exec(msg)?.[0] ?? 'AuthenticationFailed';
      throw new GraphConfigError(
        code,
        `Sign-in to Microsoft Graph failed for client '${this.auth.clientId}' in tenant '${this.auth.tenantId}': ${msg.split('\n')[0] ?? msg}`,
        FIX_CREDENTIALS,
      );
    }
  }
}

/**
 * Local emulator: a plain client-credentials form POST to `{authorityHost}/{tenant}/oauth2/v2.0/token`.
 * Used only for `http://127.0.0.1` / `http://localhost` authorities, where MSAL would refuse or try
 * instance discovery.
 */
export class LocalClientCredentialsTokenSource extends CachingTokenSource {
  constructor(
    private readonly auth: GraphAuth,
    private readonly authorityHost: string,
  ) {
    super();
  }

  protected async fetchToken(): Promise<{ token: string; expiresAt: number }> {
    const url = `${this.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(this.auth.tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      client_id: this.auth.clientId,
      client_secret: this.auth.clientSecret,
      scope: GRAPH_SCOPE,
      grant_type: 'client_credentials',
    });
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new GraphRequestError(
        -1,
        'TokenEndpointUnreachable',
        `Cannot reach the token endpoint ${url}: ${err instanceof Error ? err.message : String(err)}. Is the authority host right and running?`,
        true,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || typeof body.access_token !== 'string') {
      if (response.status >= 500 || response.status === 429) {
        throw new GraphRequestError(
          response.status,
          body.error ?? 'TokenEndpointError',
          `The token endpoint ${url} answered HTTP ${response.status}.`,
          true,
        );
      }
      const code = /AADSTS\d+/.exec(body.error_description ?? '')?.[0] ?? body.error ?? 'AuthenticationFailed';
      throw new GraphConfigError(
        code,
        `Sign-in to Microsoft Graph failed for client '${this.auth.clientId}' in tenant '${this.auth.tenantId}': ${body.error ?? `HTTP ${response.status}`}: ${(body.error_description ?? '').split(' Trace ID')[0]}`,
        FIX_CREDENTIALS,
      );
    }
    return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3599) * 1000 };
  }
}

/** Picks the token source for an authority: the emulator's plain form POST for local http, MSAL otherwise. */
export function createTokenSource(auth: GraphAuth, authorityHost: string = DEFAULT_AUTHORITY_HOST): TokenSource {
  const url = new URL(authorityHost);
  const local = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (local) return new LocalClientCredentialsTokenSource(auth, authorityHost);
  if (url.protocol !== 'https:') {
    throw new GraphConfigError(
      'InsecureAuthority',
      `The Graph authority host '${authorityHost}' is not https.`,
      'use https://login.microsoftonline.com (or your national cloud); plain http is allowed only for a local emulator on 127.0.0.1/localhost.',
    );
  }
  return new ClientSecretTokenSource(auth, authorityHost);
}
