/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests inspect raw LivePerson JSON loosely, as it arrives */
import type { LivePersonEmulator } from '../../emulators/liveperson';
import { LivePersonAccountError, LivePersonAuthError, LivePersonUnavailableError } from '../../src/liveperson/errors';
import { clientFor, DAY, MINUTE, startEmulator, stats } from './support';

const anchor = Date.UTC(2026, 10, 20, 12, 0, 0);
const window = { from: anchor - DAY, to: anchor };

async function expectRejection<T extends Error>(p: Promise<unknown>, type: new (...args: any[]) => T): Promise<T> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(type);
  return e as T;
}

describe('LivePerson client: authentication', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      seed: 3,
      conversations: 300,
      days: 1,
      anchorTime: anchor,
      maxMessages: 3,
      tokenLifetimeSeconds: 2,
      oauth1: { consumerKey: 'ck', consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' },
    });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
  });

  it('gives wrong client credentials one clear, non-retryable error naming the setting, without a retry storm', async () => {
    const client = clientFor(emu, { auth: { kind: 'oauth2', clientId: 'lp-demo-client', clientSecret: 'wrong' } });
    const e = await expectRejection(client.searchClosed(window, 0, 50), LivePersonAuthError);
    expect(e.message).toBe(
      `LivePerson rejected the OAuth client credentials for account ${emu.accountId} (HTTP 401: Client authentication failed). Fix LP_CLIENT_ID / LP_CLIENT_SECRET in the worker's environment`,
    );
    expect(e.retryable).toBe(false);
    expect(e.setting).toBe('LP_CLIENT_ID / LP_CLIENT_SECRET');
    const s = await stats(emu);
    expect(s.byRoute.sentinel).toBe(1);
    expect(s.byRoute['mi.search']).toBeUndefined();
    expect(s.requests).toBeLessThanOrEqual(2); // CSDS + one token request
  });

  it('names the operator’s own setting when told its name', async () => {
    const client = clientFor(emu, {
      auth: { kind: 'oauth2', clientId: 'nope', clientSecret: 'nope' },
      settingNames: { clientCredentials: 'LP_DEMO_CLIENT_ID / LP_DEMO_CLIENT_SECRET' },
    });
    const e = await expectRejection(client.listUsers(), LivePersonAuthError);
    expect(e.message).toContain('Fix LP_DEMO_CLIENT_ID / LP_DEMO_CLIENT_SECRET');
  });

  it('refreshes a token before it expires, mid-run', async () => {
    const client = clientFor(emu);
    await client.searchClosed(window, 0, 10);
    await new Promise((r) => setTimeout(r, 2100)); // the 2 s token is now expired
    await client.searchClosed(window, 10, 10);
    const s = await stats(emu);
    expect(s.tokensIssued).toBe(2);
    expect(s.authFailures).toBe(0);
  });

  it('looks up LivePerson’s domains once per client and reuses them (CSDS cache)', async () => {
    const client = clientFor(emu);
    await client.searchClosed(window, 0, 10);
    await client.listUsers();
    await client.searchClosed(window, 10, 10);
    expect((await stats(emu)).byRoute.csds).toBe(1);
  });

  it('gets a new token once when LivePerson answers 401 to a token it issued', async () => {
    const client = clientFor(emu);
    await client.searchClosed(window, 0, 10);
    await fetch(`${emu.url}/_emulator/tokens/revoke`, { method: 'POST' });
    const page = await client.searchClosed(window, 0, 10);
    expect(page.records).toHaveLength(10);
    const s = await stats(emu);
    expect(s.authFailures).toBe(1);
    expect(s.tokensIssued).toBe(2);
  });

  it('signs requests with OAuth 1.0a API keys', async () => {
    const client = clientFor(emu, {
      auth: { kind: 'oauth1', consumerKey: 'ck', consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' },
    });
    const page = await client.searchClosed(window, 0, 5);
    expect(page.records).toHaveLength(5);
    expect((await client.listUsers()).length).toBeGreaterThan(20);
    expect((await stats(emu)).byRoute.sentinel).toBeUndefined();
  });

  it('reports a wrong OAuth 1.0a secret once, naming the API key settings', async () => {
    const client = clientFor(emu, {
      auth: { kind: 'oauth1', consumerKey: 'ck', consumerSecret: 'WRONG', accessToken: 'at', accessTokenSecret: 'ats' },
    });
    const e = await expectRejection(client.searchClosed(window, 0, 5), LivePersonAuthError);
    expect(e.message).toContain('Fix LP_CONSUMER_KEY / LP_CONSUMER_SECRET / LP_ACCESS_TOKEN / LP_ACCESS_TOKEN_SECRET');
    expect((await stats(emu)).byRoute['mi.search']).toBe(1);
  });

  it('reports an unknown account as a LivePersonAccountError naming LP_ACCOUNT_ID', async () => {
    const e = await expectRejection(clientFor(emu, { accountId: '99999' }).searchClosed(window, 0, 5), LivePersonAccountError);
    expect(e.message).toBe(
      "LivePerson does not know account 99999 (domain API answered HTTP 404). Fix LP_ACCOUNT_ID in the worker's environment",
    );
    expect(e.retryable).toBe(false);
  });

  it('reports an unreachable LivePerson as retryable', async () => {
    const gone = await startEmulator({ conversations: 1 });
    await gone.close(); // its port now refuses connections
    const e = await expectRejection(clientFor(gone, { maxQuickRetries: 0 }).searchClosed(window, 0, 5), LivePersonUnavailableError);
    expect(e.message).toMatch(/^Request to LivePerson csds for account 12345678 failed/);
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBeGreaterThan(0);
  });
});

describe('LivePerson client: users', () => {
  let emu: LivePersonEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, conversations: 10, anchorTime: anchor });
  });
  afterAll(() => emu.close());

  it('lists every user with their e-mail, deleted ones included', async () => {
    const users = await clientFor(emu).listUsers();
    for (const agent of emu.store.tenant.agents) {
      expect(users.find((u) => u.id === agent.id)).toMatchObject({
        loginName: agent.loginName,
        email: agent.email,
        deleted: agent.deleted,
        userTypeId: Number(agent.userType),
      });
    }
    expect(users.some((u) => u.deleted)).toBe(true);
  });

  it('fetches conversations by id in batches of at most 100', async () => {
    const client = clientFor(emu);
    const ids = (await client.searchClosed({ from: anchor - 3 * DAY, to: anchor + MINUTE }, 0, 10)).records.map(
      (r: any) => r.info.conversationId as string,
    );
    const many = [...ids, ...Array.from({ length: 140 }, (_, i) => `unknown-${i}`)];
    const records = await client.getConversations(many);
    expect(records.map((r: any) => r.info.conversationId).sort()).toEqual([...ids].sort());
    expect((await stats(emu)).byRoute['mi.byId']).toBe(2);
  });
});
