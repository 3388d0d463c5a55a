/**
 * Generated conversations for the in-process benches: ~20 messages each, a mix of scripts and lengths, a
 * deterministic PRNG so runs are comparable; conversation i carries one small hosted file when i % 10 === 0.
 */
import type { Conversation, DownloadedFile } from '../../src/model';

// Small deterministic PRNG so runs are comparable.
let seed = 42;
const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const TEXTS = [
  'Hello, I need help with my order.',
  'Could you check invoice 2026-11 for me? It shows a double charge and I would like a refund as soon as possible.',
  'Grüß Gott! Straße, naïve café, déjà vu.',
  'مرحبا، لدي مشكلة في الطلب رقم 123',
  'こんにちは、注文について質問があります。',
  '👋 hi! my parcel 📦 is late 😤',
  '<b>bold?</b> & "quotes"',
  'Line one\nLine two\nLine three',
];
const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', undefined];

export function makeConversation(i: number): { conv: Conversation; files: DownloadedFile[] } {
  const start = 1_795_615_200_000 + i * 60_000;
  const participants = [
    { id: `c${i}`, kind: 'consumer' as const, displayName: `Consumer ${i}`, email: `consumer${i}@example.com`, routable: true },
    { id: 'a1', kind: 'agent' as const, role: 'ASSIGNED_AGENT', displayName: 'Bob Agent', email: 'bob@contoso.com', routable: true },
    { id: 'm1', kind: 'agent' as const, role: 'MANAGER', displayName: 'Mary Manager', email: 'mary@contoso.com', routable: true },
  ];
  const withFile = i % 10 === 0;
  const messages = Array.from({ length: 20 }, (_, n) => ({
    messageId: `m${n}`,
    seq: n,
    time: start + n * 15_000,
    participantId: n % 2 === 0 ? `c${i}` : 'a1',
    senderKind: n % 2 === 0 ? ('consumer' as const) : ('agent' as const),
    type: withFile && n === 5 ? ('HOSTED_FILE' as const) : ('TEXT_PLAIN' as const),
    text: pick(TEXTS),
    ...(withFile && n === 5 ? { file: { relativePath: `/f/${i}.png` } } : {}),
  }));
  const zone = pick(ZONES);
  const conv: Conversation = {
    accountId: '12345678',
    conversationId: `bench-${i}`,
    version: String(start + 600_000),
    startTime: start,
    endTime: start + 600_000,
    status: 'CLOSE',
    closeReason: 'AGENT',
    skill: 'billing',
    channel: 'APP',
    participants,
    messages,
    transfers: [],
    surveys: [],
    partialReasons: [],
    ...(zone === undefined ? {} : { timeZone: zone }),
  };
  const files = withFile
    ? [{ relativePath: `/f/${i}.png`, fileName: `photo-${i}.png`, contentType: 'image/png', bytes: new Uint8Array(20_000).fill(i % 251) }]
    : [];
  return { conv, files };
}
