/**
 * Memory of large items through convert and import, without the stack: converts conversations carrying one
 * hosted file (2.5 MB and 5 MB, alternately) one after the other, and in `both` mode also builds each one's
 * Graph requests from the sealed bytes, as the import does. Prints the peak RSS above the process's own.
 * Run: npx tsx bench/large-items.ts [convert|both] [count]   (defaults: both 40)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { conversationToEml } from '../src/convert';
import { buildImportRequests } from './lib/import-requests';
import { makeConversation } from './lib/sample-conversations';

const mode = process.argv[2] ?? 'both';
const count = Number(process.argv[3] ?? 40);
if (!['convert', 'both'].includes(mode) || !Number.isInteger(count) || count <= 0) {
  console.error(`usage: npx tsx bench/large-items.ts [convert|both] [count]; got "${process.argv.slice(2).join(' ')}"`);
  process.exit(2);
}

/** Peak resident set of this process so far (the kernel's VmHWM), MB. */
const peakMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

async function main(): Promise<void> {
  const before = peakMb();
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    // Every tenth generated conversation has a hosted file: keep its reference, make the file large.
    const { conv, files } = makeConversation(i * 10);
    const large = files.map((f) => ({ ...f, bytes: randomBytes(i % 2 ? 5_000_000 : 2_500_000) }));
    const { eml } = conversationToEml(conv, { files: large, sourceRecord: { i } });
    bytes += eml.length;
    if (mode === 'convert') continue;
    await buildImportRequests(eml, `bench-${i}`);
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
