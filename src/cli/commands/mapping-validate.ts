import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { outputFormat, type CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import { println } from '../io';
import { checkMappingCsv } from '../mapping-check';

/** `mapping validate <csv>`: every bad row with its line number; exit 1 when the worker would refuse the file. */
export function registerMappingValidate(mapping: Command, ctx: CliContext): void {
  mapping
    .command('validate')
    .argument('<csv>', 'mapping CSV file (lpUser,m365User)')
    .description('Check a mapping CSV: header, empty cells, malformed Microsoft 365 users, conflicting duplicates')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new CliError(`Cannot read the mapping CSV ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path.`);
      }
      const report = checkMappingCsv(text);
      if (report.errors.length > 0) ctx.exitCode = EXIT.failure;
      if (format === 'json') {
        println(ctx.io.stdout, JSON.stringify({ file, valid: report.errors.length === 0, ...report }, null, 2));
        return;
      }
      for (const e of report.errors) println(ctx.io.stdout, `${file}:${e.line}: error: ${e.message}`);
      for (const w of report.warnings) println(ctx.io.stdout, `${file}:${w.line}: warning: ${w.message}`);
      println(
        ctx.io.stdout,
        report.errors.length === 0
          ? `${file}: OK, ${report.rows} mapping${report.rows === 1 ? '' : 's'}.`
          : `${file}: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}; the worker would refuse this file.`,
      );
    });
}
