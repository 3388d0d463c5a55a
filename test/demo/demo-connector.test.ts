import * as path from 'node:path';
import { loadConnectorFile } from '../../src/config/load-connector-file';
import { demoConnectorConfig, demoConnectorFile, demoStartDate } from '../../scripts/demo/demo-connector';
import { loadStackConfig } from '../../scripts/lib/stack-config';

const ROOT = path.join(__dirname, '..', '..');
const DAY = 86_400_000;

describe('the demo connector', () => {
  const stack = loadStackConfig(path.join(ROOT, 'temporal-dev.yaml'));
  const now = Date.parse('2026-06-01T12:00:00Z');
  const params = {
    name: stack.demo.connector,
    accountId: stack.emulators.liveperson.account,
    lpUrl: `http://127.0.0.1:${stack.emulators.liveperson.port}`,
    graphUrl: `https://127.0.0.1:${stack.emulators.graph.port}`,
    startDate: demoStartDate(now, stack.emulators.liveperson.days),
  };

  it('starts a little before the oldest emulated conversation, so the backfill covers all of them', () => {
    const startAt = Date.parse(params.startDate);
    expect(now - startAt).toBeGreaterThan(stack.emulators.liveperson.days * DAY);
    expect(now - startAt).toBeLessThan((stack.emulators.liveperson.days + 1) * DAY);
  });

  it('is a valid connector config that names credentials by reference only', () => {
    const config = demoConnectorConfig(params, now);
    expect(config.liveperson).toMatchObject({
      accountId: '12345678',
      credentialsRef: 'LP_DEMO',
      csdsBaseUrl: params.lpUrl,
      serviceScheme: 'http',
    });
    expect(config.graph).toMatchObject({
      credentialsRef: 'GRAPH_DEMO',
      baseUrl: `${params.graphUrl}/v1.0`,
      authorityHost: params.graphUrl,
      trustedAuthority: true,
    });
    expect(config.graph.folderName).toBe('LivePerson Conversational Cloud DataParser');
    expect(config.schedule).toMatchObject({ backfillWindowMs: 6 * 3_600_000, lagMs: 60_000, pollIntervalMs: 30_000 });
    expect(JSON.stringify(config)).not.toMatch(/secret/i);
  });

  it('is the same config as examples/demo-connector.yaml, apart from the start date', async () => {
    const fromExample = await loadConnectorFile(path.join(ROOT, 'examples', 'demo-connector.yaml'), now);
    const fromDemo = demoConnectorConfig({ ...params, startDate: new Date(fromExample.schedule.startAt).toISOString() }, now);
    expect(fromExample).toEqual(fromDemo);
    expect(demoConnectorFile(params).name).toBe(fromExample.name);
  });
});
