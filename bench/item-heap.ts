/**
 * What one large item allocates in convert and in import, V8 heap and ArrayBuffers apart, against the item
 * memory each of them reserves (src/activities/convert-page.ts, import-page.ts). A full GC before each step;
 * none is asked for during it, so what the step dropped is counted too: what is live at its busiest moment. V8
 * may still collect during a step by itself, which makes that step's figure too low (re-run to see).
 * Run: node --expose-gc --import tsx bench/item-heap.ts
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { IMPORT_MEMORY_PER_ITEM_BYTE } from '../src/activities/import-page';
import { importMessageFromItem } from '../src/activities/import-message';
import { conversationToEml } from '../src/convert';
import { buildCreateBody, planAttachments } from '../src/graph/message-json';
import { formatTable, fmt, type Row } from './lib/table';
import { makeConversation } from './lib/sample-conversations';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc --import tsx bench/item-heap.ts');
  process.exit(2);
}
const MB = 2 ** 20;

/** Heap and ArrayBuffer bytes `step` leaves allocated, after a full GC before it. */
async function allocatedBy<T>(step: () => Promise<T> | T): Promise<{ value: T; heap: number; buffers: number }> {
  gc!();
  const before = process.memoryUsage();
  const value = await step();
  const after = process.memoryUsage();
  return { value, heap: after.heapUsed - before.heapUsed, buffers: after.arrayBuffers - before.arrayBuffers };
}

async function main(): Promise<void> {
  const rows: Row[] = [{ metric: 'command', value: 'node --expose-gc --import tsx bench/item-heap.ts' }, { metric: 'node', value: process.version }];
  for (const size of [2_500_000, 5_000_000, 10_000_000]) {
    // Every tenth generated conversation has a hosted file: keep its reference, make the file large.
    const { conv, files } = makeConversation(10);
    const large = files.map((f) => ({ ...f, bytes: randomBytes(size) }));
    const convert = await allocatedBy(() => conversationToEml(conv, { files: large, sourceRecord: { size } }).eml);
    const eml = convert.value;
    const imported = await allocatedBy(async () => {
      const msg = await importMessageFromItem(Readable.from([eml]), 'bench');
      const plan = planAttachments(msg);
      return JSON.stringify(buildCreateBody(msg, plan.inline)).length;
    });
    const label = `file ${fmt(size / MB)} MB, item ${fmt(eml.length / MB)} MB`;
    rows.push({ metric: `${label}: convert heap / buffers, MB`, value: `${fmt(convert.heap / MB)} / ${fmt(convert.buffers / MB)}` });
    const total = imported.heap + imported.buffers;
    rows.push({
      metric: `${label}: import heap / buffers, MB (× item)`,
      value: `${fmt(imported.heap / MB)} / ${fmt(imported.buffers / MB)} (${fmt(total / eml.length)} × item)`,
      target: `≤ ${IMPORT_MEMORY_PER_ITEM_BYTE} × item (reserved)`,
      ok: total <= IMPORT_MEMORY_PER_ITEM_BYTE * eml.length,
    });
  }
  console.log(formatTable(rows));
}

void main();
