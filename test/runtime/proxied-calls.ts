/**
 * Child process of outbound-proxy.test.ts (Node's fetch reads the dispatcher of the real global, which a jest
 * sandbox cannot set): installs the outbound proxy named by LPA_TEST_FETCH_PROXY as the worker does, then makes one
 * call to each service. The Azure SDK reads HTTPS_PROXY / HTTP_PROXY from the environment by itself.
 * Input: LPA_TEST_CALLS (JSON: the connector config, the agent address, the Azurite connection string).
 */
import { graphClient, livePersonClient } from '../../src/cli/clients';
import type { ConnectorConfig } from '../../src/model';
import { installOutboundProxy } from '../../src/runtime/outbound-proxy';
import { BlobStaging } from '../../src/storage/blob-staging';
import { TEST_ENV } from '../support/connector-harness';

async function main(): Promise<void> {
  const input = JSON.parse(process.env.LPA_TEST_CALLS ?? '{}') as { config: ConnectorConfig; agent: string; azurite: string };
  const proxy = process.env.LPA_TEST_FETCH_PROXY ?? '';
  const line = installOutboundProxy({ HTTPS_PROXY: proxy, HTTP_PROXY: proxy, NO_PROXY: process.env.LPA_TEST_FETCH_NO_PROXY ?? '' });
  const page = await livePersonClient(input.config, TEST_ENV).searchClosed({ from: Date.now() - 3_600_000, to: Date.now() }, 0, 10);
  const user = await graphClient(input.config, TEST_ENV).findUserByAddress(input.agent);
  const staging = new BlobStaging({ kind: 'connection-string', connectionString: input.azurite, containerPrefix: 'proxied-' });
  await staging.ensureContainers();
  const blobs = await staging.list('logs', 'nothing/');
  process.stdout.write(`${JSON.stringify({ line, conversations: page.count, user: user?.id ?? null, blobs: blobs.length })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
