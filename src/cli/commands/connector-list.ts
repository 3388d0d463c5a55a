import type { Command } from 'commander';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { LP_CONNECTOR_NAME, LP_CONNECTOR_STATE, LP_CURSOR_TIME } from '../../model';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { formatTable } from '../format-table';
import { println } from '../io';
import { withClient } from '../temporal-client';
import { timeFormatOf, timeFormatter } from '../time-format';

/** Connector workflows, newest run only (earlier runs ended in continue-as-new). */
export const CONNECTOR_LIST_QUERY = "WorkflowType = 'connectorWorkflow' AND ExecutionStatus != 'ContinuedAsNew'";

export interface ConnectorListRow {
  readonly name: string;
  readonly workflowId: string;
  readonly status: string;
  readonly state?: string;
  readonly cursor?: string;
  readonly startTime: string;
}

const WORKFLOW_ID_PREFIX = 'lp-archive-connector-';

function toRow(w: WorkflowExecutionInfo): ConnectorListRow {
  const name = w.typedSearchAttributes.get(LP_CONNECTOR_NAME) ?? w.workflowId.replace(WORKFLOW_ID_PREFIX, '');
  const state = w.typedSearchAttributes.get(LP_CONNECTOR_STATE);
  const cursor = w.typedSearchAttributes.get(LP_CURSOR_TIME);
  return {
    name,
    workflowId: w.workflowId,
    status: w.status.name,
    ...(state !== undefined ? { state } : {}),
    ...(cursor !== undefined ? { cursor: cursor.toISOString() } : {}),
    startTime: w.startTime.toISOString(),
  };
}

/** `connector list [--query <filter>]`: every connector with its workflow status, state and cursor. */
export function registerConnectorList(connector: Command, ctx: CliContext): void {
  connector
    .command('list')
    .description('List connectors: name, workflow status, connector state, cursor, start time of the current run')
    .option('-q, --query <filter>', 'extra visibility filter, ANDed, e.g. "LpConnectorState = \'needs-credentials\'"')
    .action(async (opts: { query?: string }, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const time = timeFormatter(timeFormatOf(cmd, ctx.io.env), ctx.io.env);
      const query = opts.query ? `${CONNECTOR_LIST_QUERY} AND (${opts.query})` : CONNECTOR_LIST_QUERY;
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const latest = new Map<string, WorkflowExecutionInfo>();
        for await (const w of c.client.workflow.list({ query })) {
          const prior = latest.get(w.workflowId);
          if (!prior || prior.startTime < w.startTime) latest.set(w.workflowId, w);
        }
        const rows = [...latest.values()].map(toRow).sort((a, b) => a.name.localeCompare(b.name));
        if (format === 'json') {
          println(ctx.io.stdout, JSON.stringify(rows, null, 2));
          return;
        }
        if (rows.length === 0) {
          println(ctx.io.stdout, `No connectors in namespace "${c.namespace}". Start one with "connector start <config-file>".`);
          return;
        }
        println(
          ctx.io.stdout,
          formatTable(
            ['NAME', 'STATUS', 'STATE', 'CURSOR', 'STARTED'],
            rows.map((r) => [r.name, r.status, r.state ?? '-', time(r.cursor), time(r.startTime)]),
          ),
        );
      });
    });
}
