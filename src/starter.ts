/**
 * lp-archive ops CLI (noun–verb, like the `temporal` CLI): start connectors from a config file, list and
 * watch them, control them, read their per-day log, preflight a config and dry-run it. Commands live in
 * src/cli/commands/. Exit codes: 0 ok, 1 failure, 2 usage error.
 */
import { runCli } from './cli/program';
import { extraCaFromCliEnvFile, restartWithExtraCa } from './config/extra-ca-restart';
import { installOutboundProxy } from './runtime/outbound-proxy';

export { buildCli, runCli } from './cli/program';

if (require.main === module) {
  // The local stack's env file names its CA (the Graph emulator's HTTPS): Node trusts it only from the start.
  const argv = process.argv.slice(2);
  if (!restartWithExtraCa(process.env.NODE_EXTRA_CA_CERTS, extraCaFromCliEnvFile(argv))) {
    installOutboundProxy();
    void runCli(argv).then((code) => {
      process.exitCode = code;
    });
  }
}
