import type { ChatTruth, LivePersonEmulator } from '../../emulators/liveperson';
import { EngagementHistoryClient, engagementIdOf, type EngagementHistoryTuning } from '../../src/liveperson/chat';
import type { LivePersonClientTuning } from '../../src/liveperson/client';
import type { LivePersonAuth } from '../../src/liveperson/types';
import { inWindow, type TimeWindow } from '../../src/model';
import { clientFor, withActivityRetries } from './support';

/** Test helpers for the legacy chat source: a client on the emulator, the paging loop of the fetch activity, the truth. */

export function chatClientFor(
  emu: LivePersonEmulator,
  o: { auth?: LivePersonAuth } & LivePersonClientTuning & EngagementHistoryTuning = {},
): EngagementHistoryClient {
  const { maxChatDurationMs, partialResultRetries, refetchPartialRecords, ...rest } = o;
  return new EngagementHistoryClient(clientFor(emu, rest), {
    ...(maxChatDurationMs !== undefined ? { maxChatDurationMs } : {}),
    ...(partialResultRetries !== undefined ? { partialResultRetries } : {}),
    ...(refetchPartialRecords !== undefined ? { refetchPartialRecords } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
}

/** Pages a window as the fetch activity does (offset += limit while offset < count) and keeps chats ending inside it. */
export async function collectChats(
  client: EngagementHistoryClient,
  window: TimeWindow,
  limit = 100,
  retry = false,
): Promise<{ ids: string[]; pages: number; count: number; records: unknown[] }> {
  const ids: string[] = [];
  const records: unknown[] = [];
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
      const end = (r as { info: { endTimeL: number } }).info.endTimeL;
      if (inWindow(window, end)) {
        ids.push(engagementIdOf(r) ?? '');
        records.push(r);
      }
    }
    offset += limit;
  } while (offset < count);
  return { ids, pages, count, records };
}

/** The emulator's chats that ended in [from, to). */
export async function chatTruth(emu: LivePersonEmulator, w: TimeWindow): Promise<ChatTruth[]> {
  const res = await fetch(`${emu.url}/_emulator/chats?endFrom=${w.from}&endTo=${w.to}`);
  return (await res.json()) as ChatTruth[];
}

export async function addChat(emu: LivePersonEmulator, body: Record<string, unknown>): Promise<ChatTruth> {
  const res = await fetch(`${emu.url}/_emulator/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`adding a chat failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ChatTruth;
}

/** A fresh OAuth2 token of the demo client, for raw requests to the emulator. */
export async function demoToken(emu: LivePersonEmulator): Promise<string> {
  const res = await fetch(`${emu.url}/sentinel/api/v2/account/${emu.accountId}/app/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'client_id=lp-demo-client&client_secret=lp-demo-secret&grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A raw Engagement History search (no client), for contract tests. */
export function ehSearch(
  emu: LivePersonEmulator,
  token: string,
  body: unknown,
  query = 'offset=0&limit=50&source=lp-test',
): Promise<Response> {
  return fetch(`${emu.url}/interaction_history/api/account/${emu.accountId}/interactions/search?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
