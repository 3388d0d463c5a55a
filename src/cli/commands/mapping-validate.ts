import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConnectorFile } from '../../config/load-connector-file';
import { parseMappingCsv } from '../../graph/mapping-csv';
import { graphClient } from '../clients';
import { outputFormat, type CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import { println } from '../io';
import { checkMappingCsv } from '../mapping-check';
import { checkMappingAgainstDirectory, type DirectoryRowResult } from '../mapping-directory';

/**
 * `mapping validate <csv> [--directory <config>]`: every bad row with its line number; with `--directory`,
 * each row checked against the Microsoft 365 directory of that connector (user exists, has a mailbox).
 * Exit 1 when the worker would refuse the file or a row would not deliver.
 */
export function registerMappingValidate(mapping: Command, ctx: CliContext): void {
  mapping
    .command('validate')
    .argument('<csv>', 'mapping CSV file (lpUser,m365User)')
    .option('--directory <config>', "also check each row against the Microsoft 365 directory of this connector's Graph app (reads only)")
    .description(
      'Check a mapping CSV: header, empty cells, malformed Microsoft 365 users, conflicting duplicates; with --directory, users and mailboxes',
    )
    .action(async (file: string, opts: { directory?: string }, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new CliError(`Cannot read the mapping CSV ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path.`);
      }
      const report = checkMappingCsv(text);
      let directory: DirectoryRowResult[] | undefined;
      if (opts.directory && report.errors.length === 0) {
        const config = await loadConnectorFile(opts.directory);
        const rows = [...parseMappingCsv(text).values()].sort((a, b) => a.line - b.line);
        directory = await checkMappingAgainstDirectory(rows, graphClient(config, ctx.io.env));
      }
      const undeliverable = directory?.filter((r) => r.status !== 'ok') ?? [];
      const valid = report.errors.length === 0 && undeliverable.length === 0;
      if (!valid) ctx.exitCode = EXIT.failure;
      if (format === 'json') {
        println(ctx.io.stdout, JSON.stringify({ file, valid, ...report, ...(directory ? { directory } : {}) }, null, 2));
        return;
      }
      for (const e of report.errors) println(ctx.io.stdout, `${file}:${e.line}: error: ${e.message}`);
      for (const w of report.warnings) println(ctx.io.stdout, `${file}:${w.line}: warning: ${w.message}`);
      for (const r of directory ?? [])
        println(ctx.io.stdout, `${file}:${r.line}: ${r.status === 'ok' ? 'ok' : `error: ${r.status}`}: ${r.lpUser} → ${r.message}`);
      if (report.errors.length > 0) {
        println(
          ctx.io.stdout,
          `${file}: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}; the worker would refuse this file${opts.directory ? ' (the directory was not checked)' : ''}.`,
        );
      } else if (directory) {
        println(
          ctx.io.stdout,
          undeliverable.length === 0
            ? `${file}: OK, ${report.rows} mapping${report.rows === 1 ? '' : 's'}; every user exists and has a mailbox.`
            : `${file}: ${undeliverable.length} of ${directory.length} rows would not deliver (items for those participants would fail as unmapped).`,
        );
      } else {
        println(ctx.io.stdout, `${file}: OK, ${report.rows} mapping${report.rows === 1 ? '' : 's'}.`);
      }
    });
}
