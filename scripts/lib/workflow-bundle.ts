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

/** Temp folders of shared bundles are named `lp-archive-bundle-<pid>-<random>`: the pid says whose it is. */
export const BUNDLE_DIR_PREFIX = 'lp-archive-bundle-';
const OWNED = new RegExp(`^${BUNDLE_DIR_PREFIX}(\\d+)-`);

/**
 * One bundle of this checkout's workflow code per process, for the workers a script starts. Its temp folder
 * (about 2 MB) goes when the process exits; folders left by processes that died without exiting (SIGKILL,
 * a crash) are removed the next time a bundle is made.
 */
export function sharedWorkflowBundle(tmpDir = os.tmpdir()): Promise<string> {
  if (!shared) {
    removeOrphanedBundleDirs(tmpDir);
    const dir = fs.mkdtempSync(path.join(tmpDir, `${BUNDLE_DIR_PREFIX}${process.pid}-`));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    shared = writeWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  }
  return shared;
}

/** Removes bundle folders whose process is gone; folders of live processes, and of other naming, are left alone. */
export function removeOrphanedBundleDirs(tmpDir: string, alive: (pid: number) => boolean = isAlive): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(OWNED.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(tmpDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
