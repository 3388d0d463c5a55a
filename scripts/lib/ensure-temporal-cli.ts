/**
 * CLI: `npx tsx scripts/lib/ensure-temporal-cli.ts` installs the pinned Temporal CLI into .tools/venv when it
 * is missing and prints its path. The same code path the jest global setup and `npm run stack` use; CI
 * runs it before the tests so an install problem fails with its own clear message.
 */
import { StackError } from './errors';
import { ensureTemporalCli } from './temporal-cli';

ensureTemporalCli().then(
  (binary) => process.stdout.write(`${binary}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof StackError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
