import { ArchiveItemParseError, conversationToEml, ConvertError, parseArchiveItem } from '../../src/convert';
import type { Conversation } from '../../src/model';
import { fixture } from './fixtures';

const base = (): Conversation => fixture('01-basic-app').conversation;

describe('conversationToEml refuses what cannot become an item, naming the field', () => {
  test.each([
    ['conversationId', { conversationId: '' }],
    ['accountId', { accountId: '' }],
    ['version', { version: 'x'.repeat(201) }],
    ['endTime', { endTime: Number.NaN }],
  ] as const)('%s', (field, patch) => {
    const conv = { ...base(), ...patch };
    expect(() => conversationToEml(conv)).toThrow(ConvertError);
    try {
      conversationToEml(conv);
    } catch (err) {
      expect((err as ConvertError).code).toBe('INVALID_CONVERSATION');
      expect((err as ConvertError).field).toBe(field);
      expect((err as Error).message).toContain(field);
    }
  });

  test('a messageIdDomain that is not a hostname', () => {
    expect(() => conversationToEml(base(), { messageIdDomain: 'bad domain>\r\nX: y' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'messageIdDomain' }),
    );
  });

  test('a source record that is not JSON (cycle, BigInt)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => conversationToEml(base(), { sourceRecord: cyclic })).toThrow(expect.objectContaining({ code: 'UNSERIALISABLE_SOURCE' }));
    expect(() => conversationToEml(base(), { sourceRecord: 10n })).toThrow(expect.objectContaining({ code: 'UNSERIALISABLE_SOURCE' }));
  });

  test('an unknown message type or missing participant still converts', () => {
    const conv = base();
    const odd = { ...conv, messages: [{ ...conv.messages[0]!, type: 'NEW_TYPE' as never, participantId: 'ghost' }] };
    const { eml } = conversationToEml(odd);
    expect(eml.length).toBeGreaterThan(0);
  });
});

describe('parseArchiveItem', () => {
  test('refuses an item without a Message-ID', async () => {
    const eml = Buffer.from('From: a@b.example\r\nDate: Wed, 25 Nov 2026 14:20:00 +0000\r\n\r\nbody\r\n');
    await expect(parseArchiveItem(eml)).rejects.toThrow(ArchiveItemParseError);
    await expect(parseArchiveItem(eml)).rejects.toMatchObject({ field: 'Message-ID' });
  });

  test('refuses an item without a From address', async () => {
    const eml = Buffer.from('Message-ID: <x@y.example>\r\nDate: Wed, 25 Nov 2026 14:20:00 +0000\r\n\r\nbody\r\n');
    await expect(parseArchiveItem(eml)).rejects.toMatchObject({ field: 'From' });
  });

  test('refuses an item without a Date', async () => {
    const eml = Buffer.from('Message-ID: <x@y.example>\r\nFrom: a@b.example\r\n\r\nbody\r\n');
    await expect(parseArchiveItem(eml)).rejects.toMatchObject({ field: 'Date' });
  });
});
