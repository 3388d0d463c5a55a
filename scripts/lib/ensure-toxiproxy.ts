/**
 * CLI: `npx tsx scripts/lib/ensure-toxiproxy.ts` builds the pinned toxiproxy server into
 * .tools/bin/toxiproxy-server when it is missing and prints its path. CI runs it before the tests (the fault
 * suite's short variant routes workers through it), so a build problem fails with its own clear message.
 */
import { StackError } from './errors';
import { ensureToxiproxy } from './toxiproxy';

ensureToxiproxy().then(
  (binary) => process.stdout.write(`${binary}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof StackError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
