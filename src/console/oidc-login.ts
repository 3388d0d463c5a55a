import type { Configuration } from 'openid-client' with { 'resolution-mode': 'import' };
import type { ConsoleSettings } from './settings';

/** What the session keeps between the redirect to the provider and the callback. */
export interface PendingLogin {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnTo: string;
}

/** Sign-in with OpenID Connect (openid-client): authorization code flow with PKCE, state and nonce. */
export interface OidcLogin {
  /** Where to send the browser, and what to keep in the session until the callback. */
  start(returnTo: string): Promise<{ url: string; pending: PendingLogin }>;
  /** Exchanges the code (checking state, nonce, PKCE, the ID token's signature, iss, aud, exp) and returns its claims. */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<{ claims: Record<string, unknown>; idToken: string }>;
  /** The provider's end-session URL (RP-initiated logout), or undefined when it has none. */
  logoutUrl(idToken: string | undefined): Promise<string | undefined>;
}

/** The console's OIDC client; discovery happens on first use and is retried after a failure. */
export function createOidcLogin(settings: Pick<ConsoleSettings, 'oidc' | 'publicUrl'>): OidcLogin {
  const redirectUri = `${settings.publicUrl}/auth/callback`;
  let config: Promise<Configuration> | undefined;
  const configuration = (): Promise<Configuration> => {
    config ??= (async () => {
      const client = await import('openid-client');
      const issuer = new URL(settings.oidc.issuer);
      // http is allowed only for a provider on this machine (the dev provider); settings.ts refuses others.
      const insecure = issuer.protocol === 'http:';
      return client.discovery(
        issuer,
        settings.oidc.clientId,
        undefined,
        client.ClientSecretPost(settings.oidc.clientSecret),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
    })();
    config.catch(() => (config = undefined));
    return config;
  };
  return {
    async start(returnTo) {
      const client = await import('openid-client');
      const cfg = await configuration();
      const pending: PendingLogin = {
        codeVerifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        returnTo,
      };
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: settings.oidc.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending) {
      const client = await import('openid-client');
      const cfg = await configuration();
      const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new Error('the provider returned no ID token');
      return { claims: { ...claims }, idToken: tokens.id_token };
    },
    async logoutUrl(idToken) {
      const client = await import('openid-client');
      const cfg = await configuration();
      if (!cfg.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(cfg, {
        post_logout_redirect_uri: `${settings.publicUrl}/signed-out`,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).href;
    },
  };
}
