import type { Conversation, ConversationMessage, MessageContentType, Participant } from '../model';
import { cleanBodyText, cleanDisplayName, cleanHeaderText } from './text-clean';
import { formatInZone, formatUtc, isKnownTimeZone } from './time-format';

/**
 * The transcript as data: every untrusted string already cleaned, every time already formatted. The
 * text and HTML renderers only lay it out, so both parts always say the same thing.
 */
export interface Transcript {
  readonly title: string;
  readonly facts: readonly TranscriptFact[];
  readonly partialReasons: readonly string[];
  readonly participants: readonly TranscriptParticipant[];
  readonly entries: readonly TranscriptEntry[];
  readonly surveys: readonly { readonly question: string; readonly answer: string; readonly surveyType?: string }[];
  readonly summary?: string;
  readonly attachments: readonly TranscriptAttachment[];
}

export interface TranscriptFact {
  readonly label: string;
  readonly value: string;
}

export interface TranscriptParticipant {
  readonly name: string;
  /** e.g. `agent, ASSIGNED_AGENT` */
  readonly kind: string;
  /** id, login, address and where it came from. */
  readonly details: readonly string[];
}

export interface TranscriptTime {
  readonly utc: string;
  readonly local?: string;
}

export interface TranscriptMessage {
  readonly kind: 'message';
  readonly time: TranscriptTime;
  readonly sender: string;
  readonly senderKind: string;
  /** What kind of content this was, when not plain text (e.g. `link`, `rich content, as text`). */
  readonly typeLabel?: string;
  /** e.g. `private: visible to AGENTS_AND_MANAGERS` */
  readonly audienceLabel?: string;
  readonly text: string;
  readonly link?: { readonly url: string; readonly clickable: boolean };
  readonly file?: { readonly name: string; readonly status: string };
}

export interface TranscriptTransfer {
  readonly kind: 'transfer';
  readonly time: TranscriptTime;
  readonly text: string;
}

export type TranscriptEntry = TranscriptMessage | TranscriptTransfer;

export interface TranscriptAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly note?: string;
}

/** A file as it will be attached: the transcript names it and says where it came from. */
export interface PlannedAttachment extends TranscriptAttachment {
  readonly relativePath?: string;
}

const TYPE_LABELS: Record<MessageContentType, string | undefined> = {
  TEXT_PLAIN: undefined,
  TEXT_HTML: 'HTML message, shown as source',
  LINK: 'link',
  HOSTED_FILE: 'file',
  IMG: 'image',
  SECURE_FORM_INVITATION: 'secure form invitation',
  SECURE_FORM_SUBMIT: 'secure form submitted',
  RICH_CONTENT: 'rich content, as text',
};

/** A one-line value for the fact table and labels (ids, skills, reasons). */
const line = (s: string | undefined): string => {
  const v = cleanHeaderText(s ?? '', 500);
  return v.length > 0 ? v : '-';
};

function timeOf(ms: number, zone: string | undefined): TranscriptTime {
  if (!Number.isFinite(ms)) return { utc: 'time unknown' };
  const local = zone === undefined ? undefined : formatInZone(ms, zone);
  return local === undefined ? { utc: formatUtc(ms) } : { utc: formatUtc(ms), local };
}

function timeFact(t: TranscriptTime, zone: string | undefined): string {
  return t.local === undefined ? t.utc : `${t.utc} · ${t.local} (${line(zone)})`;
}

/** The name a participant is shown under, never empty. */
export function participantName(p: Participant): string {
  return cleanDisplayName(p.displayName, `${p.kind} ${line(p.id)}`);
}

function describeParticipant(p: Participant, headerAddress: ReadonlySet<string>): TranscriptParticipant {
  const details = [`id ${line(p.id)}`];
  if (p.loginName !== undefined && p.loginName.length > 0) details.push(`login ${line(p.loginName)}`);
  if (p.email !== undefined && p.email.length > 0) {
    const source = p.emailSource === undefined ? '' : `, from ${p.emailSource}`;
    const usable = headerAddress.has(p.email) ? '' : ', not usable as an e-mail address';
    details.push(`${line(p.email)} (${p.routable ? 'routable' : 'not routable'}${source}${usable})`);
  } else details.push('no e-mail address');
  return { name: participantName(p), kind: p.role ? `${p.kind}, ${line(p.role)}` : p.kind, details };
}

function fileStatus(conv: Conversation, m: ConversationMessage, attachments: readonly PlannedAttachment[]): TranscriptMessage['file'] {
  if (m.file === undefined) return undefined;
  const att = attachments.find((a) => a.relativePath === m.file?.relativePath);
  const shown = line(m.file.caption ?? m.file.relativePath.split('/').pop());
  if (att !== undefined) return { name: shown, status: `attached as ${att.fileName}` };
  const reason = conv.partialReasons.find((r) => m.file !== undefined && r.includes(m.file.relativePath));
  return { name: shown, status: `not available: ${reason === undefined ? 'the file was not downloaded' : line(reason)}` };
}

