/**
 * The local stack's dev identity provider (emulators/identity, oidc-provider): a real OpenID Connect
 * provider that the console signs in with and whose access tokens the codec server verifies.
 */
import { startIdentityEmulatorProcess, type EmulatorProcess } from '../../scripts/lib/emulators';
import { DEV_API_AUDIENCE, DEV_CONSOLE_CLIENT } from '../../emulators/identity/constants';
import { DEV_USERS } from '../../emulators/identity/users';
import { signInWithCodeFlow, verifyWithJwks } from '../support/oidc-code-flow';

const REDIRECT = 'http://127.0.0.1:1/auth/callback';
const operator = DEV_USERS[0]!;
const outsider = DEV_USERS[2]!;

describe('dev identity provider', () => {
  let idp: EmulatorProcess;
  beforeAll(async () => {
    idp = await startIdentityEmulatorProcess({ consoleRedirectUris: [REDIRECT], log: 'silent' });
  });
  afterAll(async () => idp?.stop());

  const client = { clientId: DEV_CONSOLE_CLIENT.clientId, clientSecret: DEV_CONSOLE_CLIENT.clientSecret, redirectUri: REDIRECT };

  it('publishes a discovery document and RS256 keys', async () => {
    const doc = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(idp.url);
    expect(doc.authorization_endpoint).toBe(`${idp.url}/auth`);
    expect(doc.token_endpoint).toBe(`${idp.url}/token`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['sub', 'preferred_username', 'groups', 'roles']));
    const { keys } = (await (await fetch(String(doc.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d'); // the public half only
  });

  it('signs a user in with the code flow and PKCE: signed ID and access tokens with the identity claims', async () => {
    const started = Math.floor(Date.now() / 1000);
    const r = await signInWithCodeFlow(idp.url, { ...client, username: operator.username, password: operator.password });
    expect(r.error).toBeUndefined();
    const id = await verifyWithJwks(r.tokens!.id_token, `${idp.url}/jwks`);
    expect(id.header.alg).toBe('RS256');
    expect(id.claims).toMatchObject({
      iss: idp.url,
      aud: DEV_CONSOLE_CLIENT.clientId,
      sub: operator.sub,
      preferred_username: operator.username,
      groups: [...operator.groups],
      roles: [...operator.roles],
    });
    expect(id.claims.exp as number).toBeGreaterThan(started);
    const access = await verifyWithJwks(r.tokens!.access_token, `${idp.url}/jwks`);
    expect(access.header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(access.claims).toMatchObject({
      iss: idp.url,
      aud: DEV_API_AUDIENCE,
      sub: operator.sub,
      preferred_username: operator.username,
      groups: [...operator.groups],
    });
  });

  it('refuses a wrong password, and a code flow without PKCE', async () => {
    const wrong = await signInWithCodeFlow(idp.url, { ...client, username: outsider.username, password: 'not-it' });
    expect(wrong.loginStatus).toBe(401);
    expect(wrong.tokens).toBeUndefined();
    const noPkce = await signInWithCodeFlow(idp.url, {
      ...client,
      username: operator.username,
      password: operator.password,
      withoutPkce: true,
    });
    expect(noPkce.tokens).toBeUndefined();
    expect(noPkce.error).toMatch(/invalid_request.*requires PKCE/i);
  });

  it('refuses a redirect URI that is not registered', async () => {
    const r = await signInWithCodeFlow(idp.url, {
      ...client,
      redirectUri: 'http://127.0.0.1:2/elsewhere',
      username: operator.username,
      password: operator.password,
    });
    expect(r.tokens).toBeUndefined();
    expect(r.error).toMatch(/redirect_uri/);
  });

  it('mints a test access token for a seeded user with the chosen lifetime and audience', async () => {
    const res = await fetch(`${idp.url}/_emulator/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: outsider.username, audience: 'api://other', expiresInSeconds: -60 }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const { claims } = await verifyWithJwks(access_token, `${idp.url}/jwks`);
    expect(claims).toMatchObject({ iss: idp.url, aud: 'api://other', sub: outsider.sub, groups: [...outsider.groups] });
    expect(claims.exp as number).toBeLessThan(Date.now() / 1000);
    const unknown = await fetch(`${idp.url}/_emulator/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mallory@contoso.example' }),
    });
    expect(unknown.status).toBe(404);
  });
});
