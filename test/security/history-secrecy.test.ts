import type { temporal } from '@temporalio/proto';
import { dataConverterFor, dataConverterFromEnv, ENCRYPTED_ENCODING, generateKeyEntry, METADATA_KEY_ID } from '../../src/codec';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { eventually, startHarness, TEST_ENV, type Harness } from '../support/connector-harness';
import { emulatorConversations } from '../../scripts/lib/emulator-truth';
import { decodedHistoryText, historiesOfAllRuns, historyTextBesidePayloads } from '../support/history';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const DAY = 86_400_000;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** Runs a connector until it is live, stops it, and returns the events of every run (continue-as-new followed). */
async function runConnectorToLive(h: Harness, anchor: number, days: number, maxWindowsPerRun?: number) {
  const startAt = anchor - days * DAY - 30 * 60_000;
  const config = h.config({
    startDate: new Date(startAt).toISOString(),
    backfillWindow: '6h',
    lag: '1m',
    pollInterval: '2s',
    minWindow: '1m',
  });
  const workflowId = connectorWorkflowId(config.name);
  const worker = await h.newWorker();
  const out = await worker.runUntil(async () => {
    const handle = await h.client.workflow.start('connectorWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ config, ...(maxWindowsPerRun ? { maxWindowsPerRun } : {}) }],
    });
    const live = await eventually(
      'the connector to catch up',
      async () => {
        const s: ConnectorStatus = await handle.query(statusQuery);
        return s.state === 'live' && Date.parse(s.cursor) >= anchor - 10 * 60_000 ? s : undefined;
      },
      90_000,
      500,
    );
    await handle.signal(stopSignal);
    const result = (await handle.result()) as ConnectorStatus;
    return { live, result, firstRunId: handle.firstExecutionRunId };
  });
  const runs = await historiesOfAllRuns(h.client, workflowId, out.firstRunId);
  return { ...out, startAt, events: runs.flatMap((r) => r.events), runs: runs.length };
}

/** What a conversation holds that must never be in history: message texts, participant names. */
async function personalStrings(lpUrl: string, ids: readonly string[]): Promise<{ texts: Set<string>; names: Set<string> }> {
  const texts = new Set<string>();
  const names = new Set<string>();
  for (const id of ids) {
    const res = await fetch(`${lpUrl}/_emulator/conversations/${encodeURIComponent(id)}/record`);
    if (!res.ok) throw new Error(`record of ${id}: HTTP ${res.status}`);
    const record = (await res.json()) as {
      messageRecords?: { messageData?: { msg?: { text?: unknown } } }[];
      consumerParticipants?: { firstName?: unknown; lastName?: unknown; consumerName?: unknown }[];
      agentParticipants?: { agentFullName?: unknown }[];
    };
    for (const m of record.messageRecords ?? []) {
      const t = m.messageData?.msg?.text;
      if (typeof t === 'string' && t.length >= 12) texts.add(t);
    }
    for (const c of record.consumerParticipants ?? []) {
      if (typeof c.consumerName === 'string' && c.consumerName.length >= 6) names.add(c.consumerName);
      if (typeof c.firstName === 'string' && typeof c.lastName === 'string' && c.lastName !== 'undefined')
        names.add(`${c.firstName} ${c.lastName}`);
    }
    for (const a of record.agentParticipants ?? [])
      if (typeof a.agentFullName === 'string' && a.agentFullName.length >= 6) names.add(a.agentFullName);
  }
  return { texts, names };
}

/**
 * Every payload in the events, with where it sits; search attributes apart (they are indexed, never encoded), and
 * the details of patch markers (`patched()`): Temporal's core writes the patch id there as plain JSON, never through
 * the data converter; it names a code change, not data.
 */
function payloadsOf(events: readonly HistoryEvent[]): { path: string; encoding: string; keyId?: string }[] {
  const out: { path: string; encoding: string; keyId?: string }[] = [];
  const walk = (v: unknown, path: string): void => {
    if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    const o = v as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o) {
      const meta = o.metadata as Record<string, Uint8Array>;
      const text = (b: Uint8Array | undefined): string | undefined => (b ? Buffer.from(b).toString('utf8') : undefined);
      out.push({
        path,
        encoding: text(meta.encoding) ?? '(none)',
        ...(meta[METADATA_KEY_ID] ? { keyId: text(meta[METADATA_KEY_ID]) } : {}),
      });
      return;
    }
    for (const [k, x] of Object.entries(o)) if (k !== 'searchAttributes' && k !== 'patch-data') walk(x, `${path}.${k}`);
  };
  events.forEach((e, i) => walk(e, `event[${i}]`));
  return out;
}

