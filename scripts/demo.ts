/**
 * `npm run demo`: the local stack of temporal-dev.yaml (reused when `npm run stack` already runs it), a
 * worker, and the `demo` connector backfilling the LivePerson emulator's last days into the Graph
 * emulator's mailboxes; prints progress every few seconds until Ctrl-C.
 *
 * `npm run demo -- --check`: the same on a fresh, private stack (temporary SQLite and Azurite data, free
 * ports); runs until the connector has caught up, pauses it, verifies the result against both emulators'
 * inspection endpoints and visibility, prints a verdict table and exits 0 (pass) or 1.
 */
import { Client, Connection } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import { dataConverterFromEnv } from '../src/codec';
import { parseDuration, type ConnectorConfig, type ConnectorStatus } from '../src/model';
import { pauseSignal, statusQuery } from '../src/workflows/messages';
import { emulatorChats, emulatorConversations } from './lib/emulator-truth';
import { StackError } from './lib/errors';
import { relaunchTrustingLocalCa } from './lib/local-ca';
import { STACK_CONFIG_FILE } from './lib/paths';
import type { ManagedProcess } from './lib/process';
import { loadStackConfig } from './lib/stack-config';
import { acquireStack, type DemoStack } from './demo/acquire-stack';
import { demoConnectorConfig, demoStartDate, ensureConnectorRunning } from './demo/demo-connector';
import { formatElapsed, mailboxSummary, progressLine } from './demo/inspect';
import { isolatedStackConfig } from './demo/isolated-config';
import { evaluate, formatVerdicts } from './demo/verdicts';
import { listConnectorWorkflows, listConnectorWorkflowsInUi, webUiWorkflowsLink } from './demo/visibility';
import { startDemoWorker } from './demo/worker-process';
import { DEMO_CREDENTIALS, WORKER_STOP_GRACE_MS } from './lib/worker-process';
import { writeStackEnvFile } from './lib/stack-env-file';
import { explainMappingGaps, operatorCommands, rel, writeDemoOperatorFiles } from './demo/operator-files';

const PROGRESS_EVERY_MS = 5_000;

interface Options {
  readonly config: string;
  readonly check: boolean;
  readonly timeout: number;
  readonly keepData: boolean;
}

const say = (m: string): boolean => process.stdout.write(`[demo] ${m}\n`);
const note = (m: string): boolean => process.stderr.write(`[demo] ${m}\n`);

function durationArg(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('a duration such as 20m or 1h');
  return ms;
}

/** Everything the demo started, stopped in reverse order (worker before the stack) exactly once. */
class Cleanup {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];
  private done: Promise<void> | undefined;
  stopping = false;

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  /** Runs every step added so far, newest first; steps added later (a start that was under way) run on the next call. */
  run(): Promise<void> {
    this.stopping = true;
    this.done = (this.done ?? Promise.resolve()).then(async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.run();
        } catch (err) {
          note(`while stopping ${step.what}: ${(err as Error).message}`);
        }
      }
    });
    return this.done;
  }
}

/** Thrown when a signal arrived while something was starting: stop instead of going on. */
class Interrupted extends Error {}

const sleep = (ms: number, cleanup: Cleanup): Promise<void> =>
  new Promise((resolve) => {
    const step = 250;
    let left = ms;
    const tick = (): void => {
      left -= step;
      if (left <= 0 || cleanup.stopping) resolve();
      else setTimeout(tick, step);
    };
    setTimeout(tick, Math.min(step, ms));
  });

async function queryStatus(client: Client, workflowId: string): Promise<ConnectorStatus | string> {
  try {
    return await client.workflow.getHandle(workflowId).query(statusQuery);
  } catch (err) {
    return `not available yet (${(err as Error).message})`;
  }
}

