import { Connection } from '@temporalio/client';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServiceExitedError } from '../../scripts/lib/errors';
import { startTemporalDevServer, temporalNamespaceReady } from '../../scripts/lib/temporal-server';
import { DEFAULT_TASK_QUEUE } from '../../src/config/worker-env';
import { startExtraTemporalServer, temporalCliPath } from './services';

/**
 * A stand-in for the `temporal` binary: writes each call's arguments to a file, fails the first `failures`
 * calls with `message`, then runs the real CLI.
 */
function flakyCli(dir: string, real: string, failures: number, message: string): { binary: string; calls(): string[][] } {
  const calls = path.join(dir, 'calls');
  const binary = path.join(dir, 'temporal');
  const failure = path.join(dir, 'failure');
  fs.writeFileSync(failure, `${message}\n`);
  fs.writeFileSync(
    binary,
    [
      '#!/usr/bin/env bash',
      `echo "$*" >> '${calls}'`,
      `if [ "$(wc -l < '${calls}')" -le ${failures} ]; then cat '${failure}' >&2; exit 1; fi`,
      `exec '${real}' "$@"`,
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    binary,
    calls: () =>
      fs.existsSync(calls)
        ? fs
            .readFileSync(calls, 'utf8')
            .trim()
            .split('\n')
            .map((l) => l.split(' '))
        : [],
  };
}

const portOf = (args: string[]): string | undefined => args[args.indexOf('--port') + 1];
const BIND_FAILURE = "Error: can't set UI port 41234: listen tcp 127.0.0.1:41234: bind: address already in use";

describe('starting a Temporal dev server', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-temporal-start-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts again on other ports when a port it chose was taken before the server bound it', async () => {
    const cli = flakyCli(dir, await temporalCliPath(), 1, BIND_FAILURE);
    const server = await startTemporalDevServer({ binary: cli.binary, inMemory: true, log: 'silent', name: 'retry-temporal' });
    try {
      expect(await temporalNamespaceReady(server.address, 'default')).toBe(true);
      const ports = cli.calls().map(portOf);
      expect(ports).toHaveLength(2);
      expect(ports[1]).toBe(String(server.port));
      expect(ports[0]).not.toBe(ports[1]);
      expect(server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.stop();
    }
  });

  it('gives up after three starts that all find a port taken, with the last output', async () => {
    const cli = flakyCli(dir, await temporalCliPath(), 99, BIND_FAILURE);
    const start = startTemporalDevServer({ binary: cli.binary, headless: true, inMemory: true, log: 'silent', name: 'taken-temporal' });
    await expect(start).rejects.toBeInstanceOf(ServiceExitedError);
    await expect(start).rejects.toThrow(/Temporal dev server \(taken-temporal\) exited with code 1[\s\S]*address already in use/);
    expect(cli.calls()).toHaveLength(3);
  });

  it('does not start again when the server fails for another reason', async () => {
    const cli = flakyCli(dir, await temporalCliPath(), 99, 'Error: unable to open database file');
    const start = startTemporalDevServer({ binary: cli.binary, headless: true, inMemory: true, log: 'silent', name: 'broken-temporal' });
    await expect(start).rejects.toThrow(/unable to open database file/);
    expect(cli.calls()).toHaveLength(1);
  });
});

describe('the dev server of every local stack', () => {
  it('keeps each task queue in one partition, so that fairness holds across the whole queue', async () => {
    const server = await startExtraTemporalServer();
    const connection = await Connection.connect({ address: server.address });
    try {
      const partitions = await connection.workflowService.listTaskQueuePartitions({
        namespace: server.namespace,
        taskQueue: { name: DEFAULT_TASK_QUEUE },
      });
      expect(partitions.activityTaskQueuePartitions).toHaveLength(1);
      expect(partitions.workflowTaskQueuePartitions).toHaveLength(1);
    } finally {
      await connection.close();
      await server.stop();
    }
  });
});
