/**
 * What one large item allocates in convert and in import, V8 heap and ArrayBuffers apart, against the item
 * memory an import reserves (src/activities/import-page.ts). Each step runs twice after a full GC: once to
 * count what it allocates, garbage included (V8 may still collect during it by itself, which makes that
 * figure too low: re-run to see), and once with a full GC and a sample at every event-loop turn and after
 * each request body is built, for the most it holds live at once: what the reservation must cover.
 * Run: node --expose-gc --import tsx bench/item-heap.ts
 */
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { IMPORT_MEMORY_PER_ITEM_BYTE } from '../src/activities/import-batch';
import { conversationToEml } from '../src/convert';
import { buildImportRequests } from './lib/import-requests';
import { formatTable, fmt, type Row } from './lib/table';
import { makeConversation } from './lib/sample-conversations';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc --import tsx bench/item-heap.ts');
  process.exit(2);
}
const MB = 2 ** 20;

interface StepMemory<T> {
  readonly value: T;
  /** Heap and ArrayBuffer bytes allocated by the step, its garbage included (no GC asked for during it). */
  readonly heap: number;
  readonly buffers: number;
  /** Most heap + ArrayBuffer bytes live at once: a full GC, then a sample, at every event-loop turn and probe. */
  readonly live: number;
}

/** A full GC, and time for the freed buffers to leave the count (their memory is released after the GC). */
async function settled(): Promise<void> {
  gc!();
  await setTimeout(100);
  gc!();
}

/** What `step` allocates, and what it holds live at its busiest; a full GC before each of the two runs. */
async function measure<T>(step: (probe: () => void) => Promise<T> | T): Promise<StepMemory<T>> {
  await settled();
  const before = process.memoryUsage();
  const value = await step(() => undefined);
  const after = process.memoryUsage();
  await settled();
  const base = process.memoryUsage();
  let live = 0;
  const probe = (): void => {
    gc!();
    const m = process.memoryUsage();
    live = Math.max(live, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
  };
  let running = true;
  const turn = (): void => {
    if (!running) return;
    probe();
    setImmediate(turn);
  };
  setImmediate(turn);
  const kept = await step(probe); // alive until the last probe, as the import holds its result
  running = false;
  probe();
  void kept;
  return { value, heap: after.heapUsed - before.heapUsed, buffers: after.arrayBuffers - before.arrayBuffers, live };
}

async function main(): Promise<void> {
  const rows: Row[] = [
    { metric: 'command', value: 'node --expose-gc --import tsx bench/item-heap.ts' },
    { metric: 'node', value: process.version },
  ];
  for (const size of [2_500_000, 5_000_000, 10_000_000]) {
    // Every tenth generated conversation has a hosted file: keep its reference, make the file large.
    const { conv, files } = makeConversation(10);
    const large = files.map((f) => ({ ...f, bytes: randomBytes(size) }));
    const convert = await measure(() => conversationToEml(conv, { files: large, sourceRecord: { size } }).eml);
    const eml = convert.value;
    const imported = await measure((probe) => buildImportRequests(eml, 'bench', probe));
    const label = `file ${fmt(size / MB)} MB, item ${fmt(eml.length / MB)} MB`;
    rows.push({
      metric: `${label}: convert allocates heap / buffers, MB`,
      value: `${fmt(convert.heap / MB)} / ${fmt(convert.buffers / MB)}`,
    });
    const total = imported.heap + imported.buffers;
    rows.push({
      metric: `${label}: import allocates heap / buffers, MB (× item)`,
      value: `${fmt(imported.heap / MB)} / ${fmt(imported.buffers / MB)} (${fmt(total / eml.length)} × item)`,
    });
    rows.push({
      metric: `${label}: import holds at most, MB (× item)`,
      value: `${fmt(imported.live / MB)} (${fmt(imported.live / eml.length)} × item)`,
      target: `≤ ${IMPORT_MEMORY_PER_ITEM_BYTE} × item (reserved)`,
      ok: imported.live <= IMPORT_MEMORY_PER_ITEM_BYTE * eml.length,
    });
  }
  console.log(formatTable(rows));
}

void main();
