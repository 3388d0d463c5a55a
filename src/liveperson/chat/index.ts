export { EngagementHistoryClient, CHAT_PAGE_SIZE, engagementIdOf, type EngagementHistoryTuning } from './engagement-history-client';
export { normalizeChatRecord, CHAT_CHANNEL, CHAT_SYSTEM_ID } from './normalize-chat';
export { planChatQueries, chatOwnerOf, MAX_CHAT_QUERY_SPAN_MS, DEFAULT_MAX_CHAT_DURATION_MS } from './chat-search-plan';
export { ENGAGEMENT_HISTORY_SCOPE, engagementHistoryScopeError } from './scope-error';
