/**
 * Issue 23 item 4: the production codec server (`npm run codec-server`, run here as its own process) decodes
 * only for a caller whose OpenID Connect access token verifies against the issuer's published keys, names the
 * issuer and audience, has not expired (beyond a small clock skew) and whose user or group is allowed.
 * Tokens come from the dev identity provider, its code flow or its test-token endpoint.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { DEV_API_AUDIENCE, DEV_CONSOLE_CLIENT } from '../../emulators/identity/constants';
import { DEV_USERS } from '../../emulators/identity/users';
import { listeningUrl, startIdentityEmulatorProcess, startTsEntry, type EmulatorProcess } from '../../scripts/lib/emulators';
import type { ManagedProcess } from '../../scripts/lib/process';
import { EncryptionCodec, parseKeyRing } from '../../src/codec';
import { fromJsonPayload, toJsonPayload } from '../../src/codec/payload-json';
import { signInWithCodeFlow } from '../support/oidc-code-flow';
import { testKey } from './keys';

const [operator, compliance, outsider] = DEV_USERS as [(typeof DEV_USERS)[0], (typeof DEV_USERS)[0], (typeof DEV_USERS)[0]];
const REDIRECT = 'http://127.0.0.1:1/callback';
const SECRET = { connector: 'acme', note: 'refund order 4711 for jane@example.com' };

describe('codec server with OpenID Connect access tokens (npm run codec-server)', () => {
  const keys = testKey('oidc-k1');
  const codec = new EncryptionCodec(parseKeyRing(keys, 'oidc-k1'));
  const output: string[] = [];
  let idp: EmulatorProcess;
  let foreign: EmulatorProcess;
  let forger: EmulatorProcess;
  let server: ManagedProcess;
  let url: string;

  beforeAll(async () => {
    [idp, foreign] = await Promise.all([
      startIdentityEmulatorProcess({ consoleRedirectUris: [REDIRECT], log: 'silent' }),
      startIdentityEmulatorProcess({ log: 'silent' }),
    ]);
    // Poses as the real issuer, with keys of its own: a forged signature.
    forger = await startIdentityEmulatorProcess({ issuer: idp.url, log: 'silent' });
    let announced: string | undefined;
    server = await startTsEntry(
      'codec-server',
      'src/codec-server.ts',
      [],
      (line) => void output.push(line),
      (line) => (announced ??= /codec server on (http:\/\/\S+)/.exec(line)?.[1]),
      {
        LPA_CODEC_KEYS: keys,
        LPA_CODEC_SERVER_PORT: '0',
        LPA_CODEC_OIDC_ISSUER: idp.url,
        LPA_CODEC_OIDC_AUDIENCE: DEV_API_AUDIENCE,
        LPA_CODEC_ALLOWED_GROUPS: 'lp-archive-operators',
        LPA_CODEC_ALLOWED_USERS: compliance.username.toUpperCase(), // UPNs compare without case
        LPA_CODEC_OIDC_JWKS_COOLDOWN_SECONDS: '1',
      },
    );
    url = await listeningUrl(server, 'codec server', () => announced, 60_000);
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([idp?.stop(), foreign?.stop(), forger?.stop()]);
  });

  async function mint(
    from: EmulatorProcess,
    username: string,
    extra: { audience?: string; expiresInSeconds?: number; issuer?: string } = {},
  ) {
    const res = await fetch(`${from.url}/_emulator/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, ...extra }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function decode(token: string | undefined) {
    const payloads = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
    const res = await fetch(`${url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ payloads: payloads.map(toJsonPayload) }),
    });
    const text = await res.text();
    return { status: res.status, text, challenge: res.headers.get('www-authenticate') };
  }

  const decoded = (text: string) =>
    defaultPayloadConverter.fromPayload(
      fromJsonPayload((JSON.parse(text) as { payloads: Parameters<typeof fromJsonPayload>[0][] }).payloads[0]!),
    );

  it('decodes for an operator signed in with the code flow (the access token the Web UI forwards)', async () => {
    const flow = await signInWithCodeFlow(idp.url, {
      clientId: DEV_CONSOLE_CLIENT.clientId,
      clientSecret: DEV_CONSOLE_CLIENT.clientSecret,
      redirectUri: REDIRECT,
      username: operator.username,
      password: operator.password,
    });
    const r = await decode(flow.tokens!.access_token);
    expect(r.status).toBe(200);
    expect(decoded(r.text)).toEqual(SECRET);
  });

  it('decodes for a user on the user allow-list, and within the clock skew after expiry', async () => {
    expect((await decode(await mint(idp, compliance.username))).status).toBe(200);
    expect((await decode(await mint(idp, operator.username, { expiresInSeconds: -10 }))).status).toBe(200);
  });

  it('decodes nothing for a request without a token (401)', async () => {
    const r = await decode(undefined);
    expect(r.status).toBe(401);
    expect(r.challenge).toMatch(/^Bearer/);
    expect(r.text).not.toContain('4711');
    expect(r.text).not.toContain('payloads');
  });

  it("refuses an expired, a wrong-audience, a foreign-issuer, another provider's, a forged and a malformed token (401)", async () => {
    const cases: [string, string, RegExp][] = [
      ['expired', await mint(idp, operator.username, { expiresInSeconds: -120 }), /expired/],
      ['wrong audience', await mint(idp, operator.username, { audience: 'api://someone-else' }), /"aud" claim/],
      ['foreign issuer', await mint(idp, operator.username, { issuer: foreign.url }), /"iss" claim/],
      ["another provider's token", await mint(foreign, operator.username), /key the issuer does not publish/],
      ['forged signature', await mint(forger, operator.username), /key the issuer does not publish|signature/],
      ['not a JWT', 'not-a-token', /not a valid signed JWT/],
    ];
    for (const [what, token, reason] of cases) {
      const r = await decode(token);
      expect({ what, status: r.status }).toEqual({ what, status: 401 });
      expect((JSON.parse(r.text) as { error: string }).error).toMatch(reason);
      expect(r.text).not.toContain('4711');
    }
  });

  it('refuses a valid token of a user in no allowed group (403), and logs who decoded, never a token', async () => {
    const token = await mint(idp, outsider.username);
    const r = await decode(token);
    expect(r.status).toBe(403);
    expect(r.text).toMatch(/not on the allow-list/);
    expect(r.text).not.toContain('4711');
    const log = output.join('\n');
    expect(log).toContain(`decode for ${operator.username}`);
    expect(log).toMatch(/-> 403/);
    expect(log).not.toContain(token);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
  });

  it("follows a key rollover: a token signed with the provider's new key decodes, and one with the previous key still does", async () => {
    const before = await mint(idp, operator.username);
    expect((await decode(before)).status).toBe(200); // the keys are cached now
    const rotated = (await (await fetch(`${idp.url}/_emulator/rotate-keys`, { method: 'POST' })).json()) as { kid: string };
    const after = await mint(idp, operator.username);
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated.kid);
    await new Promise((r) => setTimeout(r, 1_100)); // the cooldown (1 s here) since the last fetch of the keys
    expect((await decode(after)).status).toBe(200);
    expect((await decode(before)).status).toBe(200);
  });
});
