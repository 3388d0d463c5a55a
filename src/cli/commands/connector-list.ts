import type { Command } from 'commander';
import { listConnectors } from '../connector-rows';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { formatTable } from '../format-table';
import { println } from '../io';
import { withClient } from '../temporal-client';
import { timeFormatOf, timeFormatter } from '../time-format';

export { CONNECTOR_LIST_QUERY, type ConnectorListRow } from '../connector-rows';

/** `connector list [--query <filter>]`: every connector with its workflow status, state and cursor. */
export function registerConnectorList(connector: Command, ctx: CliContext): void {
  connector
    .command('list')
    .description('List connectors: name, workflow status, connector state, cursor, start time of the current run')
    .option('-q, --query <filter>', 'extra visibility filter, ANDed, e.g. "LpConnectorState = \'needs-credentials\'"')
    .action(async (opts: { query?: string }, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const time = timeFormatter(timeFormatOf(cmd, ctx.io.env), ctx.io.env);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const rows = await listConnectors(c, opts.query);
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
