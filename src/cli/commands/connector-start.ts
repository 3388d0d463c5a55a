import type { Command } from 'commander';
import { loadConnectorFile } from '../../config/load-connector-file';
import type { ConnectorConfig } from '../../model';
import { ensureCleanupSchedule, type EnsuredSchedule } from '../cleanup-schedule';
import { findConnector } from '../connector-lookup';
import { scheduleLine } from '../format-cleanup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { CliError } from '../errors';
import { println } from '../io';
import { startConnector } from '../start-connector';
import { withClient, type ConnectedClient } from '../temporal-client';

/** `connector start <config>`: validate a config file, then start (or resume after a stop) its workflow and its cleanup schedule. */
export function registerConnectorStart(connector: Command, ctx: CliContext): void {
  connector
    .command('start')
    .argument('<config>', 'connector config file (YAML or JSON)')
    .description(
      'Validate a connector config and start its workflow (a stopped connector resumes from its cursor); ' +
        'also creates its retention cleanup schedule if it has none (daily at 03:00 UTC; change it with "connector schedule-cleanup")',
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const config = await loadConnectorFile(file);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        let r: Awaited<ReturnType<typeof startConnector>>;
        try {
          r = await startConnector(c.client, c.taskQueue, config);
        } catch (err) {
          // A connector already running since before schedules existed gets its schedule from this start too.
          if (await isRunning(c, config.name)) {
            const s = await scheduleCleanup(c, config, false);
            if (s.outcome !== 'unchanged' && format === 'text') println(ctx.io.stdout, scheduleLine(config.name, s));
          }
          throw err;
        }
        const schedule = await scheduleCleanup(c, config, true);
        if (format === 'json') {
          println(
            ctx.io.stdout,
            JSON.stringify({ connector: config.name, ...r, taskQueue: c.taskQueue, cleanupSchedule: schedule }, null, 2),
          );
        } else {
          println(
            ctx.io.stdout,
            `Started connector "${config.name}" as workflow ${r.workflowId} on task queue ${c.taskQueue}${r.resumedFrom ? ` (resuming from ${r.resumedFrom})` : ''}`,
          );
          println(ctx.io.stdout, scheduleLine(config.name, schedule));
        }
      });
    });
}

async function isRunning(c: ConnectedClient, name: string): Promise<boolean> {
  try {
    return (await findConnector(c, name)).description.status.name === 'RUNNING';
  } catch {
    return false;
  }
}

async function scheduleCleanup(c: ConnectedClient, config: ConnectorConfig, started: boolean): Promise<EnsuredSchedule> {
  try {
    return await ensureCleanupSchedule(c.client, c.taskQueue, { connector: config.name, accountId: config.liveperson.accountId });
  } catch (err) {
    throw new CliError(
      `${started ? `Connector "${config.name}" started, but its` : `The`} retention cleanup schedule could not be created or checked ` +
        `(${err instanceof Error ? err.message : String(err)}). Nothing is deleted until it exists: run "connector schedule-cleanup ${config.name}".`,
      { cause: err },
    );
  }
}
