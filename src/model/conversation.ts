/**
 * The normalised conversation every part of the pipeline shares. Built from a LivePerson Messaging
 * Interactions record by `src/liveperson/normalize.ts`, or from an Engagement History (legacy chat) record by
 * `src/liveperson/chat/normalize-chat.ts`; turned into an e-mail by `src/convert`.
 * Times are epoch milliseconds (UTC); `timeZone` is the conversation's IANA zone when LivePerson gives one.
 */

/** The LivePerson product a conversation came from: Messaging Interactions or Engagement History (legacy chat). */
export const CONVERSATION_SOURCES = ['messaging', 'chat'] as const;
export type ConversationSource = (typeof CONVERSATION_SOURCES)[number];

/** The source of a conversation; absent means messaging (every conversation archived before chat existed). */
export function sourceOf(conv: { readonly source?: ConversationSource }): ConversationSource {
  return conv.source ?? 'messaging';
}

export const PARTICIPANT_KINDS = ['consumer', 'agent', 'bot', 'system'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/** Where a participant's e-mail address came from; decides whether it may route an item into a mailbox. */
export const EMAIL_SOURCES = ['users-api', 'authenticated-sde', 'profile', 'unauthenticated-sde', 'login-name', 'pre-chat-survey'] as const;
export type EmailSource = (typeof EMAIL_SOURCES)[number];

export interface Participant {
  /** LivePerson agentId (agents, bots) or consumer participantId. */
  readonly id: string;
  readonly kind: ParticipantKind;
  /** LivePerson role, e.g. AGENT, MANAGER, ASSIGNED_AGENT; absent for consumers. */
  readonly role?: string;
  readonly loginName?: string;
  readonly displayName: string;
  readonly email?: string;
  readonly emailSource?: EmailSource;
  /** True when `email` may be used to choose a mailbox (an unauthenticated SDE address never is, by default). */
  readonly routable: boolean;
}

export const MESSAGE_CONTENT_TYPES = [
  'TEXT_PLAIN',
  'TEXT_HTML',
  'LINK',
  'HOSTED_FILE',
  'IMG',
  'SECURE_FORM_INVITATION',
  'SECURE_FORM_SUBMIT',
  'RICH_CONTENT',
] as const;
export type MessageContentType = (typeof MESSAGE_CONTENT_TYPES)[number];

export interface HostedFileRef {
  readonly relativePath: string;
  readonly fileType?: string;
  readonly caption?: string;
}

export interface ConversationMessage {
  readonly messageId: string;
  readonly seq: number;
  readonly time: number;
  readonly participantId: string;
  readonly senderKind: ParticipantKind;
  readonly type: MessageContentType;
  /** Readable text of the message (rich content rendered to text; HTML kept as source text, never rendered). */
  readonly text: string;
  readonly file?: HostedFileRef;
  readonly link?: string;
  /** e.g. ALL, AGENTS_AND_MANAGERS (agent-only private messages). */
  readonly audience?: string;
}

export interface Transfer {
  readonly time: number;
  readonly reason?: string;
  readonly sourceSkill?: string;
  readonly targetSkill?: string;
  readonly sourceAgentId?: string;
  readonly assignedAgentId?: string;
}

export interface SurveyAnswer {
  readonly surveyType?: string;
  readonly question: string;
  readonly answer: string;
}

/** A labelled fact about a conversation beyond the common ones (e.g. a chat's visitor location or start reason). */
export interface ConversationFact {
  readonly label: string;
  readonly value: string;
}

export interface Conversation {
  /** Which product it came from; absent = messaging, so records and fixtures from before chat stay valid. */
  readonly source?: ConversationSource;
  readonly accountId: string;
  /** Messaging conversationId, or a chat's engagementId (unique only within its source: see `keys.ts`). */
  readonly conversationId: string;
  /** Version of a closed conversation: its end time in epoch ms, so a re-opened and re-closed one is a new item. */
  readonly version: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly timeZone?: string;
  readonly status: 'OPEN' | 'CLOSE';
  readonly closeReason?: string;
  readonly skill?: string;
  /** LivePerson `info.source`, e.g. APP, SHARK, SMS, FACEBOOK. */
  readonly channel?: string;
  readonly device?: string;
  readonly participants: readonly Participant[];
  readonly messages: readonly ConversationMessage[];
  readonly transfers: readonly Transfer[];
  readonly surveys: readonly SurveyAnswer[];
  readonly summary?: string;
  /** Facts the source gives beyond the common ones, shown after them in the transcript (chat: visitor info, reasons). */
  readonly extraFacts?: readonly ConversationFact[];
  /** Why the item is incomplete (e.g. a file that could not be downloaded); empty when complete. */
  readonly partialReasons: readonly string[];
}

/** A hosted file downloaded for a conversation, ready to attach. */
export interface DownloadedFile {
  readonly relativePath: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}
