import { simpleParser } from 'mailparser';
import { conversationToEml, parseArchiveItem, X_LP_HEADERS } from '../../src/convert';
import { fixture, topHeaders } from './fixtures';

const convert = (name: string) => {
  const f = fixture(name);
  return conversationToEml(f.conversation, { files: f.files, ...(f.sourceRecord === undefined ? {} : { sourceRecord: f.sourceRecord }) });
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

describe('header injection', () => {
  const { eml } = convert('14-hostile-headers');

  test('CR/LF in names, channel, skill and close reason adds no header', () => {
    expect(topHeaders(eml).map(([n]) => n)).toEqual(EXPECTED_HEADER_NAMES);
  });

  test('an address carrying CR/LF is not used; the consumer gets a synthetic From', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.from.address).toBe('consumer-c-100@lp-archive.local');
    expect(view.from.name).toBe('Jane Bcc: attacker@evil.example');
    const all = [view.from, ...view.to, ...view.cc].map((a) => a.address);
    expect(all).not.toContain('attacker@evil.example');
  });

  test('a display name that looks like a mailbox list stays one name on the real address', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.to).toEqual([{ name: '"Bob" <bob@evil.example>, =?utf-8?q?Admin?=', address: 'bob.agent@contoso.com' }]);
  });

  test('an encoded-word lookalike in input is shown literally, not decoded', async () => {
    const view = await parseArchiveItem(eml);
    expect(view.cc).toEqual([{ name: '=?utf-8?B?RXZpbA==?=', address: 'mary@contoso.com' }]);
  });

  test('header values keep the injected text as harmless text on one line', async () => {
    const view = await parseArchiveItem(eml);
    const x = Object.fromEntries(view.xHeaders.map((h) => [h.name, h.value]));
    expect(x['x-lp-channel']).toBe('APP Bcc: attacker@evil.example');
    expect(x['x-lp-skill']).toBe('billing X-Injected: yes');
    expect(x['x-lp-close-reason']).toBe('AGENT <html>body</html>');
  });

  test('a boundary lookalike in a message text does not split the message', async () => {
    const parsed = await simpleParser(eml);
    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.text).toContain('  --lp_mixed_0000');
    expect(parsed.html).not.toMatch(/<script/i);
  });
});

