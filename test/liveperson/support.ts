/* eslint-disable @typescript-eslint/no-explicit-any -- tests inspect raw LivePerson JSON loosely, as it arrives */
import { startLivePersonEmulator, type LivePersonEmulator, type LivePersonEmulatorOptions } from '../../emulators/liveperson';
import type { ConversationTruth, EmulatorStats } from '../../emulators/liveperson';
import { LivePersonClient, type LivePersonClientTuning } from '../../src/liveperson/client';
import { LivePersonError } from '../../src/liveperson/errors';
import type { LivePersonAuth } from '../../src/liveperson/types';
import { inWindow, type TimeWindow } from '../../src/model';

/** Test helpers: an emulator on a free port, a client pointed at it, and the paging loop the fetch activity runs. */

export function startEmulator(o: LivePersonEmulatorOptions = {}): Promise<LivePersonEmulator> {
  return startLivePersonEmulator({ port: 0, ingestionLagMs: 0, ...o });
}

export function clientFor(
  emu: LivePersonEmulator,
  o: { auth?: LivePersonAuth; accountId?: string; requestTimeoutMs?: number } & LivePersonClientTuning = {},
): LivePersonClient {
  const { auth, accountId, ...tuning } = o;
  return new LivePersonClient({
    accountId: accountId ?? emu.accountId,
    csdsBaseUrl: emu.url,
    serviceScheme: 'http',
    source: 'lp-archive-test',
    auth: auth ?? { kind: 'oauth2', clientId: 'lp-demo-client', clientSecret: 'lp-demo-secret' },
    requestTimeoutMs: 10_000,
    ...tuning,
  });
}

/** What the Temporal activity retry does: wait `retryAfterMs` on a retryable error, give up on others. */
export async function withActivityRetries<T>(fn: () => Promise<T>, maxAttempts = 50): Promise<{ value: T; retries: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), retries: attempt - 1 };
    } catch (e) {
      if (!(e instanceof LivePersonError) || !e.retryable || attempt >= maxAttempts) throw e;
      const wait = (e as LivePersonError & { retryAfterMs?: number }).retryAfterMs ?? 0;
      await new Promise((r) => setTimeout(r, Math.min(wait, 1500)));
    }
  }
}

/** Pages a window like the fetch activity: offset += limit while offset < count; keeps records inside the window. */
export async function collectWindow(
  client: LivePersonClient,
  window: TimeWindow,
  limit = 100,
  retry = false,
): Promise<{ ids: string[]; pages: number; count: number }> {
  const ids: string[] = [];
  let offset = 0;
  let pages = 0;
  let count: number;
  do {
    const page = retry
      ? (await withActivityRetries(() => client.searchClosed(window, offset, limit))).value
      : await client.searchClosed(window, offset, limit);
    pages++;
    count = page.count;
    for (const r of page.records) {
      const info = (r as { info: { conversationId: string; endTimeL: number } }).info;
      if (inWindow(window, info.endTimeL)) ids.push(info.conversationId);
    }
    offset += limit;
  } while (offset < count);
  return { ids, pages, count };
}

export async function groundTruth(emu: LivePersonEmulator, w: TimeWindow): Promise<ConversationTruth[]> {
  const res = await fetch(`${emu.url}/_emulator/conversations?endFrom=${w.from}&endTo=${w.to}`);
  return (await res.json()) as ConversationTruth[];
}

export async function stats(emu: LivePersonEmulator): Promise<EmulatorStats> {
  return (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as EmulatorStats;
}

export async function setFaults(emu: LivePersonEmulator, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}

export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** A response body as loosely typed JSON (tests assert on its shape). */
export async function jsonOf(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

/** Adds a conversation through the emulator's inspection API; returns its ground truth. */
export async function addConversation(emu: LivePersonEmulator, body: Record<string, unknown>): Promise<ConversationTruth> {
  const res = await fetch(`${emu.url}/_emulator/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`adding a conversation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ConversationTruth;
}
