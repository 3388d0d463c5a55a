import * as fs from 'node:fs';
import { DEFAULT_CLAIM_NAMES, listFromEnv, type AllowList, type ClaimNames } from '../auth/principal';
import { ConsoleConfigError } from './errors';

/** Environment variables of `npm run console`. */
export const CONSOLE_ENV = {
  port: 'LPA_CONSOLE_PORT',
  host: 'LPA_CONSOLE_HOST',
  publicUrl: 'LPA_CONSOLE_PUBLIC_URL',
  trustProxy: 'LPA_CONSOLE_TRUST_PROXY',
  issuer: 'LPA_CONSOLE_OIDC_ISSUER',
  clientId: 'LPA_CONSOLE_OIDC_CLIENT_ID',
  clientSecret: 'LPA_CONSOLE_OIDC_CLIENT_SECRET',
  clientSecretFile: 'LPA_CONSOLE_OIDC_CLIENT_SECRET_FILE',
  scopes: 'LPA_CONSOLE_OIDC_SCOPES',
  userClaims: 'LPA_CONSOLE_OIDC_USER_CLAIMS',
  groupClaims: 'LPA_CONSOLE_OIDC_GROUP_CLAIMS',
  operators: 'LPA_CONSOLE_OPERATORS',
  readers: 'LPA_CONSOLE_READERS',
  sessionSecret: 'LPA_CONSOLE_SESSION_SECRET',
  sessionSecretFile: 'LPA_CONSOLE_SESSION_SECRET_FILE',
  sessionHours: 'LPA_CONSOLE_SESSION_HOURS',
} as const;

export const DEFAULT_CONSOLE_PORT = 8090;

/** Everything the console needs besides Temporal and blob storage (which come from the CLI's environment). */
export interface ConsoleSettings {
  readonly port: number;
  readonly host: string;
  /** Where browsers reach the console; the redirect URI is `<publicUrl>/auth/callback`. */
  readonly publicUrl: string;
  /** Cookies are `Secure` when the public URL is https. */
  readonly secureCookies: boolean;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-* (express `trust proxy` hops). */
  readonly trustProxy: number;
  readonly oidc: {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly scopes: string;
  };
  readonly claims: ClaimNames;
  /** May act (pause, resume, run now, retry failed) and read. */
  readonly operators: AllowList;
  /** May read and download logs. */
  readonly readers: AllowList;
  readonly sessionSecret: string;
  readonly sessionMaxAgeMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function secret(env: Env, inline: string, file: string): string | undefined {
  const value = env[inline];
  if (value) return value;
  const path = env[file];
  if (!path) return undefined;
  try {
    return fs.readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ConsoleConfigError(file, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function url(name: string, value: string): URL {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return u;
  } catch {
    throw new ConsoleConfigError(name, `"${value}" is not an http(s) URL`);
  }
}

const isLoopback = (u: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** Groups, app roles or users: `group:<id>`-free, just values matched against the group and user claims. */
function allowList(value: string | undefined): AllowList {
  const entries = listFromEnv(value);
  return { users: entries, groups: entries };
}

/**
 * The console's settings from its environment.
 * @throws ConsoleConfigError naming the variable and the fix, for each missing or wrong setting (the first one)
 */
export function consoleSettingsFromEnv(env: Env = process.env): ConsoleSettings {
  const E = CONSOLE_ENV;
  const portText = env[E.port]?.trim();
  const port = portText ? Number(portText) : DEFAULT_CONSOLE_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConsoleConfigError(E.port, `"${portText}" is not a port number`);
  const host = env[E.host]?.trim() || '127.0.0.1';
  const publicUrl = (env[E.publicUrl]?.trim() || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  const pub = url(E.publicUrl, publicUrl);
  if (pub.protocol === 'http:' && !isLoopback(pub))
    throw new ConsoleConfigError(
      E.publicUrl,
      `"${publicUrl}" is plain http on a network address: serve the console over https (a TLS-terminating proxy) and set the https URL here, so session cookies are Secure`,
    );

  const issuer = env[E.issuer]?.trim();
  if (!issuer)
    throw new ConsoleConfigError(
      E.issuer,
      'is not set: the OpenID Connect issuer users sign in with, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0 (Entra ID) or the dev provider the local stack prints',
    );
  const iss = url(E.issuer, issuer);
  if (iss.protocol === 'http:' && !isLoopback(iss))
    throw new ConsoleConfigError(E.issuer, `"${issuer}" must be https (http only for a provider on this machine)`);
  const clientId = env[E.clientId]?.trim();
  if (!clientId)
    throw new ConsoleConfigError(
      E.clientId,
      "is not set: the console's application (client) id at the provider (Entra: the app registration's Application ID)",
    );
  const clientSecret = secret(env, E.clientSecret, E.clientSecretFile);
  if (!clientSecret)
    throw new ConsoleConfigError(
      E.clientSecret,
      `is not set (nor ${E.clientSecretFile}): the client secret of the console's app registration (a web app: sign-in uses the code flow with PKCE and a secret)`,
    );

  const operators = allowList(env[E.operators]);
  const readers = allowList(env[E.readers]);
  if (operators.groups.length === 0 && readers.groups.length === 0)
    throw new ConsoleConfigError(
      `${E.operators} / ${E.readers}`,
      'neither is set: list the groups, app roles or users who may act (operators) and who may read and download logs (readers), e.g. LPA_CONSOLE_OPERATORS=LpArchive.Operator LPA_CONSOLE_READERS=LpArchive.Reader',
    );

  const sessionSecret = secret(env, E.sessionSecret, E.sessionSecretFile);
  if (!sessionSecret || sessionSecret.length < 32)
    throw new ConsoleConfigError(
      E.sessionSecret,
      `${sessionSecret ? 'is shorter than 32 characters' : `is not set (nor ${E.sessionSecretFile})`}: it signs the session cookie; use a long random value (e.g. \`openssl rand -hex 32\`)`,
    );
  const hoursText = env[E.sessionHours]?.trim();
  const hours = hoursText ? Number(hoursText) : 8;
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24)
    throw new ConsoleConfigError(E.sessionHours, `"${hoursText}" is not a number of hours from 0 to 24 (default 8)`);
  const proxyText = env[E.trustProxy]?.trim();
  const trustProxy = proxyText ? Number(proxyText) : 0;
  if (!Number.isInteger(trustProxy) || trustProxy < 0)
    throw new ConsoleConfigError(E.trustProxy, `"${proxyText}" is not a number of proxy hops (0: none, 1: one reverse proxy)`);

  const userClaims = listFromEnv(env[E.userClaims]);
  const groupClaims = listFromEnv(env[E.groupClaims]);
  return {
    port,
    host,
    publicUrl,
    secureCookies: pub.protocol === 'https:',
    trustProxy,
    oidc: { issuer, clientId, clientSecret, scopes: env[E.scopes]?.trim() || 'openid profile email' },
    claims: {
      userClaims: userClaims.length > 0 ? userClaims : DEFAULT_CLAIM_NAMES.userClaims,
      groupClaims: groupClaims.length > 0 ? groupClaims : DEFAULT_CLAIM_NAMES.groupClaims,
    },
    operators,
    readers,
    sessionSecret,
    sessionMaxAgeMs: hours * 3_600_000,
  };
}
