import * as fs from 'node:fs';
import * as path from 'node:path';
import jwt from 'jsonwebtoken';
import type { GraphEmulator } from '../../emulators/graph/server';
import { graphAuthFromEnv } from '../../src/config/secrets';
import { GraphMailClient } from '../../src/graph/client';
import { GraphConfigError } from '../../src/graph/errors';
import { makeCertificate, tempDir, type TestCertificate } from '../support/test-certificates';
import { mailboxUser, startEmulator, stats, TENANT_ID } from './helpers';

/**
 * Every Graph credential kind signs in through @azure/identity against the emulator over HTTPS, chosen by the
 * variables set for the connector's credentialsRef; bad certificates and tokens fail with the fix.
 */
describe('Graph credentials through @azure/identity', () => {
  const REF = 'GRAPH_CRED';
  const ISSUER = 'https://oidc.cluster.test/issuer';
  const SUBJECT = 'system:serviceaccount:lp-archive:worker';
  let emu: GraphEmulator;
  let dir: string;
  let registered: TestCertificate;
  let expired: TestCertificate;
  let issuerKey: TestCertificate;

  beforeAll(async () => {
    dir = tempDir();
    registered = makeCertificate({ commonName: 'lp-archive app' });
    expired = makeCertificate({ notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    issuerKey = makeCertificate({ commonName: 'cluster OIDC issuer' });
    emu = await startEmulator({
      clientCertificates: [registered.certPem, expired.certPem],
      federatedCredentials: [{ issuer: ISSUER, subject: SUBJECT, signingKey: issuerKey.certPem }],
      managedIdentity: { identityHeader: 'test-identity-header', userAssignedClientIds: ['mi-client-1'] },
    });
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, content: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  /** A client for the connector whose credentials are these variables (after `<REF>_`). */
  const clientWith = (vars: Record<string, string>): GraphMailClient => {
    const env = Object.fromEntries(Object.entries({ TENANT_ID, CLIENT_ID: emu.clientId, ...vars }).map(([k, v]) => [`${REF}_${k}`, v]));
    return new GraphMailClient({
      baseUrl: emu.graphBaseUrl,
      authorityHost: emu.url,
      trustedAuthority: true,
      auth: graphAuthFromEnv(REF, env),
      tuning: { maxRetries: 0 },
    });
  };
  const signsIn = async (client: GraphMailClient): Promise<void> => {
    const before = (await stats(emu)).tokensIssued;
    await expect(client.probeMailbox(mailboxUser(emu, 0).id)).resolves.toBe('ok');
    expect((await stats(emu)).tokensIssued).toBe(before + 1);
  };
  const failure = (client: GraphMailClient): Promise<GraphConfigError> =>
    client.probeMailbox(mailboxUser(emu, 0).id).then(
      () => {
        throw new Error('sign-in succeeded');
      },
      (err: unknown) => {
        expect(err).toBeInstanceOf(GraphConfigError);
        return err as GraphConfigError;
      },
    );
  const federatedToken = (claims: Record<string, unknown>, key = issuerKey.keyPem): string =>
    jwt.sign({ iss: ISSUER, sub: SUBJECT, aud: 'api://AzureADTokenExchange', ...claims }, key, { algorithm: 'RS256', expiresIn: '1h' });

  it('signs in with a client secret', async () => {
    await signsIn(clientWith({ CLIENT_SECRET: emu.clientSecret }));
  });

  it('signs in with the registered certificate as one PEM file (certificate and key)', async () => {
    await signsIn(clientWith({ CLIENT_CERTIFICATE_PATH: file('app.pem', registered.combinedPem) }));
  });

  it('signs in with the registered certificate as a password-protected PFX', async () => {
    const pfx = file('app.pfx', registered.pfx('s3cret-pfx'));
    await signsIn(clientWith({ CLIENT_CERTIFICATE_PATH: pfx, CLIENT_CERTIFICATE_PASSWORD: 's3cret-pfx' }));
  });

  it('a PFX with the wrong password names the password variable to fix', async () => {
    const pfx = file('wrong-password.pfx', registered.pfx('s3cret-pfx'));
    const err = await failure(clientWith({ CLIENT_CERTIFICATE_PATH: pfx, CLIENT_CERTIFICATE_PASSWORD: 'not-it' }));
    expect(err.code).toBe('CertificateUnreadable');
    expect(err.fix).toContain(`${REF}_CLIENT_CERTIFICATE_PASSWORD`);
  });

  it('a certificate the app registration does not know is refused with AADSTS700027 and the fix', async () => {
    const stranger = makeCertificate({ commonName: 'not registered' });
    const refusedBefore = (await stats(emu)).tokensRefused;
    const err = await failure(clientWith({ CLIENT_CERTIFICATE_PATH: file('stranger.pem', stranger.combinedPem) }));
    expect(err.code).toBe('AADSTS700027');
    expect(err.message).toMatch(/not registered on application/);
    expect(err.fix).toMatch(new RegExp(`upload the certificate in ${REF}_CLIENT_CERTIFICATE_PATH to the app registration`));
    expect((await stats(emu)).tokensRefused).toBe(refusedBefore + 1);
  });

  it('an expired certificate is refused before sign-in, with its expiry date and what to do', async () => {
    const refusedBefore = (await stats(emu)).tokensRefused;
    const err = await failure(clientWith({ CLIENT_CERTIFICATE_PATH: file('expired.pem', expired.combinedPem) }));
    expect(err.code).toBe('CertificateExpired');
    expect(err.message).toMatch(/expired on \d{4}-\d\d-\d\d/);
    expect(err.fix).toMatch(new RegExp(`upload it to the app registration.*${REF}_CLIENT_CERTIFICATE_PATH`));
    // Nothing was sent to Entra with it.
    expect((await stats(emu)).tokensRefused).toBe(refusedBefore);
  });

  it('signs in with workload identity federation: a federated token file from a trusted issuer', async () => {
    await signsIn(clientWith({ FEDERATED_TOKEN_FILE: file('federated.jwt', federatedToken({})) }));
  });

  it('refuses a federated token from an issuer the app does not trust, naming the federated credential to add', async () => {
    const foreign = federatedToken({ iss: 'https://elsewhere.test' });
    const err = await failure(clientWith({ FEDERATED_TOKEN_FILE: file('foreign.jwt', foreign) }));
    expect(err.code).toBe('AADSTS70021');
    expect(err.fix).toMatch(/add a federated credential/);
  });

  it('refuses an expired federated token: the platform must refresh the file', async () => {
    const stale = jwt.sign(
      { iss: ISSUER, sub: SUBJECT, aud: 'api://AzureADTokenExchange', exp: Math.floor(Date.now() / 1000) - 3600 },
      issuerKey.keyPem,
      { algorithm: 'RS256' },
    );
    const err = await failure(clientWith({ FEDERATED_TOKEN_FILE: file('stale.jwt', stale) }));
    expect(err.code).toBe('AADSTS700024');
    expect(err.fix).toContain(`${REF}_FEDERATED_TOKEN_FILE`);
  });

  it('refuses a federated token signed by a key the issuer does not use (AADSTS700027)', async () => {
    const forged = federatedToken({}, makeCertificate().keyPem);
    const err = await failure(clientWith({ FEDERATED_TOKEN_FILE: file('forged.jwt', forged) }));
    expect(err.code).toBe('AADSTS700027');
  });

  describe('managed identity (the App Service identity endpoint)', () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    beforeAll(() => {
      process.env.IDENTITY_ENDPOINT = `${emu.url}/msi/token`;
      process.env.IDENTITY_HEADER = 'test-identity-header';
    });
    afterAll(() => {
      for (const [k, v] of [
        ['IDENTITY_ENDPOINT', saved.endpoint],
        ['IDENTITY_HEADER', saved.header],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it('signs in as the system-assigned identity', async () => {
      await signsIn(clientWith({ MANAGED_IDENTITY: 'system' }));
    });

    it('signs in as a user-assigned identity, named by its client id', async () => {
      await signsIn(clientWith({ MANAGED_IDENTITY: 'user-assigned', CLIENT_ID: 'mi-client-1' }));
    });
  });
});
