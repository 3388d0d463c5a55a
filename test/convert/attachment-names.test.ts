import { conversationToEml, parseArchiveItem } from '../../src/convert';
import { hostedFileName } from '../../src/liveperson/hosted-file-name';
import { loadFixtures } from './fixtures';

describe('attachment names: as the user sent them, unique within an item', () => {
  it.each([
    ['/v1/AUTH_async-images/12345678/5d0c3b8e-9a41-4e0f-8c2b-7f3e2a1d9b64_statement.pdf', 'statement.pdf'],
    ['/v1/AUTH_async-images/12345678/5D0C3B8E9A414E0F8C2B7F3E2A1D9B64_Scan 2026-03.JPG', 'Scan 2026-03.JPG'],
    // Only LivePerson's unique prefix goes: a name that starts like an id of its own keeps it.
    ['/v1/AUTH_async-images/12345678/5d0c3b8e-9a41-4e0f-8c2b-7f3e2a1d9b64_2026_report.pdf', '2026_report.pdf'],
    ['/v1/AUTH_async-images/12345678/cafe_menu.pdf', 'cafe_menu.pdf'],
    // Nothing left but an extension: the stored name stays whole.
    ['/v1/AUTH_async-images/12345678/5d0c3b8e-9a41-4e0f-8c2b-7f3e2a1d9b64_.png', '5d0c3b8e-9a41-4e0f-8c2b-7f3e2a1d9b64_.png'],
  ])('%s → %s', (relativePath, expected) => {
    expect(hostedFileName({ relativePath })).toBe(expected);
  });

  it('numbers files of the same name (ignoring case) before the extension, and never takes the source record name', async () => {
    const fixture = loadFixtures().find((f) => f.name === '04-files-attached')!;
    const conv = fixture.conversation;
    const file = fixture.files[0]!;
    const files = [
      { ...file, fileName: 'statement.pdf' },
      { ...file, fileName: 'Statement.PDF' },
      { ...file, fileName: 'statement.pdf' },
      { ...file, fileName: `conversation-${conv.conversationId}.json` },
    ];
    const item = conversationToEml(conv, { files, sourceRecord: { info: { conversationId: conv.conversationId } } });
    const names = (await parseArchiveItem(item.eml)).attachments.map((a) => a.filename);
    expect(names).toEqual([
      'statement.pdf',
      'Statement (2).PDF',
      'statement (3).pdf',
      `conversation-${conv.conversationId} (2).json`,
      `conversation-${conv.conversationId}.json`,
    ]);
  });
});
