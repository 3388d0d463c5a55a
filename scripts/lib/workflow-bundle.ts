import { bundleWorkflowCode } from '@temporalio/worker';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './paths';

/** The connector's workflow sources, as the worker would bundle them itself. */
export const WORKFLOWS_SOURCE = path.join(PROJECT_ROOT, 'src', 'workflows', 'index.ts');

/**
 * Bundles the workflow code ahead of time (what a production image does at build time) and writes it to
 * `outFile`. A worker started with `LPA_WORKFLOW_BUNDLE=<outFile>` loads it instead of running webpack itself.
 */
export async function writeWorkflowBundle(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_SOURCE, logger: quietLogger });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, outFile);
  return outFile;
}

let shared: Promise<string> | undefined;

/** One bundle of this checkout's workflow code per process (in a temp dir), for the workers a script starts. */
export function sharedWorkflowBundle(): Promise<string> {
  shared ??= writeWorkflowBundle(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lp-archive-bundle-')), 'workflow-bundle.js'));
  return shared;
}

/** webpack's progress lines are noise in the scripts' output; warnings and errors still show. */
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
