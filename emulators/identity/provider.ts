import type { Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider' with { 'resolution-mode': 'import' };
import type Provider from 'oidc-provider' with { 'resolution-mode': 'import' };
import { devUserBySub, userClaims } from './users';

/** A relying party registered at the dev identity provider. */
export interface DevClient {
  readonly clientId: string;
  /** Confidential clients (the console) authenticate at the token endpoint; absent: a public client (PKCE only). */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
}

/** What {@link createProvider} needs. */
export interface ProviderSettings {
  readonly issuer: string;
  readonly clients: readonly DevClient[];
  /** `aud` of every access token (the API: the codec server, the console). */
  readonly audience: string;
  /** Private RS256 signing keys (JWK with `kid`): the first signs, the others are published for rollover. */
  readonly signingKeys: readonly JWK[];
  readonly cookieKeys: readonly string[];
  readonly accessTokenTtlSeconds: number;
}

/** The scopes the dev provider serves; `groups` adds the `groups` and `roles` claims. */
export const DEV_SCOPES = ['openid', 'profile', 'email', 'groups'] as const;
/** The API scope of access tokens (Entra: an exposed scope such as `api://lp-archive/access`). */
export const API_SCOPE = 'access';

/**
 * The oidc-provider configuration of the dev identity provider: authorization code flow with PKCE (required
 * for every client), RS256 ID tokens carrying the user's claims, and RS256 JWT access tokens for one API
 * audience (resource indicators) carrying `preferred_username`, `groups` and `roles` as Entra's do.
 * Consent is implicit (every client is first-party), so the only interaction is the login form.
 */
export function providerConfiguration(s: ProviderSettings): Configuration {
  return {
    clients: s.clients.map((c) => ({
      client_id: c.clientId,
      // client_secret_post: what the console sends (Entra takes both; post avoids Basic's encoding pitfalls).
      ...(c.clientSecret !== undefined
        ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_post' }
        : { token_endpoint_auth_method: 'none' }),
      redirect_uris: [...c.redirectUris],
      post_logout_redirect_uris: [...(c.postLogoutRedirectUris ?? [])],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [...s.signingKeys] },
    cookies: { keys: [...s.cookieKeys] },
    pkce: { required: () => true },
    scopes: [...DEV_SCOPES, API_SCOPE],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups', 'roles'],
    },
    // The claims go into the ID token too (the console reads roles from it, as from Entra's ID token).
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: s.accessTokenTtlSeconds,
      IdToken: s.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => s.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== s.audience) throw new Error(`unknown resource ${resource}`);
          return {
            scope: API_SCOPE,
            audience: s.audience,
            accessTokenTTL: s.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const user = accountId ? devUserBySub(accountId) : undefined;
      if (!user) return undefined;
      const { sub: _sub, ...claims } = userClaims(user);
      return claims;
    },
    findAccount: (_ctx, sub) => {
      const user = devUserBySub(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => userClaims(user) as { sub: string } };
    },
    // First-party clients: grant what was asked (openid scopes, the API scope) without a consent screen.
    loadExistingGrant: async (ctx) => {
      const { client, session, params, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const requested = (typeof params?.scope === 'string' ? params.scope : 'openid').split(' ');
      grant.addOIDCScope(requested.filter((sc) => (DEV_SCOPES as readonly string[]).includes(sc)).join(' '));
      grant.addResourceScope(s.audience, API_SCOPE);
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}

/** oidc-provider is an ES module: loaded on demand from this CommonJS project. */
export async function createProvider(s: ProviderSettings): Promise<Provider> {
  const { default: ProviderClass } = await import('oidc-provider');
  const provider = new ProviderClass(s.issuer, providerConfiguration(s));
  // The dev provider runs on http://127.0.0.1; a proxy in front would set X-Forwarded-Proto.
  provider.proxy = true;
  return provider;
}
