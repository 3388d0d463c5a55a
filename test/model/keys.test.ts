import {
  importKey,
  itemBlobName,
  logPartBlobName,
  manifestBlobName,
  rawPageBlobName,
  safeSegment,
  windowLabel,
  workBlobName,
} from '../../src/model';
import { windowOfBlobName } from '../../src/pipeline/retention-references';

describe('deterministic keys', () => {
  it('gives the same import key for the same connector, conversation and version, and a new one for a new version', () => {
    expect(importKey('demo', 'c-1', '100')).toBe(importKey('demo', 'c-1', '100'));
    expect(importKey('demo', 'c-1', '100')).not.toBe(importKey('demo', 'c-1', '200'));
  });

  it('keeps hostile ids from escaping their blob path', () => {
    const name = itemBlobName('123', '../../etc/passwd', '1');
    expect(name.split('/')).toHaveLength(3);
    expect(name).not.toContain('..');
    expect(safeSegment('')).toBe('_');
    expect(safeSegment('a/b\\c\r\n')).toBe('a_b_c__');
  });

  it('numbers raw pages so they sort in page order', () => {
    expect(rawPageBlobName('demo', 'W', 2) < rawPageBlobName('demo', 'W', 10)).toBe(true);
  });

  it('keeps messaging names exactly as existing mailboxes and containers hold them', () => {
    expect(importKey('demo', 'c-1', '100')).toBe('lp-archive:demo:c-1:100');
    expect(itemBlobName('123', 'c-1', '100')).toBe('123/c-1/100.eml');
    expect(rawPageBlobName('demo', 'W', 1)).toBe('demo/W/page-00001.json');
    expect(workBlobName('demo', 'W', 1, 'routed')).toBe('demo/W/page-00001.routed.json');
    expect(manifestBlobName('demo', 'W')).toBe('demo/W.json');
    expect(logPartBlobName('demo', '2026-01-05', 'W', 1)).toBe('demo/2026-01-05/W-page-00001.csv');
    expect(importKey('demo', 'c-1', '100', 'messaging')).toBe(importKey('demo', 'c-1', '100'));
  });

  it('never gives a chat a name a messaging conversation has, even with the same id, or ids built to collide', () => {
    const label = '20260105T1000Z-20260105T1010Z';
    for (const [id, version] of [
      ['123456784294967901', '100'],
      ['chat', '100'],
      ['chat:123', '100'],
      ['chat_123', '100'],
    ] as const) {
      const messaging = [
        importKey('demo', id, version),
        itemBlobName('123', id, version),
        rawPageBlobName('demo', label, 1),
        manifestBlobName('demo', label),
        logPartBlobName('demo', '2026-01-05', label, 1),
        workBlobName('demo', label, 1, 'routed'),
      ];
      const chat = [
        importKey('demo', id, version, 'chat'),
        itemBlobName('123', id, version, 'chat'),
        rawPageBlobName('demo', label, 1, 'chat'),
        manifestBlobName('demo', label, 'chat'),
        logPartBlobName('demo', '2026-01-05', label, 1, 'chat'),
        workBlobName('demo', label, 1, 'routed', 'chat'),
      ];
      chat.forEach((name, i) => expect(name).not.toBe(messaging[i]));
    }
    // A messaging conversation whose id spells the chat key's tail cannot meet it: the prefixes differ.
    expect(importKey('demo', 'x', '1', 'chat')).toBe('lp-archive-chat:demo:x:1');
    expect(importKey('demo', 'chat:demo:x', '1')).not.toBe(importKey('demo', 'x', '1', 'chat'));
    // Item names: three segments for messaging, four for chats, whatever the ids hold.
    expect(itemBlobName('123', 'chat/x', '1').split('/')).toHaveLength(3);
    expect(itemBlobName('123', 'x', '1', 'chat')).toBe('123/chat/x/1.eml');
    // The day's log lists both sources under one day folder.
    expect(logPartBlobName('demo', '2026-01-05', label, 1, 'chat')).toBe(`demo/2026-01-05/chat-${label}-page-00001.csv`);
    // Window blobs and manifests of chats sit in their own connector folder, which no connector name can take.
    expect(manifestBlobName('demo', label, 'chat')).toBe(`chat~demo/${label}.json`);
    expect(rawPageBlobName('chat~demo', label, 1)).not.toBe(rawPageBlobName('demo', label, 1, 'chat'));
  });

  it('names chat window blobs so that retention reads their window as it reads messaging ones', () => {
    const label = windowLabel({ from: Date.UTC(2026, 0, 5, 10), to: Date.UTC(2026, 0, 5, 10, 10) });
    for (const name of [
      manifestBlobName('demo', label, 'chat'),
      rawPageBlobName('demo', label, 3, 'chat'),
      workBlobName('demo', label, 3, 'routed', 'chat'),
    ]) {
      expect(windowOfBlobName(name)).toEqual(windowOfBlobName(manifestBlobName('demo', label)));
      expect(windowOfBlobName(name)).toBeDefined();
    }
  });
});
