/**
 * The local stack starts the dev identity provider and the console (temporal-dev.yaml `emulators.identity`,
 * `console`) so that the console's sign-in goes to that provider with its redirect URI registered. Temporal
 * and Azurite are the global setup's (the stack reuses them by port, as the demo does).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort } from '../../scripts/lib/ports';
import { portsOf, startStack, type RunningStack } from '../../scripts/lib/stack';
import { loadStackConfig, type StackConfig } from '../../scripts/lib/stack-config';
import { testServices } from './services';

describe('local stack: dev identity provider and connector console', () => {
  let stack: RunningStack;
  let config: StackConfig;
  let dir: string;

  beforeAll(async () => {
    const s = testServices();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-stack-console-'));
    const base = loadStackConfig();
    const [identityPort, consolePort] = [await findFreePort(), await findFreePort()];
    config = {
      ...base,
      temporal: {
        ...base.temporal,
        port: Number(s.temporalAddress.split(':').pop()),
        namespace: s.temporalNamespace,
        codecServer: { port: 0, secretsDir: path.join(dir, 'codec') },
      },
      azurite: { ...base.azurite, port: Number(/BlobEndpoint=http:\/\/[^:]+:(\d+)/.exec(s.azuriteConnectionString)![1]) },
      emulators: { ...base.emulators, identity: { port: identityPort } },
      console: { port: consolePort },
    };
    stack = await startStack(config, { services: ['identity', 'console'], log: 'silent', progress: () => undefined });
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names their ports and settings for the port check', () => {
    expect(portsOf(config, 'identity')).toEqual([
      { port: config.emulators.identity!.port, what: 'dev identity provider', key: 'emulators.identity.port' },
    ]);
    expect(portsOf(config, 'console')).toEqual([{ port: config.console!.port, what: 'connector console', key: 'console.port' }]);
  });

  it("sends a browser that is not signed in to the stack's provider, which accepts the console's redirect URI", async () => {
    const consoleUrl = `http://127.0.0.1:${config.console!.port}`;
    expect(stack.console?.url).toBe(consoleUrl);
    const home = await fetch(`${consoleUrl}/`, { redirect: 'manual' });
    expect(home.status).toBe(303);
    const login = await fetch(new URL(home.headers.get('location')!, consoleUrl), { redirect: 'manual' });
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.origin).toBe(stack.identity!.url);
    expect(authorize.searchParams.get('client_id')).toBe('lp-archive-console');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${consoleUrl}/auth/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const atProvider = await fetch(authorize, { redirect: 'manual' });
    expect(atProvider.status).toBe(303);
    expect(atProvider.headers.get('location')).toMatch(/^\/interaction\//);
  });
});
