import { conversationToEml } from '../convert/to-eml';
import { normalizeRecord } from '../liveperson/normalize';
import { workBlobName, windowLabel, type Conversation } from '../model';
import type { ConvertPageResult, PageRef } from './contracts';
import type { ActivityDeps } from './deps';
import { mapErrors } from './errors';
import type { ConvertedItem, ConvertedPageFile, PageFailure, RawPageFile, RoutingParticipant } from './page-files';

function rawId(record: unknown): string {
  const id = (record as { info?: { conversationId?: unknown } } | null)?.info?.conversationId;
  return typeof id === 'string' && id.length > 0 ? id : 'unknown-conversation';
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
 * convert: each raw record → normalised conversation → RFC 5322 message in the `work` container.
 * A record that cannot be converted becomes a failure row with its reason; the page goes on.
 */
export function makeConvertPage(deps: ActivityDeps) {
  return async function convertPage(ref: PageRef & { rawPage: string }): Promise<ConvertPageResult> {
    return mapErrors(async () => {
      const { config, window, page } = ref;
      const raw = await deps.staging.getJson<RawPageFile>('raw', ref.rawPage);
      const users = await deps.users(config);
      const items: ConvertedItem[] = [];
      const failures: PageFailure[] = [];
      const label = windowLabel(window);
      for (const record of raw.records) {
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
        try {
          const { eml, size } = conversationToEml(conv, { sourceRecord: record });
          if (size > config.limits.maxItemBytes) {
            failures.push({
              itemId,
              version: conv.version,
              sourceUser: consumer?.id ?? '-',
              reason: `item is ${size} bytes, over limits.maxItemBytes (${config.limits.maxItemBytes})`,
            });
            continue;
          }
          const workEml = workBlobName(config.name, label, page, `${conv.conversationId}.${conv.version}.eml`);
          await deps.staging.putText('work', workEml, eml.toString('utf8'));
          items.push({
            conversationId: conv.conversationId,
            version: conv.version,
            endTime: conv.endTime,
            workEml,
            size,
            partialReasons: conv.partialReasons,
            participants: routingOf(conv),
          });
        } catch (err) {
          failures.push({ itemId, version: conv.version, sourceUser: consumer?.id ?? '-', reason: `conversion failed: ${(err as Error).message}` });
        }
      }
      const converted = workBlobName(config.name, label, page, 'converted');
      const file: ConvertedPageFile = { items, failures };
      await deps.staging.putJson('work', converted, file);
      return { converted, items: items.length, failed: failures.length };
    });
  };
}
