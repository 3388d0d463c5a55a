import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraphEmulator } from '../../emulators/graph/server';
import { checkGraph } from '../../src/cli/check/graph';
import { describeCredential } from '../../src/cli/check/graph-credential';
import { CheckRecorder, type CheckResult } from '../../src/cli/check/types';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { graphAuthFromEnv } from '../../src/config/secrets';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';
import { makeCertificate, tempDir } from '../support/test-certificates';
import { startEmulator, TENANT_ID } from '../graph/helpers';

const DAY = 86_400_000;

/** `check` says which Graph credential is in use and, for a certificate, when it expires. */
describe('check: the Graph credential in use and the certificate expiry', () => {
  const soon = makeCertificate({ commonName: 'expires soon', notAfter: new Date(Date.now() + 10 * DAY) });
  const later = makeCertificate({ commonName: 'expires later', notAfter: new Date(Date.now() + 200 * DAY) });
  const expired = makeCertificate({
    commonName: 'expired',
    notBefore: new Date(Date.now() - 100 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  let emu: GraphEmulator;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    emu = await startEmulator({ clientCertificates: [soon.certPem, later.certPem, expired.certPem] });
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const graphChecks = async (pem: string): Promise<Map<string, CheckResult>> => {
    const certificatePath = path.join(dir, `${Math.random().toString(36).slice(2)}.pem`);
    fs.writeFileSync(certificatePath, pem);
    const config = parseConnectorConfig(
      {
        ...validConnectorFile(),
        graph: { credentialsRef: 'GRAPH_C', baseUrl: emu.graphBaseUrl, authorityHost: emu.url, trustedAuthority: true },
      },
      CONFIG_NOW,
    );
    const rec = new CheckRecorder();
    await checkGraph(
      config,
      { GRAPH_C_TENANT_ID: TENANT_ID, GRAPH_C_CLIENT_ID: emu.clientId, GRAPH_C_CLIENT_CERTIFICATE_PATH: certificatePath },
      rec,
    );
    return new Map(rec.results.map((r) => [r.name, r]));
  };

  it('names the certificate credential and its expiry; OK far from it, and the token is issued with it', async () => {
    const r = await graphChecks(later.combinedPem);
    expect(r.get('credentials')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^certificate .* \(GRAPH_C_CLIENT_CERTIFICATE_PATH\) for app /),
    });
    expect(r.get('certificate')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/\(CN=expires later\) expires on \d{4}-.* \(in 199 days\)/),
    });
    expect(r.get('token')?.status).toBe('ok');
  });

  it('warns within 30 days of expiry, with what to do, and still signs in', async () => {
    const r = await graphChecks(soon.combinedPem);
    expect(r.get('certificate')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/in 9 days/),
      fix: expect.stringMatching(/^renew it before/),
    });
    expect(r.get('token')?.status).toBe('ok');
  });

  it('fails an expired certificate, with the fix, and does not try to sign in with it', async () => {
    const r = await graphChecks(expired.combinedPem);
    expect(r.get('certificate')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/expired on/),
      fix: expect.stringMatching(/GRAPH_C_CLIENT_CERTIFICATE_PATH/),
    });
    expect(r.get('token')).toMatchObject({ status: 'skip' });
  });

  it('describes every credential kind by the variables that chose it', () => {
    const base = { G_TENANT_ID: 't', G_CLIENT_ID: 'app' };
    expect(describeCredential(graphAuthFromEnv('G', { ...base, G_CLIENT_SECRET: 's' }))).toBe(
      'client secret (G_CLIENT_SECRET) for app app in tenant t',
    );
    expect(describeCredential(graphAuthFromEnv('G', { ...base, G_FEDERATED_TOKEN_FILE: '/tok' }))).toBe(
      'workload identity federation: federated token in /tok (G_FEDERATED_TOKEN_FILE) for app app in tenant t',
    );
    expect(describeCredential(graphAuthFromEnv('G', { G_TENANT_ID: 't', G_MANAGED_IDENTITY: 'system' }))).toBe(
      "the host's system-assigned managed identity (G_MANAGED_IDENTITY=system) in tenant t",
    );
  });
});
