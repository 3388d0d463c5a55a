import type { Conversation, ConversationSource } from '../model';
import { engagementIdOf } from './chat/engagement-history-client';
import { normalizeChatRecord } from './chat/normalize-chat';
import { normalizeRecord, type NormalizeContext } from './normalize';

/**
 * What the pipeline needs to know about a raw record of each source, so that it handles messaging
 * conversations and legacy chats alike. Both carry their end time as `info.endTimeL` (the window filter
 * reads it the same way); they differ in where their id sits and in how they are normalised.
 */
export interface SourceRecordRules {
  readonly source: ConversationSource;
  /** The record's id (`info.conversationId`, or a chat's `info.engagementId`), leniently: empty when absent. */
  recordId(record: unknown): string;
  /** The shared `Conversation`; throws `MalformedRecordError` with the reason when it cannot. */
  normalize(record: unknown, ctx: NormalizeContext): Conversation;
}

export const SOURCE_RECORD_RULES: Readonly<Record<ConversationSource, SourceRecordRules>> = {
  messaging: {
    source: 'messaging',
    recordId: (record) => {
      const id = (record as { info?: { conversationId?: unknown } } | null)?.info?.conversationId;
      return typeof id === 'string' ? id : '';
    },
    normalize: normalizeRecord,
  },
  chat: {
    source: 'chat',
    recordId: (record) => engagementIdOf(record) ?? '',
    normalize: normalizeChatRecord,
  },
};
