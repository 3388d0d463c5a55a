import type { Command } from 'commander';
import type { ConnectorStatus } from '../../model';
import { readCleanupStatus } from '../cleanup-status';
import { findConnector, readStatus } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { EXIT, UsageError } from '../errors';
import { formatCleanup } from '../format-cleanup';
import { formatStatus } from '../format-status';
import { println } from '../io';
import { createProgressView } from '../progress';
import { readRunStart } from '../run-start';
import { BACKFILL_FROM_MEMO } from '../start-connector';
import type { StatusView } from '../status-view';
import { withClient, type ConnectedClient } from '../temporal-client';
import { timeFormatOf, timeFormatter, type FormatTime } from '../time-format';

/** States that end `--watch`: caught up, stopped, or waiting for an operator (paused, or its credentials refused). */
const WATCH_ENDS = new Set<ConnectorStatus['state']>(['live', 'stopped', 'needs-credentials', 'paused']);

interface StatusOptions {
  readonly watch?: boolean;
  readonly interval: string;
}

/** `connector status <name> [--watch]`: the connector log, or a live progress view of its backfill. */
export function registerConnectorStatus(connector: Command, ctx: CliContext): void {
  connector
    .command('status')
    .argument('<name>', 'connector name')
    .option(
      '-w, --watch',
      'follow the backfill (progress bar with ETA on a terminal) until the connector is live, paused, stopped or needs credentials',
    )
    .option('--interval <seconds>', 'seconds between updates with --watch', '2')
    .description(
      "Print a connector's status: state, cursor, lag (as of now), counts (they add up), recent failures, and its retention cleanup (last run, next run)",
    )
    .action(async (name: string, opts: StatusOptions, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const time = timeFormatter(timeFormatOf(cmd, ctx.io.env), ctx.io.env);
      const intervalMs = Number(opts.interval) * 1000;
      if (!Number.isFinite(intervalMs) || intervalMs < 100)
        throw new UsageError(`--interval must be a number of seconds (at least 0.1), got "${opts.interval}".`);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        if (opts.watch) {
          ctx.exitCode = await watch(c, name, intervalMs, ctx, time);
          return;
        }
        const s = await readStatus(c, name);
        // The cleanup comes from its schedule and its last run, not from the connector's state.
        const cleanup = await readCleanupStatus(c.client, name);
        println(
          ctx.io.stdout,
          format === 'json'
            ? JSON.stringify({ ...s, cleanup }, null, 2)
            : [formatStatus(s, time), '', ...formatCleanup(name, cleanup, time)].join('\n'),
        );
      });
    });
}

async function watch(c: ConnectedClient, name: string, intervalMs: number, ctx: CliContext, time: FormatTime): Promise<number> {
  const found = await findConnector(c, name);
  // The run's input says where the backfill started and how far the run has come: an ETA before the cursor moves.
  const start = await readRunStart(c, found.description);
  const memo = found.description.memo?.[BACKFILL_FROM_MEMO];
  const memoFrom = typeof memo === 'string' ? Date.parse(memo) : NaN;
  const from = start?.from ?? (Number.isFinite(memoFrom) ? memoFrom : undefined);
  const view = createProgressView(ctx.io, {
    ...(from !== undefined ? { from } : {}),
    ...(start ? { runStart: start.runStart } : {}),
    time,
  });
  let s: StatusView;
  try {
    for (;;) {
      s = await readStatus(c, name);
      view.update(s, Date.parse(s.asOf));
      // Live with a window in progress is not caught up yet: a short backfill is a single window already labelled live.
      if (WATCH_ENDS.has(s.state) && !(s.state === 'live' && s.currentWindow)) break;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  } finally {
    view.stop();
  }
  const t = s.totals;
  const summary = `${t.imported} imported, ${t.partial} partial, ${t.skippedDuplicate} duplicates, ${t.failed} failed`;
  if (s.state === 'needs-credentials') {
    println(
      ctx.io.stderr,
      `Connector "${name}" needs an operator: ${s.lastError ?? 'its credentials or permissions were refused'}. Fix it, then "connector resume ${name}" (or "connector reconfigure <config-file>").`,
    );
    return EXIT.failure;
  }
  println(
    ctx.io.stdout,
    s.state === 'live'
      ? `Connector "${name}" is caught up (cursor ${time(s.cursor)}): ${summary}.`
      : s.state === 'paused'
        ? `Connector "${name}" is paused at cursor ${time(s.cursor)}: ${summary}. "connector resume ${name}" carries on.`
        : `Connector "${name}" is stopped at cursor ${time(s.cursor)}: ${summary}.`,
  );
  return EXIT.ok;
}