describe('workflow history of a connector run, exported whole', () => {
  describe('with payload encryption off (the default)', () => {
    let h: Harness;
    const anchor = Date.now();
    beforeAll(async () => {
      h = await startHarness({
        lp: { conversations: 120, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 10 },
        dataConverter: dataConverterFor(undefined),
      });
    });
    afterAll(async () => h?.close());

    it('holds no secret, no e-mail address, no conversation text and no participant name in plain text', async () => {
      const run = await runConnectorToLive(h, anchor, 1, 2);
      expect(run.runs).toBeGreaterThanOrEqual(2); // continue-as-new happened: every run is exported
      const history = decodedHistoryText(run.events);
      expect(history).toContain('csdsBaseUrl'); // the payloads really are decoded here
      expect(history).toContain('preparePage');

      for (const [name, value] of Object.entries(TEST_ENV)) {
        if (/SECRET/.test(name)) expect({ name, found: history.includes(value) }).toEqual({ name, found: false });
      }
      expect(EMAIL.exec(history)?.[0]).toBeUndefined();

      const truth = await emulatorConversations(h.lp.url, run.startAt, Date.parse(run.result.cursor));
      expect(truth.length).toBeGreaterThan(80);
      expect(run.result.totals.fromSource).toBe(truth.length);
      const { texts, names } = await personalStrings(
        h.lp.url,
        truth.map((c) => c.conversationId),
      );
      expect(texts.size).toBeGreaterThan(20); // the emulator draws lines from a fixed set
      expect(names.size).toBeGreaterThan(10);
      expect([...texts].filter((t) => history.includes(t))).toEqual([]);
      expect([...names].filter((n) => history.includes(n))).toEqual([]);
    });
  });

  describe('with payload encryption on (LPA_CODEC_KEYS)', () => {
    let h: Harness;
    const anchor = Date.now();
    const keys = { LPA_CODEC_KEYS: generateKeyEntry('test-key-1') };
    beforeAll(async () => {
      h = await startHarness({
        lp: { conversations: 30, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 6 },
        dataConverter: dataConverterFromEnv(keys),
      });
    });
    afterAll(async () => h?.close());

    it('stores every payload as binary/encrypted with the key id, so not even ids and blob names are readable', async () => {
      const run = await runConnectorToLive(h, anchor, 1);
      expect(run.result.state).toBe('stopped'); // the client decrypts results and queries with the same key
      expect(run.result.totals.imported).toBeGreaterThan(0);

      const payloads = payloadsOf(run.events);
      expect(payloads.length).toBeGreaterThan(20);
      expect(payloads.filter((p) => p.encoding !== ENCRYPTED_ENCODING)).toEqual([]);
      expect(new Set(payloads.map((p) => p.keyId))).toEqual(new Set(['test-key-1']));

      const raw = decodedHistoryText(run.events);
      expect(raw).toContain('preparePage'); // activity names are not payloads
      for (const plain of ['csdsBaseUrl', 'credentialsRef', 'LP_TEST', 'rawPage', h.lp.accountId])
        expect({ plain, found: raw.includes(plain) }).toEqual({ plain, found: false });
      const material = keys.LPA_CODEC_KEYS.slice(keys.LPA_CODEC_KEYS.indexOf(':') + 1);
      expect(raw.includes(material)).toBe(false);
      const addresses = [
        ...h.graph.users.flatMap((u) => [u.userPrincipalName, u.mail, ...u.proxyAddresses.map((a) => a.replace(/^smtp:/i, ''))]),
        ...h.graph.tenant.agents.map((a) => a.email),
        ...h.graph.tenant.employeeConsumers.map((c) => c.email),
      ];
      expect(addresses.length).toBeGreaterThan(5);
      expect(addresses.filter((a) => raw.includes(a))).toEqual([]);
      const beside = historyTextBesidePayloads(run.events, ENCRYPTED_ENCODING);
      expect(beside).toContain('preparePage');
      expect(beside.length).toBeLessThan(raw.length); // the ciphertext really is left out
      expect(EMAIL.exec(beside)?.[0]).toBeUndefined();
    });
  });
});
