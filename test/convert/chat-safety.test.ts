import { simpleParser } from 'mailparser';
import { conversationToEml, parseArchiveItem, X_LP_HEADERS } from '../../src/convert';
import type { Conversation } from '../../src/model';
import { fixture, topHeaders } from './fixtures';

/** Legacy chats (Engagement History) go through the same converter: the same defences, the same shape. */

const convert = (name: string, change: (c: Conversation) => Conversation = (c) => c) => {
  const f = fixture(name);
  return conversationToEml(change(f.conversation), {
    files: f.files,
    ...(f.sourceRecord === undefined ? {} : { sourceRecord: f.sourceRecord }),
  });
};

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

describe('hostile chat lines', () => {
  const { eml } = convert('28-chat-hostile');

  test('CR/LF in the visitor name, skill and end reason adds no header', () => {
    expect(topHeaders(eml).map(([n]) => n)).toEqual(EXPECTED_HEADER_NAMES);
  });

  test('injected header text stays harmless text on one line; an encoded-word lookalike is not decoded', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.from.name).toBe('Eve Bcc: attacker@evil.example');
    expect([view.from, ...view.to, ...view.cc].map((a) => a.address)).not.toContain('attacker@evil.example');
    const x = Object.fromEntries(view.xHeaders.map((h) => [h.name, h.value]));
    expect(x['x-lp-close-reason']).toBe('Rep stopped chat X-Injected: yes');
    expect(x['x-lp-skill']).toBe('=?utf-8?B?RXZpbA==?=');
  });

  test('script, iframe, img and svg from html, visitor and rich-content lines are escaped in the HTML part', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.html).not.toMatch(/<(script|iframe|img|svg)/i);
    expect(view.html).toContain('&lt;script&gt;alert(&quot;visitor&quot;)&lt;/script&gt;');
    expect(view.html).toContain('&lt;iframe src=&quot;https://evil.example/&quot;&gt;');
    expect(view.html).toContain('&lt;script&gt;alert(&quot;card&quot;)&lt;/script&gt;');
  });

  test('javascript: url lines and rich-content links are shown but never clickable; a quote cannot leave the attribute', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.html).toContain('Link: javascript:alert(document.domain)');
    expect(view.html).not.toMatch(/href="javascript/i);
    expect(view.html).not.toMatch(/onmouseover="/);
    expect(view.html.match(/<a /g) ?? []).toHaveLength(0);
  });

  test('a boundary lookalike in a line does not split the message', async () => {
    const parsed = await simpleParser(eml);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['conversation-123456784294967902.json']);
    expect(parsed.text).toContain('  --lp_mixed_0000');
    expect(parsed.html).not.toMatch(/<script/i);
  });

  test('the pre-chat address is named as not routable, from the pre-chat survey', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.text).toContain('ceo@contoso.com (not routable, from pre-chat-survey)');
  });
});

describe('a chat looks like any archived conversation but for its channel line', () => {
  const chat = convert('27-chat-transfer-surveys');
  const asMessaging = convert('27-chat-transfer-surveys', (c) => {
    const { source: _source, extraFacts: _facts, ...rest } = c;
    return { ...rest, channel: 'SHARK' };
  });

  test('same header fields in the same order, same subject pattern', async () => {
    expect(topHeaders(chat.eml).map(([n]) => n)).toEqual(topHeaders(asMessaging.eml).map(([n]) => n));
    expect(chat.subject).toBe('LivePerson conversation · CHAT · Jane · 2026-03-02 09:30 UTC');
    expect(asMessaging.subject).toBe('LivePerson conversation · SHARK · Jane · 2026-03-02 09:30 UTC');
    const view = await parseArchiveItem(chat.eml);
    expect(view.xHeaders.find((h) => h.name === 'x-lp-conversation-id')?.value).toBe('123456784294967901'); // the engagement id
    expect(view.xHeaders.find((h) => h.name === 'x-lp-channel')?.value).toBe('CHAT');
  });

  test('the same transcript, with the chat’s extra facts after the common ones', async () => {
    const c = await parseArchiveItem(chat.eml);
    const m = await parseArchiveItem(asMessaging.eml);
    // The fact table pads labels to its longest one; compare without the padding and the chat-only facts.
    const unpadded = (t: string) => t.replace(/^([A-Z][a-z]+(?: [a-zA-Z]+)*): +/gm, '$1: ');
    const withoutFacts = (t: string) => t.replace(/^(Start reason|End reason code|Visitor \w+( \w+)?|Chat start page|Campaign):.*\n/gm, '');
    expect(unpadded(withoutFacts(c.text)).replace('Channel: CHAT', '')).toBe(unpadded(m.text).replace('Channel: SHARK', ''));
    expect(c.text).toContain('Visitor location:   Berlin, Berlin, Germany');
    expect(c.attachments.map((a) => a.filename)).toEqual(m.attachments.map((a) => a.filename));
  });

  test('but never the Message-ID of a messaging conversation with the same id and version', () => {
    expect(chat.messageId).toBe('<lp.chat.12345678.123456784294967901.1772443800000@lp-archive.local>');
    expect(asMessaging.messageId).toBe('<lp.12345678.123456784294967901.1772443800000@lp-archive.local>');
  });
});
