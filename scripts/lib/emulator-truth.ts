import { generateTenant } from '../../emulators/shared/tenant';

export interface TruthConversation {
  readonly conversationId: string;
  readonly endTime: number;
  readonly agentIds: readonly string[];
  /** Mail addresses of the agents who must have received it (agents with a plain, usable mailbox). */
  readonly expectedMailboxes: readonly string[];
}

/** The LivePerson emulator's ground truth: conversations that closed in [from, to). */
export async function emulatorConversations(lpUrl: string, from: number, to: number, seed = 42): Promise<TruthConversation[]> {
  const res = await fetch(`${lpUrl}/_emulator/conversations?endFrom=${from}&endTo=${to}`);
  if (!res.ok) throw new Error(`LivePerson emulator inspection answered ${res.status}`);
  const list = (await res.json()) as { conversationId: string; endTime: number; agentIds: string[] }[];
  const mailboxesOf = agentMailboxes(seed);
  return list
    .filter((c) => c.endTime >= from && c.endTime < to)
    .map((c) => ({
      conversationId: c.conversationId,
      endTime: c.endTime,
      agentIds: c.agentIds,
      expectedMailboxes: mailboxesOf(c.agentIds),
    }));
}

export interface TruthChat {
  readonly engagementId: string;
  readonly endTime: number;
  /** When Engagement History makes it searchable (usually within 5 minutes of its end, at most 2 hours). */
  readonly visibleAt: number;
  readonly agentIds: readonly string[];
  readonly expectedMailboxes: readonly string[];
}

/** The LivePerson emulator's legacy chats that ended in [from, to), searchable yet or not. */
export async function emulatorChats(lpUrl: string, from: number, to: number, seed = 42): Promise<TruthChat[]> {
  const res = await fetch(`${lpUrl}/_emulator/chats?endFrom=${from}&endTo=${to}`);
  if (!res.ok) throw new Error(`LivePerson emulator chat inspection answered ${res.status}`);
  const list = (await res.json()) as { engagementId: string; endTime: number; visibleAt: number; agentIds: string[] }[];
  const mailboxesOf = agentMailboxes(seed);
  return list.map((c) => ({
    engagementId: c.engagementId,
    endTime: c.endTime,
    visibleAt: c.visibleAt,
    agentIds: c.agentIds,
    expectedMailboxes: mailboxesOf(c.agentIds),
  }));
}

/** The mail addresses of the agents who must receive an item: those with a plain, usable mailbox. */
function agentMailboxes(seed: number): (agentIds: readonly string[]) => string[] {
  const agents = new Map(generateTenant(seed).agents.map((a) => [a.id, a]));
  return (agentIds) =>
    agentIds.flatMap((id) => {
      const a = agents.get(id);
      return a && a.mailbox === 'ok' && !a.emailIsAlias ? [a.email] : [];
    });
}

export interface MailboxItem {
  readonly id: string;
  readonly userId: string;
  readonly mail: string;
  readonly folder: string;
  readonly importKey?: string;
  readonly isDraft: boolean;
  readonly subject: string;
}

/** Every item in folders named `folderName`, from the Graph emulator's inspection endpoint. */
export async function mailboxItems(graphUrl: string, folderName: string): Promise<MailboxItem[]> {
  const res = await fetch(`${graphUrl}/_emulator/mailboxes`);
  if (!res.ok) throw new Error(`Graph emulator inspection answered ${res.status}`);
  const body = (await res.json()) as { mailboxes: InspectedMailbox[] } | InspectedMailbox[];
  const mailboxes = Array.isArray(body) ? body : body.mailboxes;
  return mailboxes.flatMap((m) =>
    m.folders
      .filter((f) => f.displayName === folderName)
      .flatMap((f) =>
        f.items.map((i) => ({
          id: i.id,
          userId: m.userId,
          mail: m.mail,
          folder: f.displayName,
          ...(i.importKey ? { importKey: i.importKey } : {}),
          isDraft: i.isDraft,
          subject: i.subject,
        })),
      ),
  );
}

interface InspectedMailbox {
  userId: string;
  mail: string;
  folders: { displayName: string; items: { id: string; importKey?: string; isDraft: boolean; subject: string }[] }[];
}