describe('markup injection', () => {
  test('script, iframe, img and svg from input are escaped in the HTML part', async () => {
    const view = await parseArchiveItem(convert('15-hostile-html').eml);
    expect(view.html).not.toMatch(/<(script|iframe|img|svg)/i);
    expect(view.html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(view.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('a javascript: link is shown but never clickable; a link with a quote cannot leave its attribute', async () => {
    const view = await parseArchiveItem(convert('15-hostile-html').eml);
    expect(view.html).toContain('Link: javascript:alert(document.domain)');
    expect(view.html).not.toMatch(/href="javascript/i);
    expect(view.html).not.toMatch(/href="[^"]*"onmouseover/);
    expect(view.html.match(/<a /g) ?? []).toHaveLength(0);
  });

  test('a web link is clickable with its query string escaped', async () => {
    const view = await parseArchiveItem(convert('03-all-message-types').eml);
    expect(view.html).toContain('<a href="https://contoso.com/returns?lang=en&amp;x=1">');
  });
});

describe('file names', () => {
  test('are reduced to a safe last segment; non-ASCII names survive through RFC 2231', async () => {
    const view = await parseArchiveItem(convert('21-hostile-filenames').eml);
    expect(view.attachments.map((a) => a.filename)).toEqual([
      'passwd',
      'invoicefdp.exe',
      'con_name_____.txt',
      'html.txt',
      'rapport été 2026 — 報告.pdf',
      '6',
    ]);
  });

  test('a multipart or malformed content type is attached as application/octet-stream, bytes intact', async () => {
    const { eml } = convert('21-hostile-filenames');
    const view = await parseArchiveItem(eml);
    expect(view.attachments[5]!.content.toString('latin1')).toBe('--x\r\nnot a part\r\n--x--\r\n');
    expect(eml.toString('latin1')).not.toContain('X-Evil');
  });

  test('a very long file name is cut, keeping its extension', async () => {
    const view = await parseArchiveItem(convert('16-long-lines').eml);
    const name = view.attachments[0]!.filename;
    expect(Array.from(name).length).toBeLessThanOrEqual(150);
    expect(name.endsWith('.txt')).toBe(true);
  });
});

describe('control characters', () => {
  test('never reach a header; in bodies they become U+FFFD and lone CRs become line breaks', async () => {
    const view = await parseArchiveItem(convert('22-control-chars').eml);
    // eslint-disable-next-line no-control-regex -- asserting control characters are absent
    for (const a of [view.from, ...view.to]) expect(a.name).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    expect(view.from.name).toBe('Ja ne D.'); // each control became a space, runs collapsed
    expect(view.text).toContain('  nul\uFFFD bell\uFFFD esc\uFFFD[31m red');
    expect(view.text).toContain('  old mac\n  line ends\n  windows\n  unix');
  });
});

describe('right-to-left text', () => {
  test('names are isolated and text blocks carry dir="auto"', async () => {
    const view = await parseArchiveItem(convert('10-rtl').eml);
    expect(view.from.name).toBe('محمد عبد الله');
    expect(view.text).toContain('\u2068محمد عبد الله\u2069');
    expect(view.html).toContain('<bdi>דוד כהן</bdi>');
    expect(view.html).toContain('<div dir="auto" style="white-space:pre-wrap">مرحبا، لدي مشكلة في الطلب رقم 123</div>');
  });
});

describe('determinism', () => {
  test('the same conversation gives the same bytes; another version gets another Message-ID and boundaries', () => {
    const a = convert('12-reopened-v1');
    expect(convert('12-reopened-v1').eml.equals(a.eml)).toBe(true);
    const b = convert('13-reopened-v2');
    expect(b.messageId).not.toBe(a.messageId);
    const boundary = (eml: Buffer) => /boundary=(\S+)/.exec(eml.toString('latin1'))?.[1];
    expect(boundary(b.eml)).not.toBe(boundary(a.eml));
  });

  test('the Message-ID is built from account, conversation and version', () => {
    expect(convert('13-reopened-v2').messageId).toBe('<lp.12345678.5f1c0a1e-0012-4d6e-9a01-000000000012.1795620900000@lp-archive.local>');
  });

  test('a custom messageIdDomain is used for the Message-ID and synthetic addresses', async () => {
    const f = fixture('02-no-consumer-email');
    const item = conversationToEml(f.conversation, { messageIdDomain: 'archive.contoso.com' });
    expect(item.messageId).toMatch(/@archive\.contoso\.com>$/);
    expect((await parseArchiveItem(item.eml)).from.address).toBe('consumer-c-100@archive.contoso.com');
  });
});

describe('recipients', () => {
  test('with no address anywhere, To and Cc are the empty group and still present', async () => {
    const { eml } = convert('23-no-addresses');
    const headers = Object.fromEntries(topHeaders(eml));
    expect(headers.to).toBe('undisclosed-recipients:;');
    expect(headers.cc).toBe('undisclosed-recipients:;');
    const view = await parseArchiveItem(eml);
    expect(view.to).toEqual([]);
    expect(view.cc).toEqual([]);
  });

  test('managers are copied, agents and bots addressed', async () => {
    const view = await parseArchiveItem(convert('06-many-participants').eml);
    expect(view.to.map((a) => a.address)).toEqual([
      'bob.agent@contoso.com',
      'carl@contoso.com',
      'dina@contoso.com',
      'helper.bot@contoso.com',
    ]);
    expect(view.cc.map((a) => a.address)).toEqual(['mary.m@contoso.com', 'max@contoso.com']);
  });

  test('without a consumer the first participant is the sender', async () => {
    const view = await parseArchiveItem(convert('08-no-consumer').eml);
    expect(view.from).toEqual({ name: 'Bob Agent', address: 'bob.agent@contoso.com' });
    expect(view.subject).toBe('LivePerson conversation · unknown channel · Bob Agent · 2026-11-25 14:20 UTC');
  });

  test('addresses that cannot go in a header are named in the transcript instead', async () => {
    const view = await parseArchiveItem(convert('26-unusable-addresses').eml);
    expect(view.from.address).toBe('consumer-c-100@lp-archive.local');
    expect(view.text).toContain('jöhn@exämple.com (routable, from authenticated-sde, not usable as an e-mail address)');
  });
});

describe('transcript content', () => {
  test('the subject names channel, consumer and end time', () => {
    expect(convert('01-basic-app').subject).toBe('LivePerson conversation · APP · Jane D. · 2026-11-25 14:20 UTC');
  });

  test('times are shown in UTC and in the conversation time zone', async () => {
    const view = await parseArchiveItem(convert('09-unicode-names').eml);
    expect(view.text).toContain('[2026-11-25 14:01:00 UTC | 2026-11-25 23:01:00 GMT+9]');
  });

  test('an unknown time zone is named and times stay in UTC', async () => {
    const view = await parseArchiveItem(convert('19-invalid-timezone').eml);
    expect(view.text).toContain('Mars/Olympus_Mons (not recognised; times in UTC only)');
    expect(view.text).toContain('[2026-11-25 14:01:00 UTC] ');
  });

  test('files say whether they are attached or why not; the partial notice is visible', async () => {
    const partial = await parseArchiveItem(convert('05-file-missing-partial').eml);
    expect(partial.text).toContain(
      'File: \u2068statement.pdf\u2069 (not available: file /f/statement.pdf could not be downloaded: HTTP 404 from the file service)',
    );
    expect(partial.html).toContain('This archive item is incomplete');
    const attached = await parseArchiveItem(convert('03-all-message-types').eml);
    expect(attached.text).toContain('File: \u2068receipt.pdf\u2069 (attached as receipt.pdf)');
  });

  test('transfers sit in the timeline; survey and summary follow', async () => {
    const view = await parseArchiveItem(convert('17-transfers-survey-summary').eml);
    const t = view.text;
    expect(t.indexOf('Transferred from skill general to skill billing')).toBeGreaterThan(t.indexOf('refund please'));
    expect(t.indexOf('Transferred from skill general to skill billing')).toBeLessThan(t.indexOf('Billing here.'));
    expect(t).toContain('Transferred from agent Bob Agent to agent Carl Second (reason: Agent)');
    expect(t).toContain('to agent agent unknown-agent-9');
    expect(t).toContain('Q (CSAT):\n  How satisfied are you?\nA:\n  5 - very satisfied');
    expect(t).toContain('Summary\n-------\n  Consumer asked for a refund.');
  });

  test('message types and private messages are labelled', async () => {
    const view = await parseArchiveItem(convert('03-all-message-types').eml);
    expect(view.text).toContain('[HTML message, shown as source]');
    expect(view.text).toContain('[rich content, as text]');
    expect(view.text).toContain('[secure form invitation]');
    expect(view.text).toContain('[private: visible to AGENTS_AND_MANAGERS]');
  });
});
