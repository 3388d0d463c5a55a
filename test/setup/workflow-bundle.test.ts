import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_DIR_PREFIX, removeOrphanedBundleDirs } from '../../scripts/lib/workflow-bundle';

const ROOT = path.join(__dirname, '..', '..');

describe('the shared workflow bundle of the scripts leaves nothing in the temp directory', () => {
  it('is removed when the process that made it exits', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-bundle-test-'));
    const script = `require('./scripts/lib/workflow-bundle').sharedWorkflowBundle(${JSON.stringify(tmp)}).then((p) => {
      console.log(p, require('node:fs').statSync(p).size);
      process.exit(0);
    });`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, timeout: 180_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const [bundle, size] = out.trim().split(' ');
    expect(path.basename(path.dirname(bundle!))).toMatch(new RegExp(`^${BUNDLE_DIR_PREFIX}\\d+-`));
    expect(Number(size)).toBeGreaterThan(100_000); // it was written, then removed at exit
    expect(fs.existsSync(bundle!)).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 200_000);

  it('removes folders of processes that died without exiting, and only those', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-bundle-orphans-'));
    for (const name of [`${BUNDLE_DIR_PREFIX}111-abc`, `${BUNDLE_DIR_PREFIX}222-def`, `${BUNDLE_DIR_PREFIX}xYz123`, 'unrelated-333-x']) {
      fs.mkdirSync(path.join(tmp, name));
    }
    const removed = removeOrphanedBundleDirs(tmp, (pid) => pid === 222);
    expect(removed).toEqual([`${BUNDLE_DIR_PREFIX}111-abc`]);
    // The live process's folder, an old-style folder (no pid: whose it is cannot be told) and others stay.
    expect(fs.readdirSync(tmp).sort()).toEqual([`${BUNDLE_DIR_PREFIX}222-def`, `${BUNDLE_DIR_PREFIX}xYz123`, 'unrelated-333-x']);
  });
});