function linkOf(url: string | undefined): TranscriptMessage['link'] {
  if (url === undefined || url.length === 0) return undefined;
  const shown = cleanHeaderText(url, 2000);
  // Only web links become clickable; anything else (javascript:, data:) is shown as text.
  return { url: shown, clickable: /^https?:\/\/[^\s"<>]+$/i.test(shown) };
}

function transferText(conv: Conversation, t: Conversation['transfers'][number]): string {
  const who = (id: string | undefined): string | undefined => {
    if (id === undefined || id.length === 0) return undefined;
    const p = conv.participants.find((x) => x.id === id);
    return p === undefined ? `agent ${line(id)}` : participantName(p);
  };
  const parts = ['Transferred'];
  if (t.sourceSkill !== undefined || t.targetSkill !== undefined)
    parts.push(`from skill ${line(t.sourceSkill)} to skill ${line(t.targetSkill)}`);
  const from = who(t.sourceAgentId);
  const to = who(t.assignedAgentId);
  if (from !== undefined) parts.push(`from agent ${from}`);
  if (to !== undefined) parts.push(`to agent ${to}`);
  if (t.reason !== undefined && t.reason.length > 0) parts.push(`(reason: ${line(t.reason)})`);
  return parts.join(' ');
}

/** Builds the transcript of a conversation, given what will be attached and which addresses reach headers. */
export function buildTranscript(
  conv: Conversation,
  attachments: readonly PlannedAttachment[],
  headerAddresses: ReadonlySet<string>,
): Transcript {
  const zone = conv.timeZone !== undefined && conv.timeZone.length > 0 ? conv.timeZone : undefined;
  const knownZone = zone !== undefined && isKnownTimeZone(zone) ? zone : undefined;
  const byId = new Map(conv.participants.map((p) => [p.id, p] as const));

  const messages: TranscriptMessage[] = conv.messages.map((m) => {
    const p = byId.get(m.participantId);
    const msg: TranscriptMessage = {
      kind: 'message',
      time: timeOf(m.time, knownZone),
      sender: p === undefined ? `${m.senderKind} ${line(m.participantId)}` : participantName(p),
      senderKind: p?.role ? `${m.senderKind}, ${line(p.role)}` : m.senderKind,
      text: cleanBodyText(m.text),
    };
    const typeLabel = TYPE_LABELS[m.type] ?? line(m.type);
    const audienceLabel = m.audience !== undefined && m.audience !== 'ALL' ? `private: visible to ${line(m.audience)}` : undefined;
    const link = linkOf(m.link);
    const file = fileStatus(conv, m, attachments);
    return {
      ...msg,
      ...(typeLabel === undefined || m.type === 'TEXT_PLAIN' ? {} : { typeLabel }),
      ...(audienceLabel === undefined ? {} : { audienceLabel }),
      ...(link === undefined ? {} : { link }),
      ...(file === undefined ? {} : { file }),
    };
  });

  // Transfers are placed in the timeline before the first message that follows them.
  const entries: TranscriptEntry[] = [];
  const transfers = [...conv.transfers].sort((a, b) => a.time - b.time);
  let ti = 0;
  conv.messages.forEach((m, i) => {
    while (ti < transfers.length && transfers[ti]!.time < m.time) {
      const t = transfers[ti++]!;
      entries.push({ kind: 'transfer', time: timeOf(t.time, knownZone), text: transferText(conv, t) });
    }
    entries.push(messages[i]!);
  });
  for (; ti < transfers.length; ti++) {
    const t = transfers[ti]!;
    entries.push({ kind: 'transfer', time: timeOf(t.time, knownZone), text: transferText(conv, t) });
  }

  const zoneFact =
    zone === undefined
      ? 'not given (times in UTC)'
      : knownZone === undefined
        ? `${line(zone)} (not recognised; times in UTC only)`
        : line(zone);
  const facts: TranscriptFact[] = [
    { label: 'Conversation', value: line(conv.conversationId) },
    { label: 'Account', value: line(conv.accountId) },
    { label: 'Version', value: line(conv.version) },
    { label: 'Status', value: line(conv.status) },
    { label: 'Close reason', value: line(conv.closeReason) },
    { label: 'Channel', value: line(conv.channel) },
    { label: 'Device', value: line(conv.device) },
    { label: 'Skill', value: line(conv.skill) },
    { label: 'Started', value: timeFact(timeOf(conv.startTime, knownZone), knownZone) },
    { label: 'Ended', value: timeFact(timeOf(conv.endTime, knownZone), knownZone) },
    { label: 'Time zone', value: zoneFact },
    { label: 'Messages', value: String(conv.messages.length) },
    // Source-specific facts (a chat's start reason, visitor location, …) come after the common ones.
    ...(conv.extraFacts ?? []).map((f) => ({ label: line(f.label), value: line(f.value) })),
  ];

  const summary = conv.summary !== undefined && conv.summary.length > 0 ? cleanBodyText(conv.summary) : undefined;
  return {
    title: `LivePerson conversation ${line(conv.conversationId)}`,
    facts,
    partialReasons: conv.partialReasons.map((r) => cleanBodyText(r)),
    participants: conv.participants.map((p) => describeParticipant(p, headerAddresses)),
    entries,
    surveys: conv.surveys.map((s) => ({
      question: cleanBodyText(s.question),
      answer: cleanBodyText(s.answer),
      ...(s.surveyType === undefined ? {} : { surveyType: line(s.surveyType) }),
    })),
    ...(summary === undefined ? {} : { summary }),
    attachments: attachments.map(({ fileName, contentType, size, note }) => ({
      fileName,
      contentType,
      size,
      ...(note === undefined ? {} : { note }),
    })),
  };
}
