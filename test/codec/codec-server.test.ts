import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, codecServerOptionsFromEnv, parseKeyRing, startCodecServer, type CodecServer } from '../../src/codec';
import { fromJsonPayload, toJsonPayload } from '../../src/codec/payload-json';
import { testKey } from './keys';

const TOKEN = 'test-codec-token-0123456789';
const UI = 'http://127.0.0.1:8233';

describe('codec server over HTTP (what the Web UI and `temporal --codec-endpoint` call)', () => {
  const codec = new EncryptionCodec(parseKeyRing(testKey('k1'), 'k1'));
  const lines: string[] = [];
  let server: CodecServer;

  beforeAll(async () => {
    server = await startCodecServer({ codec, token: TOKEN, port: 0, tokenInPath: true, log: (l) => lines.push(l) });
  });
  afterAll(async () => server?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  async function encryptedBody() {
    const payloads = await codec.encode([defaultPayloadConverter.toPayload({ connector: 'acme', mail: 'jane@example.com' })]);
    return { payloads: payloads.map(toJsonPayload) };
  }

  it('refuses /decode without a token, or with a wrong one (401, WWW-Authenticate)', async () => {
    const body = await encryptedBody();
    const none = await post('/decode', body);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: string }).error).toMatch(/Authorization: Bearer/);
    expect((await post('/decode', body, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await post('/wrong-token-in-path/decode', body)).status).toBe(401);
    expect(lines.join('\n')).not.toContain('wrong-token');
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

  it('decodes an encoded payload for a caller with the bearer token, as the UI sends it (X-Namespace, Origin)', async () => {
    const res = await post('/decode', await encryptedBody(), { authorization: `Bearer ${TOKEN}`, 'x-namespace': 'default', origin: UI });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    const { payloads } = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(payloads[0]!))).toEqual({ connector: 'acme', mail: 'jane@example.com' });
  });

  it('takes the token as a path segment for the local Web UI (which sends no bearer token without OIDC), with or without a double slash', async () => {
    expect(server.uiEndpoint).toBe(`${server.url}/${TOKEN}/`);
    const body = await encryptedBody();
    for (const url of [new URL('decode', server.uiEndpoint).href, `${server.uiEndpoint}/decode?preserveStorageRefs=true`]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: UI },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
  });

  it('encodes with the active key, and round-trips through /decode', async () => {
    const plain = { payloads: [toJsonPayload(defaultPayloadConverter.toPayload('signal from the UI'))] };
    const enc = (await (await post('/encode', plain, { authorization: `Bearer ${TOKEN}` })).json()) as typeof plain;
    expect(Buffer.from(enc.payloads[0]!.metadata['encryption-key-id']!, 'base64').toString()).toBe('k1');
    const dec = (await (await post('/decode', enc, { authorization: `Bearer ${TOKEN}` })).json()) as typeof plain;
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(dec.payloads[0]!))).toBe('signal from the UI');
  });

  it('turns bad input into a clear 4xx, never a crash', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const notJson = await fetch(`${server.url}/decode`, { method: 'POST', headers: auth, body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const badShape = await post('/decode', { payloads: [{ metadata: { encoding: 5 } }] }, auth);
    expect(badShape.status).toBe(400);
    expect(((await badShape.json()) as { error: string }).error).toMatch(/payloads\.0\.metadata\.encoding/);
    const foreign = await new EncryptionCodec(parseKeyRing(testKey('other'), 'other')).encode([defaultPayloadConverter.toPayload(1)]);
    const unknownKey = await post('/decode', { payloads: foreign.map(toJsonPayload) }, auth);
    expect(unknownKey.status).toBe(422);
    expect(((await unknownKey.json()) as { error: string }).error).toMatch(/key "other"/);
    expect((await fetch(`${server.url}/decode`, { headers: auth })).status).toBe(405);
    expect((await post('/elsewhere', {}, auth)).status).toBe(404);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('codec server settings from the environment', () => {
  it('needs the keys and a long token, and names the variable', () => {
    expect(() => codecServerOptionsFromEnv({ LPA_CODEC_SERVER_TOKEN: TOKEN })).toThrow(/LPA_CODEC_KEYS: is not set/);
    expect(() => codecServerOptionsFromEnv({ LPA_CODEC_KEYS: testKey('k1') })).toThrow(/LPA_CODEC_SERVER_TOKEN: is not set/);
    expect(() => codecServerOptionsFromEnv({ LPA_CODEC_KEYS: testKey('k1'), LPA_CODEC_SERVER_TOKEN: 'short' })).toThrow(/shorter than 16/);
    expect(() =>
      codecServerOptionsFromEnv({ LPA_CODEC_KEYS: testKey('k1'), LPA_CODEC_SERVER_TOKEN: TOKEN, LPA_CODEC_SERVER_PORT: 'x' }),
    ).toThrow(/LPA_CODEC_SERVER_PORT/);
  });

  it('defaults to port 8888, loopback, the local Web UI origins and no token in the path', () => {
    const o = codecServerOptionsFromEnv({ LPA_CODEC_KEYS: testKey('k1'), LPA_CODEC_SERVER_TOKEN: TOKEN });
    expect(o).toMatchObject({
      port: 8888,
      host: '127.0.0.1',
      allowedOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'],
      tokenInPath: false,
    });
    const custom = codecServerOptionsFromEnv({
      LPA_CODEC_KEYS: testKey('k1'),
      LPA_CODEC_SERVER_TOKEN: TOKEN,
      LPA_CODEC_CORS_ORIGINS: 'https://temporal.example.com/ , http://localhost:8080',
    });
    expect(custom.allowedOrigins).toEqual(['https://temporal.example.com', 'http://localhost:8080']);
  });
});
