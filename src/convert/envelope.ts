import type { Conversation, Participant } from '../model';
import { isHeaderSafeAddress, type HeaderMailbox } from './header-encoding';
import { cleanHeaderText } from './text-clean';
import { participantName } from './transcript';

/** Who the item is from and to, as header mailboxes. */
export interface Envelope {
  readonly from: HeaderMailbox;
  readonly to: readonly HeaderMailbox[];
  readonly cc: readonly HeaderMailbox[];
  /** Name of the consumer for the subject (or of the first participant when there is no consumer). */
  readonly fromName: string;
  /** Participant addresses that were good enough to write into a header. */
  readonly headerAddresses: ReadonlySet<string>;
}

const localPartOf = (s: string): string => {
  const v = s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48);
  return v.length > 0 ? v : 'unknown';
};

/** A non-routable address for someone without a usable one, so From is always a valid mailbox. */
export function syntheticAddress(kind: string, id: string, domain: string): string {
  return `${localPartOf(kind)}-${localPartOf(id)}@${domain}`;
}

// Managers who join a conversation are copied, not addressed: they watched rather than served.
const isManager = (p: Participant): boolean => /MANAGER/i.test(p.role ?? '');

/**
 * From: the consumer (else the first participant); To: agents and bots with an address; Cc: everyone
 * else with an address (managers, other consumers, system). An address is used once.
 */
export function buildEnvelope(conv: Conversation, domain: string): Envelope {
  const headerAddresses = new Set<string>();
  for (const p of conv.participants) {
    if (p.email !== undefined && isHeaderSafeAddress(p.email)) headerAddresses.add(p.email);
  }
  const usable = (p: Participant): string | undefined => (p.email !== undefined && headerAddresses.has(p.email) ? p.email : undefined);
  const mailbox = (p: Participant, address: string): HeaderMailbox => ({ name: cleanHeaderText(participantName(p), 120), address });

  const sender = conv.participants.find((p) => p.kind === 'consumer') ?? conv.participants[0];
  const from: HeaderMailbox =
    sender === undefined
      ? { name: 'LivePerson conversation', address: syntheticAddress('conversation', conv.conversationId, domain) }
      : mailbox(sender, usable(sender) ?? syntheticAddress(sender.kind, sender.id, domain));

  const seen = new Set<string>([from.address.toLowerCase()]);
  const to: HeaderMailbox[] = [];
  const cc: HeaderMailbox[] = [];
  for (const p of conv.participants) {
    if (p === sender) continue;
    const address = usable(p);
    if (address === undefined || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    ((p.kind === 'agent' || p.kind === 'bot') && !isManager(p) ? to : cc).push(mailbox(p, address));
  }
  return { from, to, cc, fromName: sender === undefined ? 'no participants' : participantName(sender), headerAddresses };
}
