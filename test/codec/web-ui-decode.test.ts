/**
 * Issue 9 and 23: authorised users see decoded payloads in the Web UI. A dev server whose UI is wired to the
 * codec server (`--ui-codec-endpoint`, as the local stack does: the loopback mode, since the dev server's UI
 * has no login and so forwards no token), an encrypted workflow run, and Chromium opening its page: the input
 * is shown in clear text. A second UI, on an origin the codec server does not allow, is refused (403) and
 * shows ciphertext and its "could not connect" banner.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { EncryptionCodec, dataConverterFromEnv, keyRingFromEnv, startCodecServer, type CodecServer } from '../../src/codec';
import { findFreePort } from '../../scripts/lib/ports';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-server';
import { launchChromium } from '../browser/chromium';
import { uniqueId } from '../setup/services';
import { testKey } from './keys';
import type { ProbeActivities } from './workflows/codec-probe';

const NOTE = 'conversation text: please refund order 4711';

describe('Temporal Web UI with the codec server', () => {
  const env = { LPA_CODEC_KEYS: testKey('ui-k1') };
  let codec: CodecServer;
  let server: TemporalDevServer;
  let connection: Connection;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  let otherUiPort: number;

  beforeAll(async () => {
    const uiPort = await findFreePort();
    otherUiPort = await findFreePort();
    codec = await startCodecServer({
      codec: new EncryptionCodec(keyRingFromEnv(env)!),
      trustLoopbackWithoutToken: true,
      port: 0,
      allowedOrigins: [`http://127.0.0.1:${uiPort}`],
      log: () => undefined,
    });
    server = await startTemporalDevServer({
      inMemory: true,
      uiPort,
      uiCodecEndpoint: codec.url,
      log: 'silent',
      name: 'codec-ui-temporal',
    });
    connection = await Connection.connect({ address: server.address });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await connection?.close();
    await server?.stop();
    await codec?.close();
  });

  async function runProbe(address: string): Promise<string> {
    const native = await NativeConnection.connect({ address });
    const conn = address === server.address ? connection : await Connection.connect({ address });
    try {
      const taskQueue = uniqueId('tq');
      const activities: ProbeActivities = { shout: (t) => Promise.resolve(t.toUpperCase()), refuse: () => Promise.reject(new Error('no')) };
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowsPath: require.resolve('./workflows/codec-probe'),
        activities,
        dataConverter: dataConverterFromEnv(env),
      });
      const client = new Client({ connection: conn, dataConverter: dataConverterFromEnv(env) });
      const workflowId = uniqueId('ui-probe');
      await worker.runUntil(client.workflow.execute('codecProbe', { taskQueue, workflowId, args: [{ connector: 'c', note: NOTE }] }));
      return workflowId;
    } finally {
      await native.close();
      if (conn !== connection) await conn.close();
    }
  }

  async function pageText(uiUrl: string, workflowId: string, waitFor: string | undefined): Promise<string> {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowId}`);
      if (waitFor) await page.getByText(waitFor, { exact: false }).first().waitFor({ timeout: 30_000 });
      else {
        await page.locator('#content').getByText('Codec Server could not connect').waitFor({ timeout: 30_000 });
        // The input panel renders after the banner: wait until it shows the ciphertext.
        await page.waitForFunction('/Input\\s+"[A-Za-z0-9+/]{40,}/.test(document.body.innerText)', undefined, { timeout: 30_000 });
      }
      return await page.locator('body').innerText();
    } finally {
      await page.close();
    }
  }

  it('shows the decrypted input to a UI wired to the codec server', async () => {
    const workflowId = await runProbe(server.address);
    const text = await pageText(server.uiUrl!, workflowId, 'refund order 4711');
    expect(text).toContain('refund order 4711');
  });

  it('shows only ciphertext in a UI whose origin the codec server does not allow', async () => {
    const wrong = await startTemporalDevServer({
      inMemory: true,
      uiPort: otherUiPort,
      uiCodecEndpoint: codec.url,
      log: 'silent',
      name: 'codec-ui-temporal-2',
    });
    try {
      const workflowId = await runProbe(wrong.address);
      const text = await pageText(wrong.uiUrl!, workflowId, undefined);
      expect(text).toMatch(/Input\s+"[A-Za-z0-9+/]{40,}={0,2}"/); // the ciphertext, as the UI shows bytes it cannot decode
      expect(text).not.toContain('refund order 4711');
    } finally {
      await wrong.stop();
    }
  });
});
