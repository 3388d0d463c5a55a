import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { conversationToEml, parseArchiveItem, X_LP_HEADERS } from '../../src/convert';
import { cleanBodyText } from '../../src/convert/text-clean';
import type { Conversation, DownloadedFile, Participant } from '../../src/model';
import { topHeaders, wireProblems } from './fixtures';

const EXPECTED_HEADER_NAMES = [
  'date',
  'from',
  'to',
  'cc',
  'message-id',
  'subject',
  'mime-version',
  ...X_LP_HEADERS.map((h) => h.toLowerCase()),
  'content-type',
];

// Pieces an attacker or a careless integration would send, mixed with arbitrary Unicode.
const hostile = fc.constantFrom(
  '\r\n',
  '\n',
  '\r',
  '\r\nBcc: x@evil.example',
  '"',
  "'",
  '<script>alert(1)</script>',
  '<SCRIPT src=x>',
  '=?utf-8?q?x?=',
  '=?utf-8?B?PHNjcmlwdD4=?=',
  '\u202Eevil',
  '\u200F',
  'مرحبا',
  'שלום',
  '👨‍👩‍👧',
  '\u0000',
  '\u0085',
  '\u2028',
  '--lp_mixed_',
  'A'.repeat(1200),
  '\\',
  '<',
  '>',
  '&',
  '; filename="x"',
);
const text = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), hostile), { maxLength: 6 }).map((parts) => parts.join(''));
const optText = fc.option(text, { nil: undefined });
const email = fc.oneof(
  fc.constant(undefined),
  fc.constant('ok.person@contoso.com'),
  text,
  text.map((t) => `${t}@contoso.com`),
);

const participant = (i: number): fc.Arbitrary<Participant> =>
  fc
    .record({
      kind: fc.constantFrom('consumer', 'agent', 'bot', 'system'),
      role: fc.option(fc.constantFrom('ASSIGNED_AGENT', 'MANAGER', 'AGENT'), { nil: undefined }),
      displayName: text,
      email,
    })
    .map((p) => ({
      id: `p${i}`,
      kind: p.kind,
      displayName: p.displayName,
      routable: true,
      ...(p.role ? { role: p.role } : {}),
      ...(p.email === undefined ? {} : { email: p.email }),
    }));

const conversation: fc.Arbitrary<{ conv: Conversation; files: DownloadedFile[] }> = fc
  .record({
    participants: fc.tuple(participant(0), participant(1), participant(2)).chain((ps) => fc.subarray(ps)),
    texts: fc.array(text, { maxLength: 5 }),
    channel: optText,
    skill: optText,
    closeReason: optText,
    summary: optText,
    partialReasons: fc.array(text, { maxLength: 2 }),
    fileNames: fc.array(text, { maxLength: 2 }),
    timeZone: fc.option(fc.constantFrom('Europe/Paris', 'Asia/Kolkata', 'America/New_York', 'Not/AZone', ''), { nil: undefined }),
  })
  .map((r) => {
    const conv: Conversation = {
      accountId: '12345678',
      conversationId: 'prop-conv',
      version: '1795616400000',
      startTime: 1795615200000,
      endTime: 1795616400000,
      status: 'CLOSE',
      participants: r.participants,
      messages: r.texts.map((t, i) => ({
        messageId: `m${i}`,
        seq: i,
        time: 1795615200000 + i * 1000,
        participantId: r.participants[i % Math.max(1, r.participants.length)]?.id ?? 'nobody',
        senderKind: 'consumer',
        type: i % 3 === 0 ? 'LINK' : 'TEXT_PLAIN',
        text: t,
        ...(i % 3 === 0 ? { link: t } : {}),
      })),
      transfers: [],
      surveys: [],
      partialReasons: r.partialReasons,
      ...(r.channel === undefined ? {} : { channel: r.channel }),
      ...(r.skill === undefined ? {} : { skill: r.skill }),
      ...(r.closeReason === undefined ? {} : { closeReason: r.closeReason }),
      ...(r.summary === undefined ? {} : { summary: r.summary }),
      ...(r.timeZone === undefined ? {} : { timeZone: r.timeZone }),
    };
    const files = r.fileNames.map((fileName, i) => ({
      relativePath: `/f/${i}`,
      fileName,
      contentType: fileName,
      bytes: new Uint8Array([i, 13, 10, 255]),
    }));
    return { conv, files };
  });

const RUNS = { numRuns: 150 };

test('any names and texts give a message that parses back, with every text in the text part', async () => {
  await fc.assert(
    fc.asyncProperty(conversation, async ({ conv, files }) => {
      const item = conversationToEml(conv, { files, sourceRecord: { any: conv.messages.map((m) => m.text) } });
      const view = await parseArchiveItem(item.eml);
      expect(view.messageId).toBe(item.messageId);
      expect(view.date).toBe(conv.endTime);
      for (const m of conv.messages) for (const line of cleanBodyText(m.text).split('\n')) expect(view.text).toContain(`  ${line}`);
      expect(view.attachments).toHaveLength(files.length + 1);
      files.forEach((f, i) => expect(Buffer.compare(view.attachments[i]!.content, Buffer.from(f.bytes))).toBe(0));
    }),
    RUNS,
  );
});

test('the set of header names never depends on the input', () => {
  fc.assert(
    fc.property(conversation, ({ conv, files }) => {
      expect(topHeaders(conversationToEml(conv, { files }).eml).map(([n]) => n)).toEqual(EXPECTED_HEADER_NAMES);
    }),
    RUNS,
  );
});

test('no raw <script reaches the HTML part', async () => {
  await fc.assert(
    fc.asyncProperty(conversation, async ({ conv, files }) => {
      const parsed = await simpleParser(conversationToEml(conv, { files }).eml);
      expect(typeof parsed.html).toBe('string');
      expect(parsed.html as string).not.toMatch(/<script/i);
    }),
    RUNS,
  );
});

test('no header value holds a bare CR or LF, the message is 7-bit and no line exceeds 998 octets', () => {
  fc.assert(
    fc.property(conversation, ({ conv, files }) => {
      const { eml } = conversationToEml(conv, { files });
      expect(wireProblems(eml)).toEqual([]);
      for (const [, value] of topHeaders(eml)) expect(value).not.toMatch(/[\r\n]/);
    }),
    RUNS,
  );
});
