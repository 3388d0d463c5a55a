/**
 * CLI: `npx tsx scripts/lib/ensure-helm.ts` builds the pinned Helm into .tools/bin when it is missing and prints
 * its path. CI runs it before the tests (the chart test lints and renders the chart with it), so a build problem
 * fails with its own clear message.
 */
import { StackError } from './errors';
import { ensureHelm } from './helm';

ensureHelm().then(
  (binary) => process.stdout.write(`${binary}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof StackError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
