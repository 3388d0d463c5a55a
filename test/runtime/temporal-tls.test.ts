import * as fs from 'node:fs';
import * as path from 'node:path';
import { connectClient } from '../../src/cli/temporal-client';
import { TemporalConnectError } from '../../src/config/temporal-connect-error';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { connectWorkerToTemporal } from '../../src/runtime/temporal-connection';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { ensureLocalCa, localServerTls } from '../../scripts/lib/local-ca';
import { eventually, startHarness } from '../support/connector-harness';
import { makeCa, tempDir } from '../support/test-certificates';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy';
import { testServices } from '../setup/services';

/**
 * The worker and the CLI reach Temporal through the standard TEMPORAL_* variables with TLS: here the dev
 * server behind a TLS-terminating proxy that requires a client certificate (as a self-hosted cluster with mTLS
 * or Temporal Cloud does), and one that reads the API key header.
 */
describe('Temporal over TLS: mutual TLS and API key from the TEMPORAL_* environment', () => {
  const clientCa = makeCa();
  const good = clientCa.issueClientCertificate('lp-archive-worker');
  const foreign = makeCa('someone else').issueClientCertificate('lp-archive-worker');
  let dir: string;
  let mtls: TlsProxy;
  let files: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir('lpa-temporal-tls-');
    const write = (name: string, content: string): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    };
    files = {
      cert: write('worker.pem', good.certPem),
      key: write('worker-key.pem', good.keyPem),
      foreignCert: write('foreign.pem', foreign.certPem),
      foreignKey: write('foreign-key.pem', foreign.keyPem),
    };
    mtls = await startTlsProxy({ upstream: testServices().temporalAddress, ...localServerTls(), clientCa: clientCa.certPem });
  });
  afterAll(async () => {
    await mtls?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The variables an operator sets for a TLS cluster: address, the server's CA, the client certificate. */
  const tlsEnv = (cert: string | undefined, key: string | undefined): Record<string, string> => ({
    TEMPORAL_ADDRESS: mtls.address,
    TEMPORAL_NAMESPACE: testServices().temporalNamespace,
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: ensureLocalCa().caPath,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    ...(cert ? { TEMPORAL_TLS_CLIENT_CERT_PATH: cert } : {}),
    ...(key ? { TEMPORAL_TLS_CLIENT_KEY_PATH: key } : {}),
  });

  it('a connector runs a window with worker and client connected through the mTLS proxy', async () => {
    const h = await startHarness({
      lp: { conversations: 20, days: 1, anchorTime: Date.now() - 10 * 60_000 },
      temporalEnv: tlsEnv(files.cert, files.key),
    });
    try {
      await h.startWorker();
      const config = h.config({ startDate: new Date(Date.now() - 2 * 86_400_000).toISOString(), backfillWindow: '1d', lag: '1m' });
      const handle = await h.client.workflow.start('connectorWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: connectorWorkflowId(config.name),
        args: [{ config }],
      });
      const status = await eventually(
        'a window done through the TLS proxy',
        async () => {
          const s: ConnectorStatus = await handle.query(statusQuery);
          return s.windowsDone >= 1 && s.totals.imported > 0 ? s : undefined;
        },
        90_000,
      );
      expect(status.totals.imported).toBeGreaterThan(0);
      await handle.signal(stopSignal);
      await handle.result();
    } finally {
      await h.close();
    }
  });

  it('a client certificate from another CA is refused, and the error names the variables to fix', async () => {
    const refusedBefore = mtls.refusedHandshakes;
    const err = await connectWorkerToTemporal(tlsEnv(files.foreignCert, files.foreignKey)).then(
      () => new Error('connected'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TemporalConnectError);
    expect((err as Error).message).toMatch(
      /the server refused the client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    expect(mtls.refusedHandshakes).toBeGreaterThan(refusedBefore);
  });

  it('no client certificate: the CLI says the server requires one and which variables to set', async () => {
    const err = await connectClient({ connectTimeoutSeconds: 3 }, tlsEnv(undefined, undefined)).then(
      () => new Error('connected'),
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/Cannot reach Temporal at 127\.0\.0\.1:\d+ /);
    expect((err as Error).message).toMatch(
      /requires a client certificate \(mutual TLS\): set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
  });

  it('an API key (TEMPORAL_API_KEY) turns TLS on and reaches the server as a bearer header', async () => {
    const proxy = await startTlsProxy({ upstream: testServices().temporalAddress, ...localServerTls(), mode: 'h2' });
    try {
      const env = {
        TEMPORAL_ADDRESS: proxy.address,
        TEMPORAL_NAMESPACE: testServices().temporalNamespace,
        TEMPORAL_API_KEY: 'lpa-test-api-key-123',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: ensureLocalCa().caPath,
        TEMPORAL_TLS_SERVER_NAME: 'localhost',
      };
      const cli = await connectClient({}, env);
      try {
        await cli.client.workflowService.getSystemInfo({});
      } finally {
        await cli.close();
      }
      const worker = await connectWorkerToTemporal(env);
      await worker.connection.close();
      const auth = proxy.requestHeaders.map((h) => h.authorization);
      expect(auth.length).toBeGreaterThan(0);
      expect(auth.every((a) => a === 'Bearer lpa-test-api-key-123')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
