import { countsAddUp, type ConnectorStatus } from '../../src/model';
import type { TruthChat, TruthConversation } from '../lib/emulator-truth';
import { conversationOfKey, formatElapsed, type MailboxSummary } from './inspect';

/** The acceptance bar of the demo: at least this many conversations archived. */
export const MIN_CONVERSATIONS = 1000;

/** One line of the `--check` verdict table. */
export interface Verdict {
  readonly pass: boolean;
  readonly check: string;
  readonly detail: string;
}

/** Everything `demo --check` observed once the connector had caught up and was paused. */
export interface CheckObservations {
  readonly connector: string;
  /** Final status, taken while paused (cursor and counts no longer move). */
  readonly status: ConnectorStatus;
  readonly startAt: number;
  readonly catchUpMs: number;
  /** The LivePerson emulator's conversations that closed in [startAt, messaging cursor). */
  readonly truth: readonly TruthConversation[];
  /** With legacy chat on: the emulator's chats that ended in [startAt, chat cursor), and the connector's chatLag. */
  readonly chats?: { readonly truth: readonly TruthChat[]; readonly lagMs: number; readonly checkedAt: number };
  readonly mail: MailboxSummary;
  /** Workflow ids listed by visibility for `LpConnectorName="<name>"`. */
  readonly visibilityIds: readonly string[];
  /** The same query through the Web UI's HTTP API; a string says why it could not be asked. */
  readonly uiIds: readonly string[] | string;
  readonly workflowId: string;
}

/** Compares what the connector says, what the source holds and what the mailboxes hold. Pure. */
export function evaluate(o: CheckObservations): Verdict[] {
  const all = o.status.totals;
  const t = o.status.sources?.messaging.totals ?? all;
  const cursor = Date.parse(o.status.sources?.messaging.cursor ?? o.status.cursor);

  // (mailbox address, conversation id) of every item of ours in the folder.
  const held = new Set<string>();
  for (const item of o.mail.ours) {
    const conversation = item.importKey ? conversationOfKey(item.importKey, o.connector) : undefined;
    if (conversation) held.add(`${item.mail.toLowerCase()}\n${conversation}`);
  }
  // Chats searchable within chatLag of their end are their window's; later ones may still wait for the chat sweep.
  const chats = o.chats;
  const onTime = chats?.truth.filter((c) => c.visibleAt - c.endTime <= chats.lagMs) ?? [];
  const lateVisible = chats?.truth.filter((c) => c.visibleAt - c.endTime > chats.lagMs && c.visibleAt <= chats.checkedAt) ?? [];
  const expected = [
    ...o.truth.flatMap((c) => c.expectedMailboxes.map((m) => ({ conversation: c.conversationId, mailbox: m }))),
    ...onTime.flatMap((c) => c.expectedMailboxes.map((m) => ({ conversation: `chat/${c.engagementId}`, mailbox: m }))),
  ];
  const missing = expected.filter((e) => !held.has(`${e.mailbox.toLowerCase()}\n${e.conversation}`));
  const example = missing[0] ? ` e.g. ${missing[0].conversation} → ${missing[0].mailbox}` : '';

  const dayCountsAddUp = o.status.days.every((d) => countsAddUp(d.counts));
  const lowest = all.imported + all.partial;
  const highest = lowest + all.skippedDuplicate;
  const chatTotals = o.status.sources?.chat.totals;
  const ui = o.uiIds;

  return [
    {
      pass: o.status.state === 'live' || o.status.state === 'paused',
      check: 'connector caught up (state live)',
      detail: `in ${formatElapsed(o.catchUpMs)}; cursor ${o.status.cursor}, ${o.status.windowsDone} windows, ${o.status.runsSoFar} run(s)`,
    },
    {
      pass: t.fromSource >= MIN_CONVERSATIONS,
      check: `at least ${MIN_CONVERSATIONS} conversations archived`,
      detail: `${t.fromSource} from source, ${t.imported} imported, ${t.partial} partial, ${t.skippedDuplicate} duplicates, ${t.failed} failed`,
    },
    {
      pass: t.fromSource === o.truth.length,
      check: 'every conversation of [startDate, cursor) collected once',
      detail: `log ${t.fromSource}, emulator ${o.truth.length} (${new Date(o.startAt).toISOString()} → ${new Date(cursor).toISOString()})`,
    },
    ...(chats
      ? [
          {
            pass:
              chatTotals !== undefined &&
              onTime.length > 0 &&
              chatTotals.fromSource >= onTime.length &&
              chatTotals.fromSource <= onTime.length + lateVisible.length,
            check: 'every legacy chat of [startDate, chat cursor) collected once',
            detail: `log ${chatTotals?.fromSource ?? 0}, emulator ${onTime.length} searchable in time${
              lateVisible.length > 0 ? ` + ${lateVisible.length} searchable later (the chat sweep's)` : ''
            }`,
          },
        ]
      : []),
    {
      pass: o.mail.duplicatePairs === 0,
      check: 'each (mailbox, import key) exactly once',
      detail: `${o.mail.ours.length} items in ${o.mail.mailboxes} mailboxes, ${o.mail.duplicatePairs} duplicated pairs`,
    },
    {
      pass: missing.length === 0 && expected.length > 0,
      check: "each conversation in every agent's mailbox",
      detail: `${expected.length - missing.length}/${expected.length} (conversation, mailbox) pairs present${example}`,
    },
    {
      pass: countsAddUp(all) && dayCountsAddUp && (!chatTotals || (countsAddUp(t) && countsAddUp(chatTotals))),
      check: 'counts add up',
      detail: `for import ${all.forImport} = ${all.imported} + ${all.partial} + ${all.skippedDuplicate} + ${all.failed}${dayCountsAddUp ? '' : '; a day does not add up'}${
        chatTotals ? ` (messaging ${t.forImport}, legacy chat ${chatTotals.forImport})` : ''
      }`,
    },
    {
      pass: o.mail.ours.length >= lowest && o.mail.ours.length <= highest,
      check: 'mailboxes hold what the log says',
      detail: `${o.mail.ours.length} items; log imported + partial = ${lowest}${all.skippedDuplicate > 0 ? ` (+${all.skippedDuplicate} found already there)` : ''}`,
    },
    {
      pass: o.visibilityIds.includes(o.workflowId),
      check: `workflow found by LpConnectorName="${o.connector}"`,
      detail: o.visibilityIds.length > 0 ? o.visibilityIds.join(', ') : 'no workflow listed',
    },
    {
      pass: typeof ui !== 'string' && ui.includes(o.workflowId),
      check: 'workflow listed by the Web UI',
      detail: typeof ui === 'string' ? ui : ui.length > 0 ? ui.join(', ') : 'no workflow listed',
    },
  ];
}

/** The verdict table as text. */
export function formatVerdicts(verdicts: readonly Verdict[]): string {
  const width = Math.max(...verdicts.map((v) => v.check.length));
  const lines = verdicts.map((v) => `  ${v.pass ? 'PASS' : 'FAIL'}  ${v.check.padEnd(width)}  ${v.detail}`);
  const failed = verdicts.filter((v) => !v.pass).length;
  lines.push(
    '',
    failed === 0 ? `  VERDICT: PASS (${verdicts.length} checks)` : `  VERDICT: FAIL (${failed} of ${verdicts.length} checks failed)`,
  );
  return lines.join('\n');
}
