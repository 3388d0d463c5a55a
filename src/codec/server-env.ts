import { DEFAULT_CLAIM_NAMES, listFromEnv } from '../auth/principal';
import { createAccessTokenVerifier, type AccessTokenSettings } from '../auth/access-token-verifier';
import { EncryptionCodec } from './encryption-codec';
import { CodecConfigError } from './errors';
import { CODEC_ENV, keyRingFromEnv } from './key-ring';
import { DEFAULT_CODEC_SERVER_PORT, DEFAULT_UI_ORIGINS, type CodecServerOptions } from './server';

/** Environment variables of `npm run codec-server` (besides the key variables of key-ring.ts). */
export const CODEC_SERVER_ENV = {
  port: 'LPA_CODEC_SERVER_PORT',
  host: 'LPA_CODEC_SERVER_HOST',
  origins: 'LPA_CODEC_CORS_ORIGINS',
  issuer: 'LPA_CODEC_OIDC_ISSUER',
  audience: 'LPA_CODEC_OIDC_AUDIENCE',
  jwksUrl: 'LPA_CODEC_OIDC_JWKS_URL',
  jwksCooldown: 'LPA_CODEC_OIDC_JWKS_COOLDOWN_SECONDS',
  clockSkew: 'LPA_CODEC_OIDC_CLOCK_SKEW_SECONDS',
  userClaims: 'LPA_CODEC_OIDC_USER_CLAIMS',
  groupClaims: 'LPA_CODEC_OIDC_GROUP_CLAIMS',
  allowedUsers: 'LPA_CODEC_ALLOWED_USERS',
  allowedGroups: 'LPA_CODEC_ALLOWED_GROUPS',
} as const;

/** Variables of the shared-token codec server that came before OIDC: refused so nobody thinks they still protect it. */
const RETIRED = ['LPA_CODEC_SERVER_TOKEN', 'LPA_CODEC_SERVER_TOKEN_FILE', 'LPA_CODEC_SERVER_TOKEN_IN_PATH'] as const;

type Env = Readonly<Record<string, string | undefined>>;

function httpsUrl(name: string, value: string, allowLoopbackHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CodecConfigError(name, `"${value}" is not a URL; e.g. https://login.microsoftonline.com/<tenant-id>/v2.0`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(allowLoopbackHttp && url.protocol === 'http:' && loopback))
    throw new CodecConfigError(name, `"${value}" must be an https:// URL (http:// only for a provider on this machine)`);
  return value;
}

/**
 * The OpenID Connect settings of the codec server from its environment: issuer, audience, allow-list, and
 * optionally a JWKS URL, the claims that name users and groups, and the clock tolerance.
 * @throws CodecConfigError naming the variable and the fix
 */
export function accessTokenSettingsFromEnv(env: Env = process.env): AccessTokenSettings {
  const E = CODEC_SERVER_ENV;
  const issuer = env[E.issuer]?.trim();
  if (!issuer)
    throw new CodecConfigError(
      E.issuer,
      'is not set: the codec server decodes only for callers with an access token from this OpenID Connect issuer; e.g. https://login.microsoftonline.com/<tenant-id>/v2.0 (Entra ID), or the issuer the local stack prints',
    );
  httpsUrl(E.issuer, issuer, true);
  const audience = env[E.audience]?.trim();
  if (!audience)
    throw new CodecConfigError(
      E.audience,
      "is not set: the access tokens' aud, e.g. api://lp-archive-codec (the Application ID URI of the API app registration the Web UI asks a token for)",
    );
  const jwksUrl = env[E.jwksUrl]?.trim() || undefined;
  if (jwksUrl) httpsUrl(E.jwksUrl, jwksUrl, true);
  const users = listFromEnv(env[E.allowedUsers]);
  const groups = listFromEnv(env[E.allowedGroups]);
  if (users.length === 0 && groups.length === 0)
    throw new CodecConfigError(
      `${E.allowedUsers} / ${E.allowedGroups}`,
      'neither is set: list who may read decrypted history, e.g. LPA_CODEC_ALLOWED_GROUPS=<Entra group object id or app role>, or LPA_CODEC_ALLOWED_USERS=alice@contoso.com',
    );
  const skewText = env[E.clockSkew]?.trim();
  const skew = skewText ? Number(skewText) : 60;
  if (!Number.isInteger(skew) || skew < 0 || skew > 300)
    throw new CodecConfigError(E.clockSkew, `"${skewText}" is not a whole number of seconds from 0 to 300 (default 60)`);
  const cooldownText = env[E.jwksCooldown]?.trim();
  const cooldown = cooldownText ? Number(cooldownText) : 30;
  if (!Number.isInteger(cooldown) || cooldown < 0 || cooldown > 600)
    throw new CodecConfigError(E.jwksCooldown, `"${cooldownText}" is not a whole number of seconds from 0 to 600 (default 30)`);
  const userClaims = listFromEnv(env[E.userClaims]);
  const groupClaims = listFromEnv(env[E.groupClaims]);
  return {
    issuer,
    audience,
    ...(jwksUrl ? { jwksUrl } : {}),
    allow: { users, groups },
    claims: {
      userClaims: userClaims.length > 0 ? userClaims : DEFAULT_CLAIM_NAMES.userClaims,
      groupClaims: groupClaims.length > 0 ? groupClaims : DEFAULT_CLAIM_NAMES.groupClaims,
    },
    clockToleranceSeconds: skew,
    jwksCooldownSeconds: cooldown,
  };
}

/**
 * Options of the codec server from its environment: the keys (required: a codec server without keys
 * decodes nothing), the OpenID Connect settings (required: no request is decoded without a verified
 * access token), port, host, allowed Web UI origins. There is no setting for the local stack's tokenless
 * mode: only `scripts/lib/stack.ts` turns it on, in code.
 * @throws CodecConfigError naming the variable and the fix
 */
export function codecServerOptionsFromEnv(env: Env = process.env): CodecServerOptions {
  for (const name of RETIRED) {
    if (env[name] !== undefined)
      throw new CodecConfigError(
        name,
        'is no longer used: the codec server now verifies the OpenID Connect access token the Web UI forwards; remove it and set LPA_CODEC_OIDC_ISSUER, LPA_CODEC_OIDC_AUDIENCE and LPA_CODEC_ALLOWED_GROUPS (see the README, Security)',
      );
  }
  const ring = keyRingFromEnv(env);
  if (!ring)
    throw new CodecConfigError(
      CODEC_ENV.keys,
      `is not set (nor ${CODEC_ENV.keysFile}): give the codec server the same keys as the workers`,
    );
  const portText = env[CODEC_SERVER_ENV.port];
  const port = portText === undefined || portText === '' ? DEFAULT_CODEC_SERVER_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CodecConfigError(CODEC_SERVER_ENV.port, `"${portText}" is not a port number`);
  const origins = env[CODEC_SERVER_ENV.origins]
    ?.split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o !== '');
  return {
    codec: new EncryptionCodec(ring),
    verifier: createAccessTokenVerifier(accessTokenSettingsFromEnv(env)),
    port,
    host: env[CODEC_SERVER_ENV.host] || '127.0.0.1',
    allowedOrigins: origins && origins.length > 0 ? origins : DEFAULT_UI_ORIGINS,
  };
}