async function oneProgressLine(
  client: Client,
  stack: DemoStack,
  connector: ConnectorConfig,
  workflowId: string,
  since: number,
): Promise<ConnectorStatus | string> {
  const [status, mail] = await Promise.all([
    queryStatus(client, workflowId),
    mailboxSummary(stack.graphUrl, connector.graph.folderName, connector.name).catch(
      (err: unknown) => `inspection failed (${(err as Error).message})`,
    ),
  ]);
  say(progressLine(status, mail, Date.now() - since));
  return status;
}

/** Fails fast when a child we started dies, instead of waiting for a timeout against half a stack. */
function watchChildren(children: readonly ManagedProcess[], cleanup: Cleanup, onDeath: (message: string) => void): void {
  for (const child of children) {
    void child.exited.then((exit) => {
      if (cleanup.stopping) return;
      onDeath(
        `${child.name} exited unexpectedly (${exit.signal ?? `code ${String(exit.code)}`}). Its last output:\n` +
          child
            .recentOutput()
            .slice(-15)
            .map((l) => `  ${l}`)
            .join('\n'),
      );
    });
  }
}

/** The reasons among the connector log's recent failure rows, most frequent first (failed items are logged, never dropped). */
function failureReasons(status: ConnectorStatus): string {
  if (status.totals.failed === 0) return '';
  const counts = new Map<string, number>();
  // Group by the kind of failure (the text before its per-item details).
  const kind = (reason: string): string => {
    const head = reason.split(':')[0] ?? reason;
    return head.includes('(') && !head.includes(')') ? `${head})` : head;
  };
  for (const f of status.recentFailures) counts.set(kind(f.reason), (counts.get(kind(f.reason)) ?? 0) + 1);
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `    ${String(n).padStart(5)}  ${reason}`);
  return `\n  ${status.totals.failed} failed items; reasons among the last ${status.recentFailures.length} failure rows:\n${rows.join('\n')}\n`;
}

/** `--check`: wait for `live`, pause, verify, print the verdicts. Resolves true on pass. */
async function check(
  client: Client,
  stack: DemoStack,
  connector: ConnectorConfig,
  workflowId: string,
  startedAt: number,
  options: Options,
  cleanup: Cleanup,
): Promise<boolean> {
  const deadline = startedAt + options.timeout;
  let caughtUpAt: number | undefined;
  while (!cleanup.stopping) {
    const status = await oneProgressLine(client, stack, connector, workflowId, startedAt);
    if (typeof status !== 'string') {
      if (status.state === 'needs-credentials')
        throw new StackError(`The connector needs an operator: ${status.lastError ?? 'no error recorded'}`);
      // `live` with no window in progress: the cursor is within a poll interval of (now − lag); with legacy chat,
      // the shown cursor is the chat one (chatLag behind), and both sources must be past their backfill.
      const bothLive = !status.sources || status.lagSeconds * 1000 < connector.schedule.chatLagMs + connector.schedule.backfillWindowMs / 4;
      if (status.state === 'live' && !status.currentWindow && status.windowsDone > 0 && bothLive) {
        caughtUpAt = Date.now();
        break;
      }
    }
    if (Date.now() > deadline)
      throw new StackError(
        `The connector did not catch up within ${formatElapsed(options.timeout)} (see the progress lines above; raise --timeout on a slow machine).`,
      );
    await sleep(PROGRESS_EVERY_MS, cleanup);
  }
  if (caughtUpAt === undefined) return false;
  say(`caught up after ${formatElapsed(caughtUpAt - startedAt)}; pausing the connector so cursor and mailboxes hold still for the checks`);

  const handle = client.workflow.getHandle(workflowId);
  await handle.signal(pauseSignal);
  let status: ConnectorStatus | undefined;
  const pauseDeadline = Date.now() + 5 * 60_000;
  while (!cleanup.stopping) {
    const s = await queryStatus(client, workflowId);
    if (typeof s !== 'string' && s.state === 'paused' && !s.currentWindow) {
      status = s;
      break;
    }
    if (Date.now() > pauseDeadline) throw new StackError('The connector did not pause within 5 minutes after the pause signal.');
    await sleep(500, cleanup);
  }
  if (!status) return false;

  const cursor = Date.parse(status.sources?.messaging.cursor ?? status.cursor);
  const seed = stack.config.emulators.liveperson.seed;
  const checkedAt = Date.now();
  const [truth, chatTruth, mail, visibilityIds, uiIds] = await Promise.all([
    emulatorConversations(stack.lpUrl, connector.schedule.startAt, cursor, seed),
    status.sources
      ? emulatorChats(stack.lpUrl, connector.schedule.startAt, Date.parse(status.sources.chat.cursor), seed)
      : Promise.resolve(undefined),
    mailboxSummary(stack.graphUrl, connector.graph.folderName, connector.name),
    listConnectorWorkflows(client, connector.name),
    listConnectorWorkflowsInUi(stack.uiUrl, stack.namespace, connector.name),
  ]);
  const verdicts = evaluate({
    connector: connector.name,
    status,
    startAt: connector.schedule.startAt,
    catchUpMs: caughtUpAt - startedAt,
    truth,
    ...(chatTruth ? { chats: { truth: chatTruth, lagMs: connector.schedule.chatLagMs, checkedAt } } : {}),
    mail,
    visibilityIds,
    uiIds,
    workflowId,
  });
  process.stdout.write(
    `\nlp-archive demo --check\n${formatVerdicts(verdicts)}\n${failureReasons(status)}\n${explainMappingGaps(stack.config).join('\n')}\n`,
  );
  return verdicts.every((v) => v.pass);
}

