import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORY_FIXTURES } from '../support/record-history';

/**
 * Recorded histories of real runs (pause/resume, reconfigure, needs-credentials, continue-as-new) must
 * replay on the current workflow code: a change that alters command order without patched() fails here.
 * Re-record with `RECORD_HISTORIES=1 npx jest test/workflows` after a deliberate, patched change.
 * The release gate (`npm run test:replay`); with LPA_WORKFLOW_BUNDLE it replays the bundle an image ships.
 */
const bundle = process.env.LPA_WORKFLOW_BUNDLE;
const workflowCode = bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../../src/workflows') };

describe('replay of recorded connector histories', () => {
  const files = readdirSync(HISTORY_FIXTURES).filter((f) => f.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('replays %s without non-determinism', async (file) => {
    const history: unknown = JSON.parse(readFileSync(join(HISTORY_FIXTURES, file), 'utf8'));
    await expect(Worker.runReplayHistory(workflowCode, history, `replay-${file}`)).resolves.toBeUndefined();
  });
});
