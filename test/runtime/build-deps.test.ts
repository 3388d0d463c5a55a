import type { GraphEmulator } from '../../emulators/graph/server';
import { buildActivityDeps } from '../../src/runtime/build-deps';
import type { StagingPort } from '../../src/activities/ports';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import type { GraphMailClient } from '../../src/graph/client';
import type { ConnectorConfig } from '../../src/model';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';
import { mailboxUser, resetStats, sampleMessage, startEmulator, stats } from '../graph/helpers';

describe('activity deps: connectors that use the same Graph app share its per-mailbox limits', () => {
  let emu: GraphEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ latencyMs: 25 });
  });
  afterAll(async () => emu.close());

  const app = (prefix: string, clientId: string): Record<string, string> => ({
    [`${prefix}_TENANT_ID`]: 'contoso-tenant',
    [`${prefix}_CLIENT_ID`]: clientId,
    [`${prefix}_CLIENT_SECRET`]: emu.clientSecret,
  });
  const connector = (name: string, credentialsRef: string): ConnectorConfig =>
    parseConnectorConfig(
      {
        ...validConnectorFile(),
        name,
        graph: { credentialsRef, baseUrl: emu.graphBaseUrl, authorityHost: emu.url, trustedAuthority: true },
      },
      CONFIG_NOW,
    );

  it('one limiter per app registration, whatever credentialsRef names it; another app has its own', () => {
    const deps = buildActivityDeps({} as StagingPort, {
      ...app('GRAPH_EMEA', emu.clientId),
      ...app('GRAPH_EMEA_COPY', emu.clientId),
      ...app('GRAPH_APAC', 'another-app'),
    });
    const client = (c: ConnectorConfig): GraphMailClient => deps.mailbox(c) as GraphMailClient;
    const emea = client(connector('emea-prod', 'GRAPH_EMEA'));
    const emea2 = client(connector('emea-brand-b', 'GRAPH_EMEA_COPY'));
    const apac = client(connector('apac-prod', 'GRAPH_APAC'));

    expect(emea2).not.toBe(emea); // each connector has its own client (folders, fair share)
    expect(emea2.limiter).toBe(emea.limiter);
    expect(apac.limiter).not.toBe(emea.limiter);
  });

  it('two connectors writing to one mailbox at once never have more than 4 requests in flight to it together', async () => {
    const deps = buildActivityDeps({} as StagingPort, { ...app('GRAPH_EMEA', emu.clientId), ...app('GRAPH_EMEA_COPY', emu.clientId) });
    const clients = [deps.mailbox(connector('emea-prod', 'GRAPH_EMEA')), deps.mailbox(connector('emea-brand-b', 'GRAPH_EMEA_COPY'))];
    const user = mailboxUser(emu, 3);
    const folders = await Promise.all(clients.map((c) => c.ensureImportFolder(user.id, 'Archive')));
    await resetStats(emu);

    await Promise.all(
      clients.flatMap((c, k) =>
        Array.from({ length: 12 }, (_, i) => c.createSettled(user.id, folders[k]!, sampleMessage(`shared-${k}-${i}`))),
      ),
    );

    const s = (await stats(emu)).mailboxes[user.id]!;
    expect(s.requests).toBe(48); // each create, and the look-up by import key that settles it
    expect(s.throttledConcurrency).toBe(0); // Graph never had to refuse one for concurrency
    expect(s.peakConcurrency).toBeLessThanOrEqual(4);
    expect(s.peakConcurrency).toBeGreaterThanOrEqual(3);
  });
});

describe('activity deps: forced collections follow items, not batch reservations', () => {
  const MB = 2 ** 20;
  const saved = (globalThis as { gc?: () => void }).gc;
  let collections = 0;
  beforeEach(() => {
    collections = 0;
    (globalThis as { gc?: () => void }).gc = () => void collections++;
  });
  afterEach(() => {
    (globalThis as { gc?: () => void }).gc = saved;
  });

  it('a batch reserved and given back forces nothing; a third of the item budget given back forces one', async () => {
    const deps = buildActivityDeps({} as StagingPort, { LPA_ITEM_MEMORY_MB: '60' });
    for (let i = 0; i < 10; i++) (await deps.batchMemory!.take(32 * MB))();
    expect(collections).toBe(0);
    (await deps.itemMemory!.take(19 * MB))();
    expect(collections).toBe(0);
    (await deps.itemMemory!.take(2 * MB))();
    expect(collections).toBe(1);
  });
});
