import type { LivePersonClient } from '../../liveperson/client';
import { LivePersonFileTooLargeError } from '../../liveperson/errors';
import type { LivePersonAuth } from '../../liveperson/types';
import type { CheckRecorder } from './types';

/** How far back the check looks for a conversation with a hosted file, and how many it reads at most. */
const LOOK_BACK_MS = 24 * 3_600_000;
const MAX_SCANNED = 300;
/** The check downloads at most this much of the file it tries. */
const MAX_TRIAL_BYTES = 20 * 1024 * 1024;

/**
 * Hosted files: the worker downloads them through LivePerson's Bulk File Download API (CSDS `fms`), which takes OAuth
 * 2.0 only and is enabled per account by LivePerson. With OAuth 1.0 keys every item with a file would be partial: a
 * warning with the fix. With OAuth 2.0, one file of a conversation closed in the last 24 hours is downloaded, or the
 * check says it found none to try.
 */
export async function checkFileDownload(
  auth: LivePersonAuth,
  client: LivePersonClient,
  accountId: string,
  settingName: string,
  rec: CheckRecorder,
  now: number,
): Promise<void> {
  if (auth.kind !== 'oauth2') {
    await rec.step(
      'liveperson',
      'file download',
      () =>
        Promise.resolve({
          value: false,
          detail: "OAuth 1.0 API keys cannot download hosted files: LivePerson's Bulk File Download API takes OAuth 2.0 only",
          warn: `every conversation with a file would be archived as partial. Create an OAuth 2.0 client-credentials app installation for account ${accountId} with the scope data.services.external.bulkfiledownload, set ${settingName}, and ask LivePerson to enable the Bulk File Download API for the account`,
        }),
      '',
    );
    return;
  }
  await rec.step(
    'liveperson',
    'file download',
    async () => {
      const found = await conversationWithFile(client, { from: now - LOOK_BACK_MS, to: now - 60_000 });
      if (!found) {
        return {
          value: false,
          detail: `no conversation with a hosted file closed in the last 24 hours (of the ${MAX_SCANNED} newest read): file download not tried`,
          warn: 'run check again once a conversation with a file has closed, to test file download before the first run',
        };
      }
      const urls = await client.conversationFileUrls(found.conversationId);
      const url = urls.get(found.relativePath);
      if (!url) throw new Error(`the file listing of conversation ${found.conversationId} does not include ${found.relativePath}`);
      try {
        const bytes = await client.downloadFile(url, MAX_TRIAL_BYTES);
        return { value: true, detail: `downloaded a file of conversation ${found.conversationId} (${bytes.length} bytes)` };
      } catch (err) {
        if (!(err instanceof LivePersonFileTooLargeError)) throw err;
        return {
          value: true,
          detail: `listed the files of conversation ${found.conversationId}; the file tried is over 20 MB, not downloaded`,
        };
      }
    },
    `ask LivePerson to enable the Bulk File Download API for account ${accountId}, and give the app installation the scope data.services.external.bulkfiledownload; until then items with files are archived as partial`,
  );
}

/** The newest conversation (of the window, at most MAX_SCANNED read) that has a hosted file. */
async function conversationWithFile(
  client: LivePersonClient,
  window: { from: number; to: number },
): Promise<{ conversationId: string; relativePath: string } | undefined> {
  const first = await client.searchClosed(window, 0, 1);
  for (let offset = Math.max(0, first.count - 100); offset >= 0 && first.count - offset <= MAX_SCANNED; offset -= 100) {
    const page = await client.searchClosed(window, offset, 100);
    for (const record of [...page.records].reverse()) {
      const hit = hostedFileOf(record);
      if (hit) return hit;
    }
    if (offset === 0) break;
  }
  return undefined;
}

function hostedFileOf(record: unknown): { conversationId: string; relativePath: string } | undefined {
  const r = record as { info?: { conversationId?: unknown }; messageRecords?: unknown };
  if (typeof r?.info?.conversationId !== 'string' || !Array.isArray(r.messageRecords)) return undefined;
  for (const m of r.messageRecords as { type?: unknown; messageData?: { file?: { relativePath?: unknown } } }[]) {
    const path = m?.messageData?.file?.relativePath;
    if ((m?.type === 'HOSTED_FILE' || m?.type === 'IMG') && typeof path === 'string')
      return { conversationId: r.info.conversationId, relativePath: path };
  }
  return undefined;
}
