import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { testServices } from '../setup/services';

export const HISTORY_FIXTURES = join(__dirname, '..', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, saves a finished run's history as a replay fixture (test/fixtures/histories),
 * in the JSON form `temporal workflow show --output json` and the Web UI's download give. Re-record after a
 * deliberate, patched() change to the workflow; the replay test then proves old runs still replay.
 */
export function recordHistory(handle: WorkflowHandle, name: string, runId?: string): void {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = process.env.LP_ARCHIVE_TEMPORAL_CLI;
  if (!cli) throw new Error('LP_ARCHIVE_TEMPORAL_CLI is not set (the jest global setup sets it)');
  const services = testServices();
  const json = execFileSync(
    cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      handle.workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
      '--address',
      services.temporalAddress,
      '--namespace',
      services.temporalNamespace,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  mkdirSync(HISTORY_FIXTURES, { recursive: true });
  writeFileSync(join(HISTORY_FIXTURES, `${name}.json`), json);
}
