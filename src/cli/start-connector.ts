import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  connectorWorkflowId,
  LP_CONNECTOR_NAME,
  LP_CONNECTOR_STATE,
  SEARCH_ATTRIBUTE_FLAGS,
  type ConnectorConfig,
  type ConnectorStatus,
} from '../model';
import type { CarriedState, ConnectorWorkflowInput } from '../workflows';
import { CliError } from './errors';

/** Memo key holding the backfill start (ISO), for progress bars; absent on connectors started before it existed. */
export const BACKFILL_FROM_MEMO = 'backfillFrom';

/**
 * Starts a connector's workflow. If the connector ran before and was stopped, the new run carries on from
 * that run's cursor and log, so a stop and start never re-imports nor skips anything.
 */
export async function startConnector(
  client: Client,
  taskQueue: string,
  config: ConnectorConfig,
  opts: { maxWindowsPerRun?: number } = {},
): Promise<{ workflowId: string; runId: string; resumedFrom?: string }> {
  const workflowId = connectorWorkflowId(config.name);
  const carried = await previousState(client, workflowId);
  const input: ConnectorWorkflowInput = {
    config,
    ...(carried ? { carried } : {}),
    ...(opts.maxWindowsPerRun !== undefined ? { maxWindowsPerRun: opts.maxWindowsPerRun } : {}),
  };
  try {
    const handle = await client.workflow.start('connectorWorkflow', {
      taskQueue,
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: LP_CONNECTOR_NAME, value: config.name },
        { key: LP_CONNECTOR_STATE, value: 'starting' },
      ],
      // Display context only (not indexed, goes through the data converter): lets the CLI draw backfill progress.
      memo: { [BACKFILL_FROM_MEMO]: new Date(config.schedule.startAt).toISOString() },
      staticSummary: `LivePerson connector "${config.name}" (account ${config.liveperson.accountId}) → Microsoft 365 folder "${config.graph.folderName}"`,
      staticDetails: `Backfill from ${new Date(carried?.cursor ?? config.schedule.startAt).toISOString()}; windows up to ${config.schedule.backfillWindowMs / 60_000} min; lag ${config.schedule.lagMs / 1000} s; import mode ${config.graph.importMode}.`,
    });
    return { workflowId, runId: handle.firstExecutionRunId, ...(carried ? { resumedFrom: new Date(carried.cursor).toISOString() } : {}) };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(
        `Connector "${config.name}" is already running (workflow ${workflowId}). Use "connector reconfigure" to change its config, or "connector stop" first.`,
      );
    }
    const msg = err instanceof Error ? err.message : String(err);
    if (/search attribute/i.test(msg)) {
      throw new CliError(
        `Temporal refused the connector's search attributes (${msg}). Register them once on namespace "${client.options.namespace}": ${SEARCH_ATTRIBUTE_FLAGS.map((f) => `temporal operator search-attribute create --name ${f.split('=')[0]} --type ${f.split('=')[1]}`).join('; ')}.`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function previousState(client: Client, workflowId: string): Promise<CarriedState | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch {
    return undefined; // never ran
  }
  if (status !== 'COMPLETED') return undefined;
  const last = (await handle.result()) as ConnectorStatus;
  const chat = last.sources?.chat;
  return {
    // With legacy chat, the status's cursor is the earlier of the two: each source carries on from its own.
    cursor: Date.parse(last.sources?.messaging.cursor ?? last.cursor),
    log: {
      totals: { ...last.totals },
      days: last.days.map((d) => ({ day: d.day, counts: { ...d.counts } })),
      recentFailures: [...last.recentFailures],
      ...(chat ? { chat: { totals: { ...chat.totals }, days: chat.days.map((d) => ({ day: d.day, counts: { ...d.counts } })) } } : {}),
    },
    windowsDone: last.windowsDone,
    runsSoFar: last.runsSoFar,
    paused: false,
    // The sweep's list of finished windows lets it tell late arrivals from what was already archived.
    ...(last.sweep ? { sweep: last.sweep } : {}),
    // Work the stop cut short runs again; what it had written counts as imported, not as duplicates.
    ...(last.interrupted
      ? {
          rerun: {
            ...(last.interrupted.window ? { windowFrom: Date.parse(last.interrupted.window) } : {}),
            ...(last.interrupted.sweep ? { sweep: true } : {}),
          },
        }
      : {}),
    ...(chat
      ? {
          chat: {
            cursor: Date.parse(chat.cursor),
            ...(chat.sweep ? { sweep: chat.sweep } : {}),
            ...(last.interrupted?.chatWindow || last.interrupted?.chatSweep
              ? {
                  rerun: {
                    ...(last.interrupted.chatWindow ? { windowFrom: Date.parse(last.interrupted.chatWindow) } : {}),
                    ...(last.interrupted.chatSweep ? { sweep: true } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}
