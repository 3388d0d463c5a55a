import type { TokenCredential } from '@azure/identity';
import { createGraphCredential, credentialVariable, type SignInSettings } from './credential';
import { GraphClientFailure, GraphConfigError, GraphRequestError } from './errors';
import type { GraphAuth } from './types';

/** Supplies app-only access tokens for Graph, cached and refreshed before they expire. */
export interface TokenSource {
  getToken(): Promise<string>;
  /** Drops the cached token (after a 401) so the next `getToken` fetches a fresh one. */
  invalidate(): void;
}

/** Refresh this long before expiry, so a token never expires mid-request. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** What the app's sign-in needs: the authority, whether the operator declared it trusted, the Graph scope. */
export interface TokenSettings extends SignInSettings {
  /** The `.default` scope of the Graph the client calls (its cloud's, or a private Graph's origin). */
  readonly scope: string;
}

/** What to change for an Entra ID refusal, by AADSTS code and credential kind. */
function fixFor(code: string, auth: GraphAuth, settings: TokenSettings): string {
  const v = (suffix: string): string => credentialVariable(auth, suffix);
  switch (code) {
    case 'AADSTS7000215':
      return `set ${v('CLIENT_SECRET')} to the secret's value (not its id) from the app registration's Certificates & secrets; secrets expire.`;
    case 'AADSTS700016':
      return `check ${v('CLIENT_ID')} (the application id) and ${v('TENANT_ID')}: the app registration must exist in that tenant (and cloud: ${settings.authorityHost}).`;
    case 'AADSTS90002':
      return `check ${v('TENANT_ID')}: the tenant id (a GUID) or a verified domain of your tenant, in the cloud of ${settings.authorityHost}.`;
    case 'AADSTS700027':
      return auth.kind === 'certificate'
        ? `upload the certificate in ${v('CLIENT_CERTIFICATE_PATH')} to the app registration (Certificates & secrets), or point ${v('CLIENT_CERTIFICATE_PATH')} at the certificate registered there (with its private key); an expired one must be renewed.`
        : `the federated token in ${v('FEDERATED_TOKEN_FILE')} is not signed by a key its issuer publishes; check the issuer and the token file.`;
    case 'AADSTS700024':
      return auth.kind === 'workload-identity'
        ? `the token in ${v('FEDERATED_TOKEN_FILE')} has expired: the platform (e.g. Kubernetes' projected service account token) must refresh that file.`
        : "the worker host's clock is off: synchronise it (NTP); client assertions are valid for minutes only.";
    case 'AADSTS70021':
    case 'AADSTS700212':
    case 'AADSTS700213':
      return `add a federated credential to the app registration whose issuer, subject and audience match the token in ${v('FEDERATED_TOKEN_FILE')} (the error lists them).`;
    case 'AADSTS1002012':
    case 'AADSTS500011':
      return `the token scope ${settings.scope} does not name the Graph of this tenant's cloud: set graph.cloud (global, usgov, usgov-dod, china), and graph.baseUrl only for a private Graph.`;
    case 'endpoints_resolution_error':
    case 'invalid_instance':
      return `MSAL could not validate the authority ${settings.authorityHost}: use graph.cloud for Microsoft's clouds; for a token service you run, set graph.authorityHost to it and graph.trustedAuthority: true.`;
    case 'CredentialUnavailableError':
      return auth.kind === 'managed-identity'
        ? `no managed identity endpoint answers on this host: run the worker where a managed identity is assigned (Azure VM, App Service, AKS...), or use another credential than ${v('MANAGED_IDENTITY')}.`
        : `check the credential variables of ${auth.ref ?? 'graph.credentialsRef'} (docs/credentials.md).`;
    default:
      return `check the Microsoft Graph credentials of ${auth.ref ?? 'this connector'} (${auth.kind}) against the app registration in tenant ${auth.tenantId} (docs/credentials.md).`;
  }
}

/** Network and service trouble at the token endpoint is retried; everything else is for an operator. */
function transient(message: string): boolean {
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up|network|timed? ?out|\b5\d\d\b|\b429\b|temporarily/i.test(
    message,
  );
}

/** The Graph client's error for a failed sign-in: the cause in one line, and the fix. */
export function describeSignInFailure(err: unknown, auth: GraphAuth, settings: TokenSettings): GraphClientFailure {
  if (err instanceof GraphClientFailure) return err;
  const e = err as Error & { errorResponse?: { error?: string }; name?: string };
  const full = e instanceof Error ? e.message : String(err);
  const firstLine = (full.split('\n')[0] ?? full).replace(/ Trace ID:.*$/, '');
  const code =
    /AADSTS\d+/.exec(full)?.[0] ??
    /\b(endpoints_resolution_error|invalid_instance)\b/.exec(full)?.[0] ??
    (e.name === 'CredentialUnavailableError' ? 'CredentialUnavailableError' : undefined);
  const who = `client '${auth.clientId}' in tenant '${auth.tenantId}' (${auth.kind}, authority ${settings.authorityHost})`;
  if (code === undefined && transient(full))
    return new GraphRequestError(-1, 'TokenEndpointUnavailable', `Sign-in to Microsoft Graph failed for ${who}: ${firstLine}`, true);
  return new GraphConfigError(
    code ?? 'AuthenticationFailed',
    `Sign-in to Microsoft Graph failed for ${who}: ${firstLine}`,
    fixFor(code ?? '', auth, settings),
  );
}

/**
 * App-only tokens from an `@azure/identity` credential, as production signs in: one request shared by
 * concurrent callers, cached until shortly before expiry.
 */
export class AzureIdentityTokenSource implements TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    readonly credential: TokenCredential,
    private readonly auth: GraphAuth,
    private readonly settings: TokenSettings,
  ) {}

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

  private async fetchToken(): Promise<{ token: string; expiresAt: number }> {
    try {
      const t = await this.credential.getToken(this.settings.scope);
      if (!t) throw new Error('the credential returned no token');
      return { token: t.token, expiresAt: t.expiresOnTimestamp };
    } catch (err) {
      throw describeSignInFailure(err, this.auth, this.settings);
    }
  }
}

/** The token source of a connector's Graph app, through `@azure/identity` whatever the credential kind. */
export function createTokenSource(auth: GraphAuth, settings: TokenSettings): AzureIdentityTokenSource {
  return new AzureIdentityTokenSource(createGraphCredential(auth, settings), auth, settings);
}
