import type { Command } from 'commander';
import type { CliContext } from '../context';
import { println } from '../io';
import { MAPPING_TEMPLATE } from '../mapping-check';

/** `mapping template`: a mapping CSV to fill in (`mapping template > users.csv`). */
export function registerMappingTemplate(mapping: Command, ctx: CliContext): void {
  mapping
    .command('template')
    .description('Print a mapping CSV template (header lpUser,m365User and example rows)')
    .action(() => {
      println(ctx.io.stdout, MAPPING_TEMPLATE);
    });
}
