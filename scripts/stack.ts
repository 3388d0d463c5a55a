/**
 * `npm run stack`: starts the local lp-archive stack from temporal-dev.yaml (Temporal dev server with Web UI,
 * Azurite, LivePerson and Graph emulators, the dev identity provider and the connector console), writes its
 * environment to .stack/env (with the demo connector's files), prints where everything is and what to run
 * next, and stops it all on Ctrl-C / SIGTERM.
 *
 * Usage: npm run stack [-- --config other.yaml] [-- --only temporal,azurite]
 */
import { Command, InvalidArgumentError } from 'commander';
import { StackError } from './lib/errors';
import { relaunchTrustingLocalCa } from './lib/local-ca';
import { STACK_CONFIG_FILE } from './lib/paths';
import { startStack, STACK_SERVICES, type RunningStack, type StackService } from './lib/stack';
import { loadStackConfig } from './lib/stack-config';
import { writeStackEnvFile } from './lib/stack-env-file';
import { DEMO_CREDENTIALS } from './lib/worker-process';
import { operatorCommands, rel, writeDemoOperatorFiles } from './demo/operator-files';

function parseServices(value: string): StackService[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(STACK_SERVICES as readonly string[]).includes(name))
      throw new InvalidArgumentError(`unknown service "${name}"; choose from ${STACK_SERVICES.join(', ')}`);
  }
  return names as StackService[];
}

/** Files the stack wrote for the operator. */
interface StackFiles {
  readonly envFile: string;
}

function summary(stack: RunningStack, files: StackFiles): string {
  const lines = ['', 'lp-archive local stack is up:'];
  const row = (label: string, value: string): number => lines.push(`  ${label.padEnd(20)} ${value}`);
  if (stack.temporal) {
    row('Temporal frontend', `${stack.temporal.address} (namespace ${stack.temporal.namespace})`);
    if (stack.temporal.uiUrl) row('Temporal Web UI', stack.temporal.uiUrl);
  }
  if (stack.azurite) row('Azurite blob', stack.azurite.blobEndpoint);
  if (stack.liveperson) row('LivePerson emulator', `${stack.liveperson.url} (account ${stack.liveperson.account})`);
  if (stack.graph) row('Graph emulator', stack.graph.url);
  if (stack.codec) row('Codec server', `${stack.codec.url} (the Web UI decodes through it)`);
  if (stack.identity) row('Identity provider', `${stack.identity.url} (OpenID Connect; users in docs/console.md)`);
  if (stack.console) row('Connector console', `${stack.console.url} (sign in as olivia.operator@contoso.example / operator-dev-password)`);
  row('Worker task queue', `${stack.config.worker.taskQueue} (metrics port ${stack.config.worker.metricsPort})`);
  row('Environment', `${rel(files.envFile)} (read by npm run worker and npm run starter; exported variables win)`);
  lines.push('', 'Next, in another terminal (no exports needed):');
  for (const command of operatorCommands(stack.config, { workerRunning: false })) lines.push(`  ${command}`);
  lines.push('', `From another directory: --env-file ${files.envFile}, or  set -a; . ${files.envFile}; set +a`);
  if (stack.codec) {
    lines.push(
      '',
      'Payloads are encrypted (LPA_CODEC_KEYS_FILE in the env file); the Web UI decodes them through the codec server. From the CLI on this machine:',
      `  temporal workflow show -w <id> --codec-endpoint ${stack.codec.url}`,
    );
  }
  lines.push('', 'Press Ctrl-C to stop everything.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  // The Graph emulator serves HTTPS signed by the local CA: run trusting it (NODE_EXTRA_CA_CERTS).
  await relaunchTrustingLocalCa();
  const options = new Command()
    .name('stack')
    .description('Run the local lp-archive stack described by temporal-dev.yaml')
    .option('-c, --config <file>', 'stack description', STACK_CONFIG_FILE)
    .option('--only <services>', `comma-separated subset of ${STACK_SERVICES.join(',')}`, parseServices)
    .parse()
    .opts<{ config: string; only?: StackService[] }>();

  const config = loadStackConfig(options.config);
  const stack = await startStack(config, { services: options.only });
  // What a worker and the CLI in another terminal need, so the commands below run verbatim.
  const envFile = writeStackEnvFile({ ...stack.env, ...stack.codec?.env, ...DEMO_CREDENTIALS });
  writeDemoOperatorFiles(config);
  process.stdout.write(summary(stack, { envFile }));

  let stopping = false;
  let stoppingSince = 0;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // `npm run`/tsx relay the terminal's Ctrl-C as well, so one keypress can arrive twice.
      if (Date.now() - stoppingSince > 1_000) process.stderr.write(`[stack] ${signal} again: still stopping, please wait\n`);
      return;
    }
    stopping = true;
    stoppingSince = Date.now();
    process.stderr.write(`[stack] ${signal}: stopping all services\n`);
    stack.stop().then(
      () => {
        process.stderr.write('[stack] stopped\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`[stack] error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  // A service dying on its own takes the stack down, so nobody works against half a stack unknowingly.
  const children = [stack.temporal, stack.azurite, stack.liveperson, stack.graph, stack.identity, stack.console].filter(
    (s) => s !== undefined,
  );
  for (const child of children) {
    void child.process.exited.then((exit) => {
      if (stopping) return;
      process.stderr.write(
        `[stack] ${child.process.name} exited unexpectedly (${exit.signal ?? `code ${String(exit.code)}`}); stopping the stack\n` +
          child.process
            .recentOutput()
            .slice(-10)
            .map((l) => `  ${l}\n`)
            .join(''),
      );
      stopping = true;
      void stack.stop().finally(() => process.exit(1));
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[stack] ${err instanceof StackError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
