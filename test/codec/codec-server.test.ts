import * as http from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import { createAccessTokenVerifier } from '../../src/auth/access-token-verifier';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/principal';
import { EncryptionCodec, codecServerOptionsFromEnv, parseKeyRing, startCodecServer, type CodecServer } from '../../src/codec';
import { fromJsonPayload, toJsonPayload } from '../../src/codec/payload-json';
import { testKey } from './keys';

const UI = 'http://127.0.0.1:8233';
const codec = new EncryptionCodec(parseKeyRing(testKey('k1'), 'k1'));
/** A verifier for an issuer nobody runs: these tests never get as far as verifying a token. */
const unusedVerifier = createAccessTokenVerifier({
  issuer: 'http://127.0.0.1:9/',
  audience: 'api://lp-archive',
  allow: { users: [], groups: ['ops'] },
  claims: DEFAULT_CLAIM_NAMES,
  clockToleranceSeconds: 60,
});

async function encryptedBody() {
  const payloads = await codec.encode([defaultPayloadConverter.toPayload({ connector: 'acme', mail: 'jane@example.com' })]);
  return { payloads: payloads.map(toJsonPayload) };
}

const post = (server: CodecServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** A POST with a Host header of our choosing (fetch does not let one set it). */
function postWithHost(server: CodecServer, host: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/decode`, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('codec server with OpenID Connect access tokens (production mode)', () => {
  const lines: string[] = [];
  let server: CodecServer;
  beforeAll(async () => {
    server = await startCodecServer({ codec, verifier: unusedVerifier, port: 0, log: (l) => lines.push(l) });
  });
  afterAll(async () => server?.close());

  it('decodes nothing without a token: 401 with a Bearer challenge that says how to get one', async () => {
    const res = await post(server, '/decode', await encryptedBody(), { origin: UI });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { error: string; payloads?: unknown };
    expect(body.error).toMatch(/OpenID Connect access token/);
    expect(body.payloads).toBeUndefined();
  });

  it('has no token-in-path endpoint: a path segment before /decode is not found', async () => {
    const res = await post(server, '/some-token-value-0123456789/decode', await encryptedBody());
    expect(res.status).toBe(404);
    expect(lines.join('\n')).not.toContain('some-token-value');
  });

  it('answers the CORS preflight of the Web UI origin without a token', async () => {
    const res = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/x-namespace/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses an origin that is not the Web UI, naming the setting', async () => {
    const res = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/LPA_CODEC_CORS_ORIGINS/);
  });

  it('does not decode for a tokenless loopback caller: only the local stack may trust loopback', async () => {
    expect((await post(server, '/decode', await encryptedBody())).status).toBe(401);
  });
});

describe('codec server in the local-stack mode (loopback, no token)', () => {
  let server: CodecServer;
  beforeAll(async () => {
    server = await startCodecServer({ codec, trustLoopbackWithoutToken: true, port: 0, log: () => undefined });
  });
  afterAll(async () => server?.close());

  it('decodes for the local Web UI (loopback caller, loopback Host, allowed origin) without a token', async () => {
    const res = await post(server, '/decode', await encryptedBody(), { 'x-namespace': 'default', origin: UI });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    const { payloads } = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(payloads[0]!))).toEqual({ connector: 'acme', mail: 'jane@example.com' });
  });

  it('refuses a request naming another host (a DNS-rebinding page), and a non-bearer Authorization header', async () => {
    const body = await encryptedBody();
    const rebound = await postWithHost(server, 'attacker.example:8888', body);
    expect(rebound.status).toBe(401);
    expect(rebound.text).not.toContain('jane@example.com');
    expect((await post(server, '/decode', body, { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
  });

  it('refuses a bearer token when it has no issuer to verify it against', async () => {
    const res = await post(server, '/decode', await encryptedBody(), { authorization: 'Bearer eyJ.a.b' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/accepts no access tokens/);
  });

  it('encodes with the active key, and round-trips through /decode', async () => {
    const plain = { payloads: [toJsonPayload(defaultPayloadConverter.toPayload('signal from the UI'))] };
    const enc = (await (await post(server, '/encode', plain)).json()) as typeof plain;
    expect(Buffer.from(enc.payloads[0]!.metadata['encryption-key-id']!, 'base64').toString()).toBe('k1');
    const dec = (await (await post(server, '/decode', enc)).json()) as typeof plain;
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(dec.payloads[0]!))).toBe('signal from the UI');
  });

  it('turns bad input into a clear 4xx, never a crash', async () => {
    const notJson = await fetch(`${server.url}/decode`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const badShape = await post(server, '/decode', { payloads: [{ metadata: { encoding: 5 } }] });
    expect(badShape.status).toBe(400);
    expect(((await badShape.json()) as { error: string }).error).toMatch(/payloads\.0\.metadata\.encoding/);
    const foreign = await new EncryptionCodec(parseKeyRing(testKey('other'), 'other')).encode([defaultPayloadConverter.toPayload(1)]);
    const unknownKey = await post(server, '/decode', { payloads: foreign.map(toJsonPayload) });
    expect(unknownKey.status).toBe(422);
    expect(((await unknownKey.json()) as { error: string }).error).toMatch(/key "other"/);
    expect((await fetch(`${server.url}/decode`)).status).toBe(405);
    expect((await post(server, '/elsewhere', {})).status).toBe(404);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('cannot be bound to a network address, nor started with no way to authorise', async () => {
    await expect(startCodecServer({ codec, trustLoopbackWithoutToken: true, host: '0.0.0.0', port: 0 })).rejects.toThrow(/loopback only/);
    await expect(startCodecServer({ codec, port: 0 })).rejects.toThrow(/LPA_CODEC_OIDC_ISSUER/);
  });
});

describe('codec server settings from the environment', () => {
  const complete = {
    LPA_CODEC_KEYS: testKey('k1'),
    LPA_CODEC_OIDC_ISSUER: 'https://login.microsoftonline.com/0000/v2.0',
    LPA_CODEC_OIDC_AUDIENCE: 'api://lp-archive-codec',
    LPA_CODEC_ALLOWED_GROUPS: 'group-a, group-b',
  };
  const without = (name: keyof typeof complete) => Object.fromEntries(Object.entries(complete).filter(([k]) => k !== name));

  it('needs the keys, the issuer, the audience and an allow-list, and names each variable', () => {
    expect(() => codecServerOptionsFromEnv(without('LPA_CODEC_KEYS'))).toThrow(/LPA_CODEC_KEYS: is not set/);
    expect(() => codecServerOptionsFromEnv(without('LPA_CODEC_OIDC_ISSUER'))).toThrow(/LPA_CODEC_OIDC_ISSUER: is not set/);
    expect(() => codecServerOptionsFromEnv(without('LPA_CODEC_OIDC_AUDIENCE'))).toThrow(/LPA_CODEC_OIDC_AUDIENCE: is not set/);
    expect(() => codecServerOptionsFromEnv(without('LPA_CODEC_ALLOWED_GROUPS'))).toThrow(
      /LPA_CODEC_ALLOWED_USERS \/ LPA_CODEC_ALLOWED_GROUPS/,
    );
    expect(() => codecServerOptionsFromEnv({ ...complete, LPA_CODEC_SERVER_PORT: 'x' })).toThrow(/LPA_CODEC_SERVER_PORT/);
    expect(() => codecServerOptionsFromEnv({ ...complete, LPA_CODEC_OIDC_ISSUER: 'http://idp.example.com' })).toThrow(/must be an https/);
    expect(() => codecServerOptionsFromEnv({ ...complete, LPA_CODEC_OIDC_CLOCK_SKEW_SECONDS: '3600' })).toThrow(/0 to 300/);
  });

  it('refuses the retired shared-token settings instead of silently ignoring them', () => {
    expect(() => codecServerOptionsFromEnv({ ...complete, LPA_CODEC_SERVER_TOKEN: 'x'.repeat(32) })).toThrow(/no longer used/);
    expect(() => codecServerOptionsFromEnv({ ...complete, LPA_CODEC_SERVER_TOKEN_IN_PATH: 'true' })).toThrow(
      /LPA_CODEC_SERVER_TOKEN_IN_PATH/,
    );
  });

  it('defaults to port 8888, loopback, the local Web UI origins, a 60 s clock tolerance, and never the loopback mode', () => {
    const o = codecServerOptionsFromEnv(complete);
    expect(o).toMatchObject({ port: 8888, host: '127.0.0.1', allowedOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'] });
    expect(o.trustLoopbackWithoutToken).toBeUndefined();
    expect(o.verifier?.settings).toEqual({
      issuer: complete.LPA_CODEC_OIDC_ISSUER,
      audience: 'api://lp-archive-codec',
      allow: { users: [], groups: ['group-a', 'group-b'] },
      claims: { userClaims: ['preferred_username', 'upn', 'oid', 'sub'], groupClaims: ['groups', 'roles'] },
      clockToleranceSeconds: 60,
      jwksCooldownSeconds: 30,
    });
    const custom = codecServerOptionsFromEnv({
      ...complete,
      LPA_CODEC_CORS_ORIGINS: 'https://temporal.example.com/ , http://localhost:8080',
      LPA_CODEC_OIDC_JWKS_URL: 'https://keys.example.com/jwks',
      LPA_CODEC_OIDC_GROUP_CLAIMS: 'roles',
    });
    expect(custom.allowedOrigins).toEqual(['https://temporal.example.com', 'http://localhost:8080']);
    expect(custom.verifier?.settings.jwksUrl).toBe('https://keys.example.com/jwks');
    expect(custom.verifier?.settings.claims.groupClaims).toEqual(['roles']);
  });
});