async function main(): Promise<number> {
  // The Graph emulator serves HTTPS signed by the local CA: run trusting it (NODE_EXTRA_CA_CERTS).
  await relaunchTrustingLocalCa();
  const options = new Command()
    .name('demo')
    .description('Run the local stack, a worker and the demo connector (npm run demo)')
    .option('-c, --config <file>', 'stack description', STACK_CONFIG_FILE)
    .option('--check', 'private fresh stack; run until caught up, verify, print verdicts, exit 0/1', false)
    .option('--timeout <duration>', 'with --check: give up when not caught up after this long', durationArg, 30 * 60_000)
    .option('--keep-data', 'with --check: keep the temporary SQLite/Azurite folder', false)
    .parse()
    .opts<Options>();

  const cleanup = new Cleanup();
  let exitCode = 0;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // `npm run` and tsx relay a terminal Ctrl-C too, so one keypress can arrive more than once.
    if (signalled) return;
    signalled = true;
    note(`${signal}: stopping the worker, then the stack`);
    // main() notices `stopping`, finishes what it was doing and runs the cleanup again for anything started since.
    void cleanup.run();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const base = loadStackConfig(options.config);
  let dataDir: string | undefined;
  let stackConfig = base;
  if (options.check) {
    const isolated = await isolatedStackConfig(base);
    stackConfig = isolated.config;
    dataDir = isolated.dataDir;
    note(`--check: a private stack on free ports, data in ${dataDir}`);
  }

  try {
    const stack = await acquireStack(stackConfig, { progress: note, allowReuse: !options.check });
    cleanup.add('the stack', () => stack.stop());
    if (cleanup.stopping) throw new Interrupted();

    note('starting the worker (src/worker.ts)');
    const worker = await startDemoWorker(stack.env, { progress: note });
    cleanup.add('the worker', () => worker.stop(WORKER_STOP_GRACE_MS));
    if (cleanup.stopping) throw new Interrupted();

    let died: string | undefined;
    const started = stack.started;
    const children = [
      worker,
      started?.temporal?.process,
      started?.azurite?.process,
      started?.liveperson?.process,
      started?.graph?.process,
    ].filter((p): p is ManagedProcess => p !== undefined);
    watchChildren(children, cleanup, (message) => {
      died = message;
      note(message);
      exitCode = 1;
      void cleanup.run().then(() => process.exit(1));
    });

    const connection = await Connection.connect({ address: stack.temporalAddress });
    cleanup.add('the Temporal client', () => connection.close());
    // The worker's payload key (stack.env): queries and results come back encrypted otherwise.
    const client = new Client({ connection, namespace: stack.namespace, dataConverter: dataConverterFromEnv(stack.env) });

    const now = Date.now();
    const lp = stack.config.emulators.liveperson;
    const connector = demoConnectorConfig(
      {
        name: stack.config.demo.connector,
        accountId: lp.account,
        lpUrl: stack.lpUrl,
        graphUrl: stack.graphUrl,
        startDate: demoStartDate(now, lp.days),
      },
      now,
    );
    const start = await ensureConnectorRunning(client, stack.config.worker.taskQueue, connector);
    const startedAt = Date.now();
    if (start.kind === 'kept') {
      say(
        `connector "${connector.name}" is already running (workflow ${start.workflowId}, from an earlier demo on the same SQLite file); keeping it`,
      );
      if (stack.reused.length < 4)
        say(
          'note: the emulators keep their data in memory, so the mailboxes show only what it archives from now on; delete .stack/ for a full backfill',
        );
    } else {
      say(
        `started connector "${connector.name}" (workflow ${start.workflowId}) ` +
          (start.resumedFrom
            ? `resuming from its cursor ${start.resumedFrom}`
            : `backfilling from ${new Date(connector.schedule.startAt).toISOString()}`),
      );
    }
    say(`Temporal Web UI: ${stack.uiUrl}`);
    if (stack.consoleUrl)
      say(`connector console: ${stack.consoleUrl} (sign in as olivia.operator@contoso.example / operator-dev-password)`);
    say(`the connector's workflow: ${webUiWorkflowsLink(stack.uiUrl, stack.namespace, connector.name)}`);
    if (!options.check) {
      // The private --check stack is not the one .stack/env describes: only the shared stack writes it.
      const envFile = writeStackEnvFile({ ...stack.env, ...DEMO_CREDENTIALS });
      writeDemoOperatorFiles(stack.config, now);
      say(`in another terminal, no exports needed (the environment is in ${rel(envFile)}, read automatically):`);
      for (const command of operatorCommands(stack.config, { workerRunning: true })) say(`  ${command}`);
    }

    if (options.check) {
      const pass = await check(client, stack, connector, start.workflowId, startedAt, options, cleanup);
      exitCode = pass && !died ? 0 : 1;
    } else {
      say('progress every 5 s (status query | Graph emulator mailboxes); Ctrl-C stops the worker and the stack');
      let summarised = false;
      while (!cleanup.stopping) {
        const status = await oneProgressLine(client, stack, connector, start.workflowId, startedAt);
        // Once caught up, one summary: the counts, and why some items failed (the demo's deliberate gaps).
        if (!summarised && typeof status !== 'string' && status.state === 'live' && status.windowsDone > 0) {
          summarised = true;
          say(
            `caught up: ${status.totals.imported} imported, ${status.totals.partial} partial, ${status.totals.failed} failed of ${status.totals.forImport} items`,
          );
          for (const line of explainMappingGaps(stack.config)) say(line);
        }
        await sleep(PROGRESS_EVERY_MS, cleanup);
      }
    }
  } catch (err) {
    if (err instanceof Interrupted) return finish(cleanup, exitCode || 130, dataDir, options);
    exitCode = 1;
    note(err instanceof StackError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
  }

  return finish(cleanup, exitCode, dataDir, options);
}

/** Stops everything we started, removes a passed check's data, and gives the exit code. */
async function finish(cleanup: Cleanup, exitCode: number, dataDir: string | undefined, options: Options): Promise<number> {
  await cleanup.run();
  note('stopped');
  if (dataDir) {
    if (exitCode === 0 && !options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    else note(`the --check data is kept in ${dataDir}`);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    note(err instanceof StackError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
