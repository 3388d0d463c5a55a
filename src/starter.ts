/**
 * lp-archive ops CLI (noun–verb, like the `temporal` CLI): start connectors from a config file, list and
 * watch them, control them, read their per-day log, preflight a config and dry-run it. Commands live in
 * src/cli/commands/. Exit codes: 0 ok, 1 failure, 2 usage error.
 */
import { runCli } from './cli/program';

export { buildCli, runCli } from './cli/program';

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
