/**
 * Acceptance (issue 8): an operator finds a running connector in the Temporal Web UI by its connector
 * name. A dev server with the UI, a real worker, two connectors; Chromium types the filter and the test
 * keeps screenshots in test-output/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startConnector } from '../../src/cli/start-connector';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { statusQuery } from '../../src/workflows/messages';
import { findFreePort } from '../../scripts/lib/ports';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-server';
import { eventually, startHarness, type Harness } from '../support/connector-harness';
import { launchChromium } from './chromium';

const OUTPUT = path.resolve(__dirname, '../../test-output');

describe('Temporal Web UI', () => {
  let server: TemporalDevServer;
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    server = await startTemporalDevServer({
      headless: false,
      inMemory: true,
      uiPort: await findFreePort(),
      log: 'silent',
      name: 'ui-temporal',
    });
    h = await startHarness({
      temporalAddress: server.address,
      lp: { conversations: 20, days: 1, anchorTime: Date.now() - 10 * 60_000, maxMessages: 4 },
    });
    browser = await launchChromium();
    fs.mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await server?.stop();
  });

  async function screenshot(page: Page, name: string): Promise<string> {
    const file = path.join(OUTPUT, name);
    await page.screenshot({ path: file });
    console.log(`Web UI screenshot: ${file}`);
    return file;
  }

  /** Waits until some frame of the page shows text matching `pattern`. */
  async function frameText(page: Page, pattern: RegExp): Promise<string> {
    return eventually(
      `the Web UI to show ${pattern}`,
      async () => {
        for (const frame of page.frames()) {
          const text = await frame
            .locator('body')
            .innerText({ timeout: 1_000 })
            .catch(() => '');
          const m = pattern.exec(text);
          if (m) return m[0];
        }
        return undefined;
      },
      30_000,
      250,
    );
  }

  it('filters workflows by connector name and shows the running connector with its summary and details', async () => {
    const schedule = {
      startDate: new Date(Date.now() - 3_600_000).toISOString(),
      backfillWindow: '1h',
      lag: '1m',
      pollInterval: '5s',
      minWindow: '1m',
    };
    const wanted = h.config(schedule);
    const other = h.config(schedule);
    const wantedId = connectorWorkflowId(wanted.name);
    const otherId = connectorWorkflowId(other.name);
    const worker = await h.newWorker();

    await worker.runUntil(async () => {
      await startConnector(h.client, h.taskQueue, wanted);
      await startConnector(h.client, h.taskQueue, other);
      // Running on the worker: the workflow has set its state (search attribute) and current details.
      await eventually('the connector to report its state', async () => {
        const s: ConnectorStatus = await h.client.workflow.getHandle(wantedId).query(statusQuery);
        return s.state !== 'starting' ? s : undefined;
      });

      const page = await browser.context.newPage();
      await page.goto(`${server.uiUrl}/namespaces/${server.namespace}/workflows`);
      const row = (id: string) => page.getByRole('link', { name: id, exact: true });
      await row(wantedId).waitFor({ timeout: 30_000 });
      await row(otherId).waitFor({ timeout: 30_000 });

      // What an operator does: open the raw query box and type a visibility query on our search attribute.
      await page.getByTestId('toggle-manual-query').click();
      const query = page.getByTestId('workflow-manual-search-input');
      await query.fill(`LpConnectorName="${wanted.name}"`);
      await query.press('Enter');
      await row(otherId).waitFor({ state: 'detached', timeout: 30_000 });
      await row(wantedId).waitFor({ timeout: 30_000 });
      await page
        .getByRole('row')
        .filter({ hasText: wantedId })
        .getByText(/^running$/i)
        .waitFor({ timeout: 30_000 });
      expect(await page.getByRole('row').filter({ hasText: 'lp-archive-connector-' }).count()).toBe(1);
      expect(fs.statSync(await screenshot(page, 'web-ui.png')).size).toBeGreaterThan(10_000);

      // The connector's page. Search attributes: name, state and cursor (no personal data).
      await row(wantedId).click();
      await page
        .getByRole('link', { name: 'Search Attributes' })
        .or(page.getByText('Search Attributes', { exact: true }))
        .first()
        .click();
      await page.getByText(`"LpConnectorName": "${wanted.name}"`).waitFor({ timeout: 30_000 });
      await page.getByText(/"LpConnectorState": "[a-z-]+"/).waitFor({ timeout: 30_000 });
      await page.getByText(/"LpCursorTime": "\d{4}-/).waitFor({ timeout: 30_000 });
      // User metadata: static summary and details from the start, current details set by the workflow.
      // The UI renders each as Markdown in its own iframe (straight quotes become typographic ones).
      await page.getByText('User Metadata', { exact: true }).first().click();
      await frameText(page, new RegExp(`LivePerson connector .${wanted.name}. \\(account ${wanted.liveperson.accountId}\\)`));
      await frameText(page, /Backfill from \d{4}-.*windows up to 60 min/);
      await frameText(page, /cursor \d{4}-\d\d-\d\d \d\d:\d\dZ .* imported/);
      await screenshot(page, 'web-ui-connector.png');
      await page.close();
    });
  });
});
