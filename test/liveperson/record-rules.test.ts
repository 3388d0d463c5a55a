import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedRecordError } from '../../src/liveperson/errors';
import { usersById, type NormalizeContext } from '../../src/liveperson/normalize';
import { SOURCE_RECORD_RULES } from '../../src/liveperson/record-rules';
import { sourceOf } from '../../src/model';

const read = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../fixtures/liveperson', name), 'utf8'));
const ctx: NormalizeContext = { accountId: '12345678', users: usersById([]), allowUnauthenticatedSdeRouting: false };

describe('the record rules of each source', () => {
  const mi = read('mi-record-closed.json');
  const eh = read('eh-record-transfer.json');

  it('find each record’s id where its source puts it', () => {
    expect(SOURCE_RECORD_RULES.messaging.recordId(mi)).toBe('0b7f3c1e-5a2d-4e8f-9c61-2f4d8a9b7e10');
    expect(SOURCE_RECORD_RULES.chat.recordId(eh)).toBe('123456784294967901');
    expect(SOURCE_RECORD_RULES.chat.recordId(mi)).toBe('');
    expect(SOURCE_RECORD_RULES.messaging.recordId(null)).toBe('');
  });

  it('normalise into conversations that say which source they came from', () => {
    expect(sourceOf(SOURCE_RECORD_RULES.messaging.normalize(mi, ctx))).toBe('messaging');
    expect(sourceOf(SOURCE_RECORD_RULES.chat.normalize(eh, ctx))).toBe('chat');
  });

  it('refuse a record of the other source loudly instead of archiving it under the wrong one', () => {
    expect(() => SOURCE_RECORD_RULES.messaging.normalize(eh, ctx)).toThrow(MalformedRecordError);
    expect(() => SOURCE_RECORD_RULES.chat.normalize(mi, ctx)).toThrow(MalformedRecordError);
  });
});
