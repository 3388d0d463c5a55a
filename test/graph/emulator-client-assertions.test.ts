import { createHash, X509Certificate } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { GraphEmulator } from '../../emulators/graph/server';
import { makeCertificate, type TestCertificate } from '../support/test-certificates';
import { emulatorScope, startEmulator, TENANT_ID } from './helpers';

/**
 * The emulator's token endpoint checks a certificate client assertion as Entra ID does (signature against the
 * registered certificate named by x5t / x5t#S256, aud = token endpoint, iss = sub = client id, nbf/exp) and
 * answers MSAL's tenant discovery. Raw HTTP, with assertions made here, so each rule is seen on its own.
 */
describe('Graph emulator: client assertions and tenant discovery (raw HTTP)', () => {
  let emu: GraphEmulator;
  let cert: TestCertificate;
  let expiredCert: TestCertificate;
  let tokenEndpoint: string;

  beforeAll(async () => {
    cert = makeCertificate();
    expiredCert = makeCertificate({ notBefore: new Date(Date.now() - 90 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    emu = await startEmulator({ clientCertificates: [cert.certPem, expiredCert.certPem] });
    tokenEndpoint = `${emu.url}/${TENANT_ID}/oauth2/v2.0/token`;
  });
  afterAll(async () => emu.close());

  const thumb = (c: TestCertificate, alg: 'sha1' | 'sha256'): string =>
    createHash(alg).update(new X509Certificate(c.certPem).raw).digest('base64url');
  const assertion = (
    o: { claims?: Record<string, unknown>; signer?: TestCertificate; header?: Record<string, string>; algorithm?: jwt.Algorithm } = {},
  ): string =>
    jwt.sign({ aud: tokenEndpoint, iss: emu.clientId, sub: emu.clientId, jti: 'j1', ...o.claims }, (o.signer ?? cert).keyPem, {
      algorithm: o.algorithm ?? 'PS256',
      header: { alg: o.algorithm ?? 'PS256', 'x5t#S256': thumb(cert, 'sha256'), ...o.header },
      ...(o.claims && 'exp' in o.claims ? {} : { expiresIn: '10m' }),
      ...(o.claims && 'nbf' in o.claims ? {} : { notBefore: 0 }),
    });
  const post = async (
    clientAssertion: string,
    extra: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: emu.clientId,
        grant_type: 'client_credentials',
        scope: emulatorScope(emu),
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
        ...extra,
      }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const code = (r: { body: Record<string, unknown> }): unknown => (r.body.error_codes as number[] | undefined)?.[0];

  it('issues a token for an assertion signed with the registered certificate (PS256 + x5t#S256, RS256 + x5t)', async () => {
    const ps = await post(assertion());
    expect(ps.status).toBe(200);
    expect(typeof ps.body.access_token).toBe('string');
    const rs = await post(assertion({ algorithm: 'RS256', header: { 'x5t#S256': '', x5t: thumb(cert, 'sha1') } }));
    expect(rs.status).toBe(200);
  });

  it('refuses a bad signature, an unknown thumbprint and an expired registered certificate with AADSTS700027', async () => {
    const forged = await post(assertion({ signer: makeCertificate() }));
    expect([forged.status, code(forged)]).toEqual([401, 700027]);
    expect(forged.body.error_description).toMatch(/failed signature validation/);
    const stranger = makeCertificate();
    const unknown = await post(assertion({ signer: stranger, header: { 'x5t#S256': thumb(stranger, 'sha256') } }));
    expect([unknown.status, code(unknown)]).toEqual([401, 700027]);
    expect(unknown.body.error_description).toMatch(/not registered on application/);
    const expired = await post(assertion({ signer: expiredCert, header: { 'x5t#S256': thumb(expiredCert, 'sha256') } }));
    expect(code(expired)).toBe(700027);
    expect(expired.body.error_description).toMatch(/is expired on application/);
  });

  it('refuses an assertion outside its time window with AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await post(assertion({ claims: { nbf: now - 7200, exp: now - 3600 } }));
    expect([stale.status, code(stale)]).toEqual([400, 700024]);
    const future = await post(assertion({ claims: { nbf: now + 3600, exp: now + 7200 } }));
    expect(code(future)).toBe(700024);
  });

  it('refuses a wrong audience, an issuer or subject other than the client, and an unknown client', async () => {
    expect(code(await post(assertion({ claims: { aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' } })))).toBe(50013);
    expect(code(await post(assertion({ claims: { sub: 'someone-else' } })))).toBe(700021);
    const unknownClient = await post(assertion(), { client_id: 'no-such-app' });
    expect([unknownClient.status, unknownClient.body.error, code(unknownClient)]).toEqual([400, 'unauthorized_client', 700016]);
  });

  it('serves the tenant discovery document MSAL reads, with this token endpoint', async () => {
    const r = await fetch(`${emu.url}/${TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    const doc = (await r.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      token_endpoint: tokenEndpoint,
      issuer: `${emu.url}/${TENANT_ID}/v2.0`,
      authorization_endpoint: `${emu.url}/${TENANT_ID}/oauth2/v2.0/authorize`,
      jwks_uri: `${emu.url}/${TENANT_ID}/discovery/v2.0/keys`,
    });
  });
});
