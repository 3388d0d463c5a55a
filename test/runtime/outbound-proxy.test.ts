import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { installOutboundProxy } from '../../src/runtime/outbound-proxy';
import { generateTenant } from '../../emulators/shared/tenant';
import { startHarness, type Harness } from '../support/connector-harness';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';
import { testServices } from '../setup/services';

/**
 * Behind a corporate proxy every outbound call must go through it: LivePerson and Graph (Node's fetch, which
 * ignores HTTPS_PROXY unless installOutboundProxy routes it), tokens (@azure/identity) and storage (the Blob
 * client), which read the variables themselves. Two proxies tell the two paths apart: the Azure SDK's variables
 * name one, installOutboundProxy is given the other (in production both are the same HTTPS_PROXY). The calls run in
 * a child process, as in the worker: a jest sandbox cannot change the dispatcher of Node's fetch.
 */
describe('outbound calls through a forward proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY)', () => {
  let h: Harness;
  let sdkProxy: CountingProxy;
  let fetchProxy: CountingProxy;

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 10, days: 1, anchorTime: Date.now() - 5 * 60_000, maxMessages: 3 } });
    [sdkProxy, fetchProxy] = await Promise.all([startCountingProxy(), startCountingProxy()]);
  });
  afterAll(async () => {
    await Promise.all([sdkProxy?.close(), fetchProxy?.close(), h?.close()]);
  });

  const host = (url: string): string => new URL(url).host;
  const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;

  function calls(noProxy = ''): Promise<{ line: string; conversations: number; user: string | null; blobs: number }> {
    const config = h.config({ startDate: new Date(Date.now() - 86_400_000).toISOString() });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HTTPS_PROXY: sdkProxy.url,
      HTTP_PROXY: sdkProxy.url,
      NO_PROXY: noProxy,
      LPA_TEST_FETCH_PROXY: fetchProxy.url,
      LPA_TEST_FETCH_NO_PROXY: noProxy,
      LPA_TEST_CALLS: JSON.stringify({ config, agent: agent.email, azurite: testServices().azuriteConnectionString }),
    };
    for (const v of ['https_proxy', 'http_proxy', 'no_proxy']) delete env[v];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'proxied-calls.ts')], { env, stdio: 'pipe' });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`proxied calls failed (${code}): ${err}`))));
    });
  }

  it('sends LivePerson, Graph, token and storage requests through the proxy, and says so', async () => {
    const r = await calls();
    expect(r.line).toMatch(/^outbound HTTP through proxies: https http:\/\/127\.0\.0\.1:\d+, http http:\/\/127\.0\.0\.1:\d+/);
    expect(r.user).toBeTruthy();
    // LivePerson and Graph data calls: tunnels through the proxy given to installOutboundProxy.
    expect(fetchProxy.seen).toContainEqual({ kind: 'connect', target: host(h.lp.url) });
    expect(fetchProxy.seen).toContainEqual({ kind: 'connect', target: host(h.graph.url) });
    // The token (@azure/identity, from the Graph emulator's authority) and the Blob client: through HTTPS_PROXY / HTTP_PROXY.
    expect(sdkProxy.seen).toContainEqual({ kind: 'connect', target: host(h.graph.url) });
    const blobHost = host(/BlobEndpoint=([^;]+)/.exec(testServices().azuriteConnectionString)![1]!);
    expect(sdkProxy.seen.some((s) => s.target === blobHost)).toBe(true);
    // Nothing of ours bypassed its proxy to LivePerson.
    expect(sdkProxy.seen.some((s) => s.target === host(h.lp.url))).toBe(false);
  });

  it('leaves the hosts in NO_PROXY alone', async () => {
    const [fetchBefore, sdkBefore] = [fetchProxy.seen.length, sdkProxy.seen.length];
    const r = await calls('127.0.0.1');
    expect(r.user).toBeTruthy();
    expect(fetchProxy.seen.length).toBe(fetchBefore);
    expect(sdkProxy.seen.length).toBe(sdkBefore);
  });

  it('installs nothing without a proxy, and never logs the credentials of a proxy address', () => {
    const installed: unknown[] = [];
    expect(installOutboundProxy({ NO_PROXY: 'x' }, (d) => installed.push(d))).toBeUndefined();
    expect(installed).toEqual([]);
    const line = installOutboundProxy({ HTTPS_PROXY: 'http://user:secret@proxy.example:3128' }, () => undefined);
    expect(line).toContain('http://***@proxy.example:3128');
    expect(line).not.toContain('secret');
  });
});
