import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { archiveMessageId, conversationToEml, parseArchiveItem, X_LP_HEADERS, type ArchiveItemView } from '../../src/convert';
import { safeMediaType } from '../../src/convert/attachments';
import { cleanBodyText } from '../../src/convert/text-clean';
import { sourceOf, type Participant } from '../../src/model';
import { escaped, GOLDEN_DIR, loadFixtures, wireProblems, type Fixture } from './fixtures';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const fixtures = loadFixtures();

// A deliberately simpler rule than the implementation's: plain ASCII local@domain.tld without separators.
const plainAddress = (e: string | undefined): e is string =>
  e !== undefined && /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(e);
const utcStamp = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
const localStamp = (ms: number, zone: string): string =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(ms);
const knownZone = (z: string | undefined): z is string => {
  if (z === undefined) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
};

test('there are at least 20 fixture conversations', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(20);
});

describe.each(fixtures)('fixture $name', (f: Fixture) => {
  const conv = f.conversation;
  const item = conversationToEml(conv, { files: f.files, ...(f.sourceRecord === undefined ? {} : { sourceRecord: f.sourceRecord }) });
  const goldenPath = join(GOLDEN_DIR, `${f.name}.eml`);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(goldenPath, item.eml);
  }
  let view: ArchiveItemView;
  beforeAll(async () => {
    view = await parseArchiveItem(existsSync(goldenPath) ? readFileSync(goldenPath) : item.eml);
  });

  test('matches its golden .eml byte for byte (regenerate with UPDATE_GOLDEN=1)', () => {
    expect(existsSync(goldenPath)).toBe(true);
    expect(item.eml.equals(readFileSync(goldenPath))).toBe(true);
  });

  test('is 7-bit, CRLF only, with no line over 998 octets', () => {
    expect(wireProblems(item.eml)).toEqual([]);
    expect(item.size).toBe(item.eml.length);
  });

  test('parses back to its Message-ID, subject, date and X-LP headers', () => {
    expect(view.messageId).toBe(archiveMessageId(conv.accountId, conv.conversationId, conv.version, undefined, sourceOf(conv)));
    expect(view.messageId).toBe(item.messageId);
    expect(view.subject).toBe(item.subject);
    expect(view.subject).toMatch(/^LivePerson conversation · /);
    expect(view.date).toBe(conv.endTime);
    expect(view.xHeaders.map((h) => h.name)).toEqual(X_LP_HEADERS.map((h) => h.toLowerCase()));
    const x = Object.fromEntries(view.xHeaders.map((h) => [h.name, h.value]));
    expect(x['x-lp-conversation-id']).toBe(conv.conversationId);
    expect(x['x-lp-version']).toBe(conv.version);
    expect(x['x-lp-account-id']).toBe(conv.accountId);
    expect(x['x-lp-archiver']).toBe('lp-archive');
    expect(x['x-lp-partial']).toEqual(
      conv.partialReasons.length === 0 ? 'no' : expect.stringContaining(conv.partialReasons[0]!.slice(0, 50)),
    );
  });

  test('parses back to the same participants: consumer in From, agents and bots in To, others in Cc', () => {
    const consumer = conv.participants.find((p) => p.kind === 'consumer');
    const sender: Participant | undefined = consumer ?? conv.participants[0];
    if (sender !== undefined && plainAddress(sender.email)) expect(view.from.address).toBe(sender.email);
    else expect(view.from.address).toMatch(/@lp-archive\.local$/);
    const all = [view.from, ...view.to, ...view.cc].map((a) => a.address.toLowerCase());
    expect(new Set(all).size).toBe(all.length); // each address once
    const expected = new Set(
      conv.participants
        .map((p) => p.email)
        .filter(plainAddress)
        .map((e) => e.toLowerCase()),
    );
    for (const e of expected) expect(all).toContain(e);
    for (const a of all) expect(expected.has(a) || a.endsWith('@lp-archive.local')).toBe(true);
    for (const p of conv.participants) {
      if (p === sender || !plainAddress(p.email)) continue;
      const inTo = view.to.some((a) => a.address.toLowerCase() === p.email!.toLowerCase());
      const isAddressee = (p.kind === 'agent' || p.kind === 'bot') && !/MANAGER/.test(p.role ?? '');
      if (isAddressee && p.email.toLowerCase() !== view.from.address.toLowerCase()) {
        // an address shared with an earlier participant is used once, where it first appeared
        const first = conv.participants.find((q) => q.email?.toLowerCase() === p.email!.toLowerCase());
        if (first === p) expect(inTo).toBe(true);
      }
    }
  });

  test('text part names every participant and carries every message with its times', () => {
    for (const p of conv.participants) expect(view.text).toContain(`id ${p.id}`);
    for (const m of conv.messages) {
      for (const line of cleanBodyText(m.text).split('\n')) expect(view.text).toContain(`  ${line}`);
      expect(view.text).toContain(utcStamp(m.time));
      if (knownZone(conv.timeZone)) expect(view.text).toContain(localStamp(m.time, conv.timeZone));
    }
    if (conv.partialReasons.length > 0) expect(view.text).toContain('THIS ARCHIVE ITEM IS INCOMPLETE');
    for (const s of conv.surveys) expect(view.text).toContain(`  ${cleanBodyText(s.answer).split('\n')[0]!}`);
  });

  test('HTML part is UTF-8, carries every message text escaped, and no raw markup from input', () => {
    expect(view.html).toContain('<meta charset="utf-8">');
    for (const m of conv.messages)
      if (m.text.length > 0)
        expect(view.html).toContain(`<div dir="auto" style="white-space:pre-wrap">${escaped(cleanBodyText(m.text))}</div>`);
    expect(view.html).not.toMatch(/<(script|iframe|img|svg)/i);
    if (conv.partialReasons.length > 0) expect(view.html).toContain('role="alert"');
  });

  test('attachments come back byte-identical, the source record as JSON', () => {
    const expectedCount = f.files.length + (f.sourceRecord === undefined ? 0 : 1);
    expect(view.attachments).toHaveLength(expectedCount);
    f.files.forEach((file, i) => {
      const a = view.attachments[i]!;
      expect(Buffer.compare(a.content, Buffer.from(file.bytes))).toBe(0);
      expect(a.filename.length).toBeGreaterThan(0);
      // eslint-disable-next-line no-control-regex -- asserting control characters are absent
      expect(a.filename).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
      expect(view.text).toContain(a.filename);
      const declared = safeMediaType(file.contentType);
      if (declared !== 'application/octet-stream') expect(a.contentType).toBe(declared);
    });
    if (f.sourceRecord !== undefined) {
      const json = view.attachments[f.files.length]!;
      expect(json.filename).toBe(`conversation-${conv.conversationId}.json`);
      expect(json.contentType).toBe('application/json');
      expect(JSON.parse(json.content.toString('utf8'))).toEqual(f.sourceRecord);
    }
  });
});
