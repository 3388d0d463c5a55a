import type { Client } from '@temporalio/client';
import { DEFAULT_LIMITS } from '../../emulators/graph/constants';
import type { EmulatorProcess } from '../../scripts/lib/emulators';
import { startCpuMeter, type CpuMeter } from './cpu';
import type { BenchStack } from './stack';

/** What every phase gets: the stack, a Temporal client, and where to say what it is doing. */
export interface PhaseContext {
  readonly stack: BenchStack;
  readonly client: Client;
  readonly progress: (m: string) => void;
}

/** Environment of a worker (or the baseline) against the bench stack, on its own task queue and containers. */
export function workerEnv(stack: BenchStack, taskQueue: string, containerPrefix: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    AZURE_STORAGE_CONNECTION_STRING: stack.azurite.connectionString,
    LPA_CONTAINER_PREFIX: containerPrefix,
    LPA_TASK_QUEUE: taskQueue,
  };
}

/**
 * What every phase starts from: empty mailboxes and Graph counters, and an empty Azurite (whose per-request
 * cost grows with what earlier phases stored).
 */
export async function freshStores(stack: BenchStack): Promise<void> {
  await Promise.all([resetGraph(stack.graph), stack.renewAzurite()]);
}

/** Empties the Graph emulator's mailboxes and counters, so each phase imports into empty folders. */
async function resetGraph(graph: EmulatorProcess): Promise<void> {
  const res = await fetch(`${graph.url}/_emulator/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`Graph emulator reset failed: HTTP ${res.status}`);
}

/** What the Graph emulator counted since its last reset. */
export interface GraphStats {
  readonly requests: number;
  readonly throttled: number;
  /** Request bytes (POST/PUT/PATCH) the busiest mailbox received: what its upload budget counts. */
  readonly busiestMailboxBytes: number;
  /**
   * The least time any client needs to upload that much into one mailbox under Outlook's budget (150 MB per
   * app + mailbox per 5 min, emulated as on Graph): full windows it must wait for after the first.
   */
  readonly uploadFloorSeconds: number;
  /** Request bytes per mailbox (user id) that received any. */
  readonly bytesByMailbox: ReadonlyMap<string, number>;
}

export async function graphStats(graph: EmulatorProcess): Promise<GraphStats> {
  const s = (await (await fetch(`${graph.url}/_emulator/stats`)).json()) as {
    requests: number;
    throttled: number;
    mailboxes: Record<string, { bytesUploaded: number }>;
  };
  const busiest = Math.max(0, ...Object.values(s.mailboxes).map((m) => m.bytesUploaded));
  const windows = Math.max(0, Math.ceil(busiest / DEFAULT_LIMITS.uploadBudgetBytes) - 1);
  const bytesByMailbox = new Map(
    Object.entries(s.mailboxes)
      .filter(([, m]) => m.bytesUploaded > 0)
      .map(([id, m]) => [id, m.bytesUploaded] as const),
  );
  return {
    requests: s.requests,
    throttled: s.throttled,
    busiestMailboxBytes: busiest,
    uploadFloorSeconds: (windows * DEFAULT_LIMITS.uploadWindowMs) / 1000,
    bytesByMailbox,
  };
}

/** Ground truth of the LivePerson emulator: conversations ending before `endTo`, with their message counts. */
export async function lpTruth(
  lp: EmulatorProcess,
  endTo: number,
): Promise<{ conversationId: string; endTime: number; messageCount: number; agentIds: string[] }[]> {
  const res = await fetch(`${lp.url}/_emulator/conversations?endTo=${endTo}`);
  if (!res.ok) throw new Error(`LivePerson emulator truth failed: HTTP ${res.status}`);
  return (await res.json()) as { conversationId: string; endTime: number; messageCount: number; agentIds: string[] }[];
}

/** An agent as the LivePerson emulator's `GET /_emulator/tenant` lists it. */
export interface TenantAgent {
  readonly id: string;
  readonly email: string;
  readonly userType: string;
  readonly mailbox: string;
  readonly emailIsAlias: boolean;
  readonly deleted: boolean;
}

/** Requests the LivePerson emulator has answered so far (its API routes, not `/_emulator/*`). */
export async function livePersonRequests(lpUrl: string): Promise<number> {
  const stats = (await (await fetch(`${lpUrl}/_emulator/stats`)).json()) as { requests: number };
  return stats.requests;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Meters the CPU of the pipeline's processes during a phase: who the 2 cores worked for. */
export function meterStackCpu(
  stack: BenchStack,
  lp: EmulatorProcess,
  pipeline: Readonly<Record<string, number | 'self' | 'machine'>>,
): CpuMeter {
  return startCpuMeter({
    ...pipeline,
    Temporal: stack.temporal.process.pid,
    'Graph emulator': stack.graph.process.pid,
    'LivePerson emulator': lp.process.pid,
    Azurite: stack.azurite.process.pid,
    'machine (all processes)': 'machine',
  });
}
