/**
 * Conversion throughput: generates conversations in memory (~20 messages each, a mix of scripts and
 * lengths, one small file in ten) and converts them with `conversationToEml`.
 * Run: npx tsx bench/convert.ts [count]   (default 10000)
 */
import { conversationToEml } from '../src/convert';
import { makeConversation } from './lib/sample-conversations';

const count = Number(process.argv[2] ?? 10_000);
if (!Number.isInteger(count) || count <= 0) {
  console.error(`count must be a positive integer, got "${process.argv[2]}"; usage: npx tsx bench/convert.ts [count]`);
  process.exit(2);
}

const inputs = Array.from({ length: count }, (_, i) => makeConversation(i));
let peakRss = process.memoryUsage().rss;
let bytes = 0;
const t0 = process.hrtime.bigint();
inputs.forEach(({ conv, files }, i) => {
  const { size } = conversationToEml(conv, { files, sourceRecord: { info: { conversationId: conv.conversationId } } });
  bytes += size;
  if (i % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const rows: [string, string][] = [
  ['command', `npx tsx bench/convert.ts ${count}`],
  ['node', process.version],
  ['conversations', String(count)],
  ['messages each', '20'],
  ['seconds', seconds.toFixed(2)],
  ['conversations/s', (count / seconds).toFixed(0)],
  ['output MB', (bytes / 1e6).toFixed(1)],
  ['MB/s', (bytes / 1e6 / seconds).toFixed(1)],
  ['avg item bytes', (bytes / count).toFixed(0)],
  ['peak RSS MB', (peakRss / 1e6).toFixed(0)],
];
const w = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
