import { Readable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { GraphEmulator } from '../../emulators/graph/server';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import type { ImportBatchResult } from '../../src/activities/contracts';
import { makeImportBatch } from '../../src/activities/import-batch';
import type { ActivityDeps } from '../../src/activities/ports';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { conversationToEml } from '../../src/convert';
import type { RoutedBatchFile } from '../../src/pipeline/batch-files';
import { fixture } from '../convert/fixtures';
import { clientFor, mailboxUser, startEmulator } from '../graph/helpers';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

const f = fixture('01-basic-app');
const EML = conversationToEml(f.conversation, { sourceRecord: { fixture: '01' } }).eml;
const window = { from: Date.UTC(2026, 10, 2), to: Date.UTC(2026, 10, 3) };

/**
 * The race the settle closes, at the level of the import activity: attempt 1 runs on a worker that Temporal
 * can no longer hear (so it is never told it was superseded), attempt 2 starts on another worker after the
 * heartbeat timeout. Both look the item up (nothing yet), both create it. Each attempt is a real importBatch
 * with its own Graph client, as on two workers.
 */
describe('two attempts of one import on two workers, creating the same items at once', () => {
  let emu: GraphEmulator;

  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => emu?.close());

  /** A worker of its own (its own Graph client); the log part it writes goes to `logs`. */
  function worker(routed: RoutedBatchFile, logs: string[]): ActivityDeps {
    const mailbox = clientFor(emu);
    const staging = {
      getJson: () => Promise.resolve(routed),
      putText: (_kind: string, _name: string, csv: string) => {
        logs.push(csv);
        return Promise.resolve();
      },
      openItemStream: () => Promise.resolve({ stream: Readable.from([EML]), sha256: 'x' }),
    };
    return { staging, mailbox: () => mailbox } as unknown as ActivityDeps;
  }

  it('ends with exactly one item per mailbox, and the log says a concurrent duplicate was deleted', async () => {
    const user = mailboxUser(emu, 1);
    const config = parseConnectorConfig(
      { ...validConnectorFile(), graph: { credentialsRef: 'GRAPH_TEST', folderName: 'Race folder' } },
      CONFIG_NOW,
    );
    const routed: RoutedBatchFile = {
      failures: [],
      items: [1, 2, 3].map((n) => ({
        conversationId: `race-${n}`,
        version: '1',
        endTime: window.from + n,
        workEml: `w/${n}`,
        size: EML.length,
        partialReasons: [],
        participants: [],
        itemBlob: `items/${n}.eml`,
        sha256: 'x',
        stagedStatus: 'created',
        targets: [{ participantId: 'agent-1', userId: user.id, userPrincipalName: user.userPrincipalName, via: 'mail' }],
        unmapped: [],
        external: [],
      })),
    };
    const ref = { config, window, page: 0, routed: 'routed-0', day: '2026-11-02' };
    const logs: string[] = [];
    const attempt = (n: number, deps: ActivityDeps) => {
      const env = new MockActivityEnvironment({ attempt: n, heartbeatTimeoutMs: 60_000 });
      return env.run(async (): Promise<ImportBatchResult> => makeImportBatch(deps)(ref));
    };
    // Both workers have their token and folder, then creates take a while: both look-ups answer before either
    // create lands, however busy the machine (a fixed latency on every request raced only on a quiet one).
    const deps = [worker(routed, logs), worker(routed, logs)];
    for (const d of deps) await d.mailbox(config).ensureImportFolder(user.id, 'Race folder');
    emu.setFaults({ createLatencyMs: 1500 });
    const results = await Promise.all([attempt(1, deps[0]!), attempt(2, deps[1]!)]);

    const items = (await mailboxItems(emu.url, 'Race folder')).filter((i) => i.userId === user.id);
    const keys = items.map((i) => i.importKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3); // one item per conversation: the duplicates were deleted
    // Attempt 2 (the retry Temporal waits for) counts every item as imported; the stale attempt 1 may see some of
    // attempt 2's items first and call them duplicates. Both add up.
    expect(results[1].counts).toMatchObject({ forImport: 3, imported: 3, skippedDuplicate: 0, failed: 0 });
    expect(results[0].counts.imported + results[0].counts.skippedDuplicate).toBe(3);
    // Whichever attempt's log part is kept (the same blob name), the rows of the settled items say what happened.
    expect(logs).toHaveLength(2);
    expect(logs.join('\n')).toMatch(/a concurrent attempt had created it too: 1 duplicate\(s\) deleted, one item kept/);
  });
});
