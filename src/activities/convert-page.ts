import { conversationToEml, type ConvertedItem as EmlItem } from '../convert/to-eml';
import { downloadHostedFiles, hostedFileRefs, type HostedFilesOutcome } from '../liveperson/hosted-files';
import { normalizeRecord } from '../liveperson/normalize';
import { workBlobName, scopedWindowLabel, type Conversation, type DownloadedFile } from '../model';
import type { ConvertPageResult, PageRef } from './contracts';
import type { ActivityDeps } from './ports';
import { rawConversationId } from './fetch-page';
import { heartbeat, withKeepAlive } from '../runtime/heartbeat';
import type { ConvertedItem, ConvertedPageFile, PageFailure, RoutingParticipant } from './page-files';
import { readRawRecords } from './raw-page';

/** Memory a conversion holds per byte of its downloaded files and the message without them: the files, the message built from them. */
const CONVERT_MEMORY_PER_BYTE = 2.5;

function rawId(record: unknown): string {
  return rawConversationId(record) || 'unknown-conversation';
}

function routingOf(conv: Conversation): RoutingParticipant[] {
  return conv.participants.map((p) => ({
    id: p.id,
    kind: p.kind,
    ...(p.loginName ? { loginName: p.loginName } : {}),
    ...(p.email ? { email: p.email } : {}),
    routable: p.routable,
  }));
}

/**
 * Raw bytes of hosted files an item can take: what is left under the limit after the item without files,
 * less MIME headers per file, shrunk by base64 in 76-character lines (57 bytes become 78).
 */
function fileBudget(maxItemBytes: number, baseSize: number, fileCount: number): number {
  return Math.floor((Math.max(0, maxItemBytes - baseSize - 2048 * fileCount) * 57) / 78);
}

/**
 * The item with its files and the reasons for the ones left out. Should it still come out over the limit,
 * the last files are left out (with a reason each) until it fits: a file is given up before the conversation.
 */
function withFiles(
  conv: Conversation,
  record: unknown,
  files: readonly DownloadedFile[],
  reasons: readonly string[],
  maxItemBytes: number,
): { conv: Conversation; eml: EmlItem } {
  const kept = [...files];
  const why = [...reasons];
  for (;;) {
    const partial: Conversation = why.length === 0 ? conv : { ...conv, partialReasons: [...conv.partialReasons, ...why] };
    const eml = conversationToEml(partial, { files: kept, sourceRecord: record });
    const last = kept.at(-1);
    if (eml.size <= maxItemBytes || last === undefined) return { conv: partial, eml };
    kept.pop();
    why.push(`hosted file ${last.relativePath} was left out: with it the item would be over limits.maxItemBytes (${maxItemBytes} bytes)`);
  }
}

/** The item with its files, or why it cannot be one. */
function builtWithFiles(
  conv: Conversation,
  record: unknown,
  got: HostedFilesOutcome,
  maxItemBytes: number,
): { conv: Conversation; eml: EmlItem } | string {
  let item: { conv: Conversation; eml: EmlItem };
  try {
    item = withFiles(conv, record, got.files, got.partialReasons, maxItemBytes);
  } catch (err) {
    return `conversion failed: ${(err as Error).message}`;
  }
  return item.eml.size > maxItemBytes ? `item is ${item.eml.size} bytes, over limits.maxItemBytes (${maxItemBytes})` : item;
}

/**
 * convert: each raw record → normalised conversation → RFC 5322 message in the `work` container.
 * A record that cannot be converted becomes a failure row with its reason; the page goes on. Hosted files are
 * downloaded and attached; one that cannot be had makes the item partial (reason in the item and the log).
 */
export function makeConvertPage(deps: ActivityDeps) {
  return async function convertPage(ref: PageRef & { rawPage: string }): Promise<ConvertPageResult> {
    return withKeepAlive(async () => {
      const { config, window, page } = ref;
      const users = await deps.users(config);
      const items: ConvertedItem[] = [];
      const failures: PageFailure[] = [];
      const label = scopedWindowLabel(window, ref.scope);
      const seen = new Set<string>();
      const workEml = (conv: Conversation): string => workBlobName(config.name, label, page, `${conv.conversationId}.${conv.version}.eml`);
      for await (const record of readRawRecords(deps, ref.rawPage)) {
        heartbeat();
        const itemId = rawId(record);
        let conv: Conversation;
        try {
          conv = normalizeRecord(record, {
            accountId: config.liveperson.accountId,
            users,
            allowUnauthenticatedSdeRouting: config.liveperson.allowUnauthenticatedSdeRouting,
          });
        } catch (err) {
          failures.push({ itemId, version: '-', sourceUser: '-', reason: `malformed conversation: ${(err as Error).message}` });
          continue;
        }
        const consumer = conv.participants.find((p) => p.kind === 'consumer');
        const fail = (reason: string): void => {
          failures.push({ itemId, version: conv.version, sourceUser: consumer?.id ?? '-', reason });
        };
        // The same conversation version twice in a page: keep the first; never let the second overwrite it.
        const versionKey = `${conv.conversationId}\u0000${conv.version}`;
        if (seen.has(versionKey)) {
          fail('duplicate record of a conversation version already in this page; the first one is archived');
          continue;
        }
        seen.add(versionKey);
        let base: EmlItem;
        try {
          base = conversationToEml(conv, { sourceRecord: record });
        } catch (err) {
          fail(`conversion failed: ${(err as Error).message}`);
          continue;
        }
        if (base.size > config.limits.maxItemBytes) {
          fail(`item is ${base.size} bytes, over limits.maxItemBytes (${config.limits.maxItemBytes})`);
          continue;
        }
        // Hosted files: outside the try, so throttling and outages go up and the activity retries; a file that
        // cannot be had comes back as a partial reason instead.
        const refs = hostedFileRefs(conv);
        const got =
          refs.length === 0
            ? { files: [], partialReasons: [] }
            : await downloadHostedFiles(conv, deps.files(config), {
                maxTotalBytes: fileBudget(config.limits.maxItemBytes, base.size, refs.length),
                onFile: () => heartbeat(),
              });
        // The files, and the message about to be built from them, take their turn in the worker's item memory.
        const fileBytes = got.files.reduce((n, f) => n + f.bytes.byteLength, 0);
        const held = fileBytes === 0 ? undefined : await deps.itemMemory?.take(CONVERT_MEMORY_PER_BYTE * (base.size + fileBytes));
        let item: { conv: Conversation; eml: EmlItem } | string;
        try {
          item = refs.length === 0 ? { conv, eml: base } : builtWithFiles(conv, record, got, config.limits.maxItemBytes);
          if (typeof item !== 'string') await deps.staging.putMessage('work', workEml(conv), item.eml.eml);
        } finally {
          held?.();
        }
        if (typeof item === 'string') {
          fail(item);
          continue;
        }
        const size = item.eml.size;
        items.push({
          conversationId: conv.conversationId,
          version: conv.version,
          endTime: conv.endTime,
          workEml: workEml(conv),
          size,
          partialReasons: item.conv.partialReasons,
          participants: routingOf(item.conv),
        });
      }
      const converted = workBlobName(config.name, label, page, 'converted');
      const file: ConvertedPageFile = { items, failures };
      await deps.staging.putJson('work', converted, file);
      return { converted, items: items.length, failed: failures.length };
    });
  };
}
