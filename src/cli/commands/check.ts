import type { Command } from 'commander';
import { ConfigError } from '../../config/connector-schema';
import { loadConnectorFile } from '../../config/load-connector-file';
import { runPreflight } from '../check/run-checks';
import type { CheckResult } from '../check/types';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { EXIT } from '../errors';
import { println, type CliWriter } from '../io';

const LABEL = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const;

function printResult(w: CliWriter, r: CheckResult): void {
  println(w, `${LABEL[r.status]}  ${r.area.padEnd(10)}  ${r.name}: ${r.detail}`);
  if (r.fix && (r.status === 'fail' || r.status === 'warn')) println(w, `      ${''.padEnd(10)}  fix: ${r.fix}`);
}

/** `check <config> [--mailbox upn]`: preflight of everything the connector needs; exit 1 if any step fails. */
export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .argument('<config>', 'connector config file (YAML or JSON)')
    .option('--mailbox <upn>', 'mailbox to probe (user, Inbox, import folder) instead of graph.catchAllMailbox')
    .description(
      'Preflight: config, LivePerson credentials and APIs, Graph permissions and target folder, Azure containers, Temporal; each failure with its fix',
    )
    .action(async (file: string, opts: { mailbox?: string }, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const text = format === 'text';
      let config;
      try {
        config = await loadConnectorFile(file);
      } catch (err) {
        if (!(err instanceof ConfigError) || text) throw err;
        println(
          ctx.io.stdout,
          JSON.stringify(
            { file, ok: false, checks: err.problems.map((p) => ({ area: 'config', name: 'config', status: 'fail', detail: p })) },
            null,
            2,
          ),
        );
        ctx.exitCode = EXIT.failure;
        return;
      }
      if (text) {
        println(ctx.io.stdout, `Preflight of connector "${config.name}" (${file})`);
        printResult(ctx.io.stdout, { area: 'config', name: 'config', status: 'ok', detail: 'valid' });
      }
      const rec = await runPreflight(config, {
        env: ctx.io.env,
        temporal: temporalOverrides(cmd),
        ...(opts.mailbox ? { mailbox: opts.mailbox } : {}),
        ...(text ? { onResult: (r: CheckResult) => printResult(ctx.io.stdout, r) } : {}),
      });
      if (rec.failed) ctx.exitCode = EXIT.failure;
      if (!text) {
        println(ctx.io.stdout, JSON.stringify({ connector: config.name, ok: !rec.failed, checks: rec.results }, null, 2));
        return;
      }
      const n = (s: CheckResult['status']) => rec.results.filter((r) => r.status === s).length;
      println(
        ctx.io.stdout,
        `${rec.results.length} checks: ${n('ok')} ok, ${n('warn')} warnings, ${n('fail')} failed, ${n('skip')} skipped.`,
      );
    });
}
