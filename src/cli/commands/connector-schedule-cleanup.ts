import { ScheduleNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import { cleanupScheduleId } from '../../model';
import type { RetentionCleanupInput } from '../../workflows/cleanup-workflow';
import { connectorAccountOf } from '../connector-account';
import { ensureCleanupSchedule } from '../cleanup-schedule';
import { parseCleanupTiming } from '../cleanup-timing';
import { scheduleLine } from '../format-cleanup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { println } from '../io';
import { withClient, type ConnectedClient } from '../temporal-client';

interface ScheduleCleanupOptions {
  readonly every?: string;
  readonly at?: string;
  readonly runNow?: boolean;
}

/** `connector schedule-cleanup <name> [--every 1d] [--at 03:00] [--run-now]`: create the retention cleanup schedule, or change when it runs. */
export function registerConnectorScheduleCleanup(connector: Command, ctx: CliContext): void {
  connector
    .command('schedule-cleanup')
    .argument('<name>', 'connector name')
    .option('--every <duration>', 'how often the cleanup runs, 1h to 31d (default 1d; an existing schedule keeps its own)')
    .option('--at <HH:MM>', 'UTC time of day of the run (default 03:00; an existing schedule keeps its own)')
    .option('--run-now', 'also start one cleanup now (with the overlap policy SKIP: not while one runs)')
    .description(
      "Create a connector's retention cleanup schedule (for a connector started before schedules existed), or change when it runs. " +
        "The cleanup deletes what is older than the worker's LPA_RETENTION_DAYS (nothing without it), never what is under a legal hold or immutability policy",
    )
    .action(async (name: string, opts: ScheduleCleanupOptions, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const changesTiming = opts.every !== undefined || opts.at !== undefined;
      const timing = changesTiming ? parseCleanupTiming(opts) : undefined;
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const accountId = (await scheduledAccount(c, name)) ?? (await connectorAccountOf(c, name));
        const s = await ensureCleanupSchedule(c.client, c.taskQueue, { connector: name, accountId }, timing);
        if (opts.runNow) await c.client.schedule.getHandle(s.scheduleId).trigger();
        if (format === 'json') println(ctx.io.stdout, JSON.stringify({ connector: name, ...s, triggered: opts.runNow === true }, null, 2));
        else {
          println(ctx.io.stdout, scheduleLine(name, s));
          if (opts.runNow) println(ctx.io.stdout, `Started a cleanup of "${name}" now; "connector status ${name}" shows it.`);
        }
      });
    });
}

/** The account an existing schedule already cleans (so changing the timing needs no look into the connector's history). */
async function scheduledAccount(c: ConnectedClient, name: string): Promise<string | undefined> {
  try {
    const d = await c.client.schedule.getHandle(cleanupScheduleId(name)).describe();
    const accountId = (d.action.args?.[0] as Partial<RetentionCleanupInput> | undefined)?.accountId;
    return typeof accountId === 'string' && accountId !== '' ? accountId : undefined;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
