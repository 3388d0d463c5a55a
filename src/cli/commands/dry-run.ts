import type { Command } from 'commander';
import { loadConnectorFile } from '../../config/load-connector-file';
import { parseDuration } from '../../model';
import { outputFormat, type CliContext } from '../context';
import { planDryRun, type DryRunItem } from '../dry-run-plan';
import { EXIT, UsageError } from '../errors';
import { println, type CliWriter } from '../io';

interface DryRunOptions {
  readonly limit: string;
  readonly since: string;
}

function kb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function printItem(w: CliWriter, it: DryRunItem): void {
  println(w, `${it.conversationId}  ended ${it.endTime ?? '?'}  ${it.size !== undefined ? kb(it.size) : '-'}`);
  for (const t of it.targets) println(w, `    → ${t.userPrincipalName}  (participant ${t.participantId}, via ${t.via})`);
  for (const u of it.unmapped) println(w, `    ✗ participant ${u.participantId} unmapped (${u.reason}): ${u.detail}`);
  for (const u of it.external)
    println(w, `    · participant ${u.participantId} outside the organisation (${u.reason}): logged, not counted`);
  if (it.failure) println(w, `    FAILED: ${it.failure}`);
}

/** `dry-run <config> [--limit 5] [--since 1d]`: what the connector would do with the latest conversations; writes nothing. */
export function registerDryRun(program: Command, ctx: CliContext): void {
  program
    .command('dry-run')
    .argument('<config>', 'connector config file (YAML or JSON)')
    .option('--limit <n>', 'how many of the latest closed conversations (1-100)', '5')
    .option('--since <duration>', 'look this far back from now − lag (e.g. 1h, 1d)', '1d')
    .description('Fetch, convert and map the latest closed conversations; print size and target mailboxes; write nothing')
    .action(async (file: string, opts: DryRunOptions, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new UsageError(`--limit must be a whole number from 1 to 100, got "${opts.limit}".`);
      const sinceMs = parseDuration(opts.since);
      if (sinceMs === undefined || sinceMs <= 0) throw new UsageError(`--since must be a duration such as 1h or 1d, got "${opts.since}".`);
      const config = await loadConnectorFile(file);
      const result = await planDryRun(config, ctx.io.env, { limit, sinceMs });
      // A conversation that would be logged as failed is a finding: exit 1, like a partial failure.
      if (result.items.some((i) => i.failure)) ctx.exitCode = EXIT.failure;
      if (format === 'json') {
        println(
          ctx.io.stdout,
          JSON.stringify(
            {
              connector: config.name,
              ...result,
              window: { from: new Date(result.window.from).toISOString(), to: new Date(result.window.to).toISOString() },
            },
            null,
            2,
          ),
        );
        return;
      }
      println(
        ctx.io.stdout,
        `Dry run of connector "${config.name}": the latest ${result.items.length} of ${result.covering} conversations closed ${new Date(result.window.from).toISOString()} → ${new Date(result.window.to).toISOString()} (LivePerson's count covers the range rounded to 10 minutes; nothing is written)`,
      );
      for (const it of result.items) printItem(ctx.io.stdout, it);
      if (result.items.length === 0) println(ctx.io.stdout, `No closed conversations in that range; try a longer --since.`);
    });
}
