/**
 * Issue 24 item 5: the connector console in Chromium. A real connector (worker, emulators, Azurite, the
 * global setup's Temporal), the dev identity provider and the console as their own processes; one browser
 * for the whole file. Sign-in with OpenID Connect, the list, a log download compared byte for byte with
 * `log -o csv`, an operator's pause seen in the workflow's status, a compliance officer who reads but cannot
 * act, a user in no allowed group, and refusal without sign-in. Screenshots in test-output/console/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DEV_USERS } from '../../emulators/identity/users';
import { consoleRedirectUris, startConsoleProcess } from '../../scripts/lib/console-process';
import { startIdentityEmulatorProcess, type EmulatorProcess } from '../../scripts/lib/emulators';
import { findFreePort } from '../../scripts/lib/ports';
import { startConnector } from '../../src/cli/start-connector';
import { connectorWorkflowId } from '../../src/model';
import { launchChromium } from '../browser/chromium';
import { cli } from '../cli/support';
import { testServices } from '../setup/services';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';

const OUTPUT = path.resolve(__dirname, '../../test-output/console');
const [operator, compliance, outsider] = DEV_USERS as [(typeof DEV_USERS)[0], (typeof DEV_USERS)[0], (typeof DEV_USERS)[0]];
const DAY = 86_400_000;
const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

describe('connector console (Chromium, OpenID Connect sign-in)', () => {
  let h: Harness;
  let idp: EmulatorProcess;
  let app: EmulatorProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let name: string;
  let storageEnv: Record<string, string>;
  const visited: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    h = await startHarness({ lp: { conversations: 30, days: 1, anchorTime: Date.now() - 5 * 60_000, maxMessages: 4 } });
    await h.startWorker();
    const config = h.config({
      startDate: new Date(Date.now() - DAY - 600_000).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
    });
    name = config.name;
    await startConnector(h.client, h.taskQueue, config);

    const services = testServices();
    storageEnv = {
      AZURE_STORAGE_CONNECTION_STRING: services.azuriteConnectionString,
      LPA_CONTAINER_PREFIX: h.staging.containers.raw.replace(/raw$/, ''),
    };
    const port = await findFreePort();
    const uris = consoleRedirectUris(port);
    idp = await startIdentityEmulatorProcess({ consoleRedirectUris: uris.redirect, consolePostLogoutUris: uris.postLogout, log: 'silent' });
    [app, browser] = await Promise.all([
      startConnectorConsole(port, services.temporalAddress, services.temporalNamespace),
      launchChromium(),
    ]);
    browser.context.on('request', (r) => void visited.push(r.url()));
    await waitForStatus(
      'the connector to catch up',
      h.client.workflow.getHandle(connectorWorkflowId(name)),
      (s) => s.state === 'live',
      90_000,
    );
  });

  function startConnectorConsole(port: number, temporalAddress: string, namespace: string) {
    return startConsoleProcess({
      port,
      issuer: idp.url,
      env: { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: namespace, ...storageEnv },
      log: 'silent',
    });
  }

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await idp?.stop();
    await h?.close();
  });

  async function shot(page: Page, file: string): Promise<void> {
    await page.screenshot({ path: path.join(OUTPUT, file), fullPage: true });
  }

  /** Signs in through the provider's login form, starting from a console page. */
  async function signIn(user: (typeof DEV_USERS)[0], startAt = '/'): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${app.url}${startAt}`);
    await page.waitForURL(`${idp.url}/interaction/**`);
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/**`);
    return page;
  }

  it('refuses every page, API call, download and action without sign-in', async () => {
    const noRedirect = { redirect: 'manual' } as const;
    const home = await fetch(`${app.url}/`, noRedirect);
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toMatch(/^\/auth\/login\?returnTo=/);
    expect((await fetch(`${app.url}/api/connectors`, noRedirect)).status).toBe(401);
    const csv = await fetch(`${app.url}/connectors/${name}/log.csv`, noRedirect);
    expect(csv.status).toBe(401);
    expect(await csv.text()).not.toContain(name);
    expect((await fetch(`${app.url}/connectors/${name}/actions/pause`, { ...noRedirect, method: 'POST' })).status).toBe(401);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);

    // A browser is sent to the provider's sign-in page.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/connectors/${name}`);
    await page.waitForURL(`${idp.url}/interaction/**`);
    await shot(page, '01-sign-in.png');
    await page.close();
  });

  it("signs an operator in and lists the connector with state, last import, lag and today's counts", async () => {
    const page = await signIn(operator);
    const row = page.locator(`tr[data-connector="${name}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe(name);
    expect(cells[1]).toContain('live');
    expect(cells[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/); // last import
    expect(cells[4]).toMatch(/\d+ (s|min)/); // lag
    expect(Number(cells[5])).toBeGreaterThan(0); // today's items for import
    expect(await page.getByTestId('user').innerText()).toBe(operator.name);
    const cookies = await browser.context.cookies(app.url);
    const session = cookies.find((c) => c.name === 'lpa_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await shot(page, '02-connectors.png');
    await page.close();
  });

  it('downloads the day log for a chosen range, byte for byte what `log -o csv` prints', async () => {
    const page = await signIn(operator, `/connectors/${name}`);
    const from = utcDay(Date.now() - DAY);
    const to = utcDay(Date.now());
    await page.fill('input[name=from]', from);
    await page.fill('input[name=to]', to);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    const file = path.join(OUTPUT, 'downloaded-log.csv');
    await download.saveAs(file);
    const downloaded = fs.readFileSync(file, 'utf8');
    const printed = await cli(
      ['--address', testServices().temporalAddress, 'log', name, '--from', from, '--to', to, '-o', 'csv'],
      storageEnv,
    );
    expect(printed.code).toBe(0);
    expect(downloaded.split('\n').length).toBeGreaterThan(2);
    expect(downloaded).toBe(printed.stdout);
    expect(download.suggestedFilename()).toBe(`lp-archive-log-${name}-${from}-to-${to}.csv`);
    const reversed = await browser.context.request.get(`${app.url}/connectors/${name}/log.csv?from=${to}&to=${from}`);
    expect(reversed.status()).toBe(400);
    expect(((await reversed.json()) as { error: string }).error).toBe(`From (${to}) is after To (${from}).`);
    await shot(page, '03-connector.png');
    await page.close();
  });

  it("an operator's pause takes effect: the workflow's status says paused, and so does the console", async () => {
    const page = await signIn(operator, `/connectors/${name}`);
    // A forged form (no CSRF token) is refused and changes nothing.
    const forged = await browser.context.request.post(`${app.url}/connectors/${name}/actions/pause`, { form: {}, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await page.click('button[data-action=pause]');
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').innerText()).toContain(`Sent pause to connector "${name}"`);
    const handle = h.client.workflow.getHandle(connectorWorkflowId(name));
    await waitForStatus('the connector to pause', handle, (s) => s.state === 'paused', 60_000);
    await page.reload();
    expect(await page.locator('h1 .state').innerText()).toBe('paused');
    await shot(page, '04-paused.png');
    await page.click('button[data-action=resume]');
    await waitForStatus('the connector to resume', handle, (s) => s.state !== 'paused', 60_000);
    await page.close();
  });

  it('a compliance officer reads and downloads, but has no actions and is refused one', async () => {
    const page = await signIn(compliance, `/connectors/${name}`);
    await page.getByTestId('days').waitFor();
    expect(await page.getByTestId('actions').count()).toBe(0);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const download = await browser.context.request.get(`${app.url}/connectors/${name}/log.csv`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/^text\/csv/);
    const act = await browser.context.request.post(`${app.url}/connectors/${name}/actions/pause`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    expect(act.status()).toBe(403);
    expect(await act.text()).toContain('Only operators');
    const s = await waitForStatus('the status', h.client.workflow.getHandle(connectorWorkflowId(name)), () => true);
    expect(s.state).not.toBe('paused');
    await shot(page, '05-compliance-officer.png');
    await page.close();
  });

  it('refuses a signed-in user in no allowed group everywhere (403)', async () => {
    const page = await signIn(outsider);
    expect(await page.getByTestId('message').innerText()).toContain(`signed in as ${outsider.username}, but not in a group`);
    expect((await browser.context.request.get(`${app.url}/api/connectors`)).status()).toBe(403);
    expect((await browser.context.request.get(`${app.url}/connectors/${name}/log.csv`)).status()).toBe(403);
    await shot(page, '06-no-access.png');
    await page.close();
  });

  it('signs out: the session is gone', async () => {
    const page = await signIn(operator);
    await page.click('header button[type=submit]');
    await page.waitForURL(`${idp.url}/**`);
    expect((await browser.context.request.get(`${app.url}/api/connectors`)).status()).toBe(401);
    await page.close();
  });

  it('put no participant address in any URL the browser requested', () => {
    expect(visited.length).toBeGreaterThan(10);
    expect(visited.filter((u) => /@|%40/.test(u))).toEqual([]);
  });
});
