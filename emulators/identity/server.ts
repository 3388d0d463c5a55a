import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JWK } from 'oidc-provider' with { 'resolution-mode': 'import' };
import { DEV_API_AUDIENCE } from './constants';
import { renderLoginPage } from './login-page';
import { API_SCOPE, createProvider, type DevClient } from './provider';
import { DEV_USERS, findDevUser, userClaims } from './users';

/** Options of {@link startIdentityProvider}. */
export interface IdentityProviderOptions {
  /** 0: a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Default `http://<host>:<port>`; set it to pose as another issuer (tests of a forged signature). */
  readonly issuer?: string;
  readonly clients?: readonly DevClient[];
  readonly audience?: string;
  /** Lifetime of ID and access tokens. Default 3600 s. */
  readonly tokenTtlSeconds?: number;
  readonly log?: (line: string) => void;
}

/** A running dev identity provider. */
export interface IdentityProvider {
  readonly url: string;
  readonly issuer: string;
  readonly port: number;
  readonly audience: string;
  close(): Promise<void>;
}

function newSigningKey(): { jwk: JWK; privateKey: KeyObject } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { jwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg: 'RS256', use: 'sig' }, privateKey };
}

/**
 * Starts the local stack's OpenID Connect provider (oidc-provider by panva): discovery at
 * `/.well-known/openid-configuration`, JWKS, authorization code flow with PKCE, token endpoint, RS256 ID and
 * access tokens for the seeded users ({@link DEV_USERS}). A new signing key per start: tokens of an earlier
 * run are refused, as after a key rollover.
 *
 * Besides the protocol: `POST /_emulator/token` (JSON `{username, audience?, expiresInSeconds?, issuer?}`) mints
 * an access token for a seeded user without the browser flow, for tests and for `temporal --codec-auth`;
 * `POST /_emulator/rotate-keys` rolls the signing key over (the previous key stays in the JWKS).
 */
export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const audience = options.audience ?? DEV_API_AUDIENCE;
  const ttl = options.tokenTtlSeconds ?? 3600;
  // Newest first: it signs; the previous one stays published until the next rollover.
  let keys = [newSigningKey()];

  const app = express();
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const issuer = options.issuer ?? url;
  const cookieKeys = [randomBytes(32).toString('hex')];
  const build = () =>
    createProvider({
      issuer,
      clients: options.clients ?? [],
      audience,
      signingKeys: keys.map((k) => k.jwk),
      cookieKeys,
      accessTokenTtlSeconds: ttl,
    });
  let provider = await build();
  let handler = provider.callback();
  const jose = await import('jose');

  app.disable('x-powered-by');
  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      res.type('html').send(
        renderLoginPage({
          action: `/interaction/${details.uid}`,
          abortUrl: `/interaction/${details.uid}/abort`,
          clientId: String(details.params.client_id),
          users: DEV_USERS,
        }),
      );
    } catch (err) {
      next(err);
    }
  });
  app.post('/interaction/:uid', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const body = req.body as { username?: string; password?: string };
      const user = findDevUser(body.username ?? '');
      if (!user || user.password !== body.password) {
        log(`sign-in refused for "${body.username ?? ''}"`);
        res
          .status(401)
          .type('html')
          .send(
            renderLoginPage({
              action: `/interaction/${details.uid}`,
              abortUrl: `/interaction/${details.uid}/abort`,
              clientId: String(details.params.client_id),
              users: DEV_USERS,
              error: 'Unknown user name or wrong password: use one of the accounts listed below.',
              username: body.username ?? '',
            }),
          );
        return;
      }
      log(`signed in ${user.username} for ${String(details.params.client_id)}`);
      await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
    } catch (err) {
      next(err);
    }
  });
  app.get('/interaction/:uid/abort', async (req, res, next) => {
    try {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled sign-in' });
    } catch (err) {
      next(err);
    }
  });
  app.post('/_emulator/token', express.json({ limit: '8kb' }), async (req, res, next) => {
    try {
      const body = req.body as { username?: string; audience?: string; expiresInSeconds?: number; issuer?: string };
      const user = findDevUser(String(body.username ?? ''));
      if (!user) {
        res.status(404).json({ error: `no seeded user "${String(body.username)}"; known: ${DEV_USERS.map((u) => u.username).join(', ')}` });
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = typeof body.expiresInSeconds === 'number' ? body.expiresInSeconds : ttl;
      const token = await new jose.SignJWT({ ...userClaims(user), scope: API_SCOPE, client_id: 'dev-token' })
        .setProtectedHeader({ alg: 'RS256', kid: keys[0]!.jwk.kid!, typ: 'at+jwt' })
        .setIssuer(body.issuer ?? issuer)
        .setAudience(body.audience ?? audience)
        .setSubject(user.sub)
        .setIssuedAt(Math.min(now, now + expiresIn))
        .setExpirationTime(now + expiresIn)
        .setJti(randomUUID())
        .sign(keys[0]!.privateKey);
      res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
    } catch (err) {
      next(err);
    }
  });
  // A key rollover: a new signing key, the previous one still published (sessions of the old provider end).
  app.post('/_emulator/rotate-keys', async (_req, res, next) => {
    try {
      keys = [newSigningKey(), keys[0]!];
      provider = await build();
      handler = provider.callback();
      log(`rotated signing keys: now ${keys[0]!.jwk.kid!}`);
      res.json({ kid: keys[0]!.jwk.kid, published: keys.map((k) => k.jwk.kid) });
    } catch (err) {
      next(err);
    }
  });
  app.use((req, res) => void handler(req, res));

  return {
    url,
    issuer,
    port,
    audience,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
