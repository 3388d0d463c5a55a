import type { Command } from 'commander';
import { parseDuration } from '../../model';
import { reimportUpdate } from '../../workflows/messages';
import { retryFailedDays } from '../connector-control';
import { updateFailure } from '../update-failure';
import { findRunningConnector } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { UsageError } from '../errors';
import { println } from '../io';
import { withClient } from '../temporal-client';

/** A UTC date, an ISO date-time, or a duration back from now (`3h`: three hours ago). */
function parseTime(flag: string, v: string, now = Date.now()): number {
  const ago = /^\d+[smhd]$/.test(v) ? parseDuration(v) : undefined;
  const t = ago !== undefined ? now - ago : /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : Date.parse(v);
  if (!Number.isFinite(t))
    throw new UsageError(
      `${flag} must be a UTC date or date-time such as 2026-03-02 or 2026-03-02T10:00:00Z, or a time ago such as 3h, got "${v}".`,
    );
  return t;
}

/** A UTC day `YYYY-MM-DD`, or `today` / `yesterday` (UTC). */
function parseDay(v: string, now = Date.now()): string {
  const back = v === 'today' ? 0 : v === 'yesterday' ? 1 : undefined;
  return back === undefined ? v : new Date(now - back * 86_400_000).toISOString().slice(0, 10);
}

/**
 * `connector reimport <name> --from --to` and `connector retry-failed <name> --from-day --to-day`: a child
 * workflow re-runs the pipeline over the range (or the windows of the failed items), checking each mailbox
 * before each create, so only what is missing is written. Follow it with `connector status`.
 */
export function registerConnectorReimport(connector: Command, ctx: CliContext): void {
  connector
    .command('reimport')
    .argument('<name>', 'connector name')
    .requiredOption('--from <time>', 'start of the range of conversation end times (UTC date, ISO date-time, or a time ago: 3h)')
    .requiredOption('--to <time>', 'end of the range (exclusive; same forms); not after the connector cursor')
    .description('Re-import a time range: writes only the items missing from the mailboxes')
    .action(async (name: string, opts: { from: string; to: string }, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const from = parseTime('--from', opts.from);
      const to = parseTime('--to', opts.to);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const { handle } = await findRunningConnector(c, name);
        const r = await handle.executeUpdate(reimportUpdate, { args: [{ from, to }] }).catch((e: unknown) => updateFailure(name, e));
        if (format === 'json') println(ctx.io.stdout, JSON.stringify({ connector: name, ...r }));
        else
          println(ctx.io.stdout, `Started reimport ${r.reimportId} (${r.windows} window(s)); follow it with "connector status ${name}".`);
      });
    });

  connector
    .command('retry-failed')
    .argument('<name>', 'connector name')
    .requiredOption('--from-day <day>', 'first UTC day of the log whose failed items to retry (YYYY-MM-DD, today, yesterday)')
    .option('--to-day <day>', 'last UTC day (default: --from-day)')
    .description('Retry the items the log shows as failed on those days (after fixing a mapping, a mailbox, a permission)')
    .action(async (name: string, opts: { fromDay: string; toDay?: string }, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const fromDay = parseDay(opts.fromDay);
      const toDay = parseDay(opts.toDay ?? opts.fromDay);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const r = await retryFailedDays(c, name, fromDay, toDay);
        if (format === 'json') println(ctx.io.stdout, JSON.stringify({ connector: name, ...r }));
        else if (r.windows === 0)
          println(ctx.io.stdout, `No failed item with a conversation version found in the log of ${fromDay}..${toDay}.`);
        else
          println(
            ctx.io.stdout,
            `Retrying ${r.failedRows} failed row(s) in ${r.windows} window(s) as ${r.reimportId}; follow it with "connector status ${name}".`,
          );
      });
    });
}
