/**
 * Memory of large items through convert and import, without the stack: converts conversations carrying one
 * hosted file (2.5 MB and 5 MB, alternately) one after the other, and in `both` mode also builds each one's
 * Graph create from the sealed bytes, as the import does. Prints the peak RSS above the process's own.
 * Run: npx tsx bench/large-items.ts [convert|both] [count]   (defaults: both 40)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { importMessageFromItem } from '../src/activities/import-message';
import { conversationToEml } from '../src/convert';
import { buildCreateBody, planAttachments } from '../src/graph/message-json';
import type { Conversation } from '../src/model';

const mode = process.argv[2] ?? 'both';
const count = Number(process.argv[3] ?? 40);
if (!['convert', 'both'].includes(mode) || !Number.isInteger(count) || count <= 0) {
  console.error(`usage: npx tsx bench/large-items.ts [convert|both] [count]; got "${process.argv.slice(2).join(' ')}"`);
  process.exit(2);
}

/** Peak resident set of this process so far (the kernel's VmHWM), MB. */
const peakMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

function conversation(i: number): Conversation {
  const start = 1_795_615_200_000 + i * 60_000;
  return {
    accountId: '12345678',
    conversationId: `large-${i}`,
    version: String(start + 600_000),
    startTime: start,
    endTime: start + 600_000,
    status: 'CLOSE',
    closeReason: 'AGENT',
    skill: 'billing',
    channel: 'APP',
    participants: [
      { id: 'c', kind: 'consumer', displayName: 'Consumer', email: 'consumer@example.com', routable: true },
      { id: 'a', kind: 'agent', role: 'ASSIGNED_AGENT', displayName: 'Agent', email: 'agent@contoso.com', routable: true },
    ],
    messages: Array.from({ length: 20 }, (_, n) => ({
      messageId: `m${n}`,
      seq: n,
      time: start + n * 15_000,
      participantId: n % 2 ? 'a' : 'c',
      senderKind: n % 2 ? ('agent' as const) : ('consumer' as const),
      type: n === 5 ? ('HOSTED_FILE' as const) : ('TEXT_PLAIN' as const),
      text: 'Could you check invoice 2026-11 for me?',
      ...(n === 5 ? { file: { relativePath: `/f/${i}.bin` } } : {}),
    })),
    transfers: [],
    surveys: [],
    partialReasons: [],
  };
}

async function main(): Promise<void> {
  const before = peakMb();
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const file = { relativePath: `/f/${i}.bin`, fileName: `file-${i}.bin`, contentType: 'application/octet-stream', bytes: randomBytes(i % 2 ? 5_000_000 : 2_500_000) };
    const { eml } = conversationToEml(conversation(i), { files: [file], sourceRecord: { i } });
    bytes += eml.length;
    if (mode === 'convert') continue;
    const msg = await importMessageFromItem(Readable.from([eml]), `bench-${i}`);
    const plan = planAttachments(msg);
    JSON.stringify(buildCreateBody(msg, plan.inline));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows: [string, string][] = [
    ['command', `npx tsx bench/large-items.ts ${mode} ${count}`],
    ['node', process.version],
    ['items', `${count} (one 2.5 or 5 MB file each)`],
    ['item MB in all', (bytes / 2 ** 20).toFixed(0)],
    ['seconds', seconds.toFixed(2)],
    ['peak RSS before, MB', before.toFixed(0)],
    ['peak RSS after, MB', peakMb().toFixed(0)],
    ['peak RSS added, MB', (peakMb() - before).toFixed(0)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

void main();
