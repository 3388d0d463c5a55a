import type { Client } from '@temporalio/client';
import type { EmulatorProcess } from '../../scripts/lib/emulators';
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

/** Empties the Graph emulator's mailboxes and counters, so each phase imports into empty folders. */
export async function resetGraph(graph: EmulatorProcess): Promise<void> {
  const res = await fetch(`${graph.url}/_emulator/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`Graph emulator reset failed: HTTP ${res.status}`);
}

/** Requests and throttled answers the Graph emulator counted since its last reset. */
export async function graphStats(graph: EmulatorProcess): Promise<{ requests: number; throttled: number }> {
  const s = (await (await fetch(`${graph.url}/_emulator/stats`)).json()) as { requests: number; throttled: number };
  return { requests: s.requests, throttled: s.throttled };
}

/** Ground truth of the LivePerson emulator: conversations ending before `endTo`, with their message counts. */
export async function lpTruth(lp: EmulatorProcess, endTo: number): Promise<{ conversationId: string; endTime: number; messageCount: number; agentIds: string[] }[]> {
  const res = await fetch(`${lp.url}/_emulator/conversations?endTo=${endTo}`);
  if (!res.ok) throw new Error(`LivePerson emulator truth failed: HTTP ${res.status}`);
  return (await res.json()) as { conversationId: string; endTime: number; messageCount: number; agentIds: string[] }[];
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
