/**
 * `npm run bundle:workflows -- --out <file>`: bundles the connector's workflow code ahead of time, as a
 * production image should at build time. Start workers with `LPA_WORKFLOW_BUNDLE=<file>`: they then skip
 * webpack at start (faster, about 100 MB less peak memory). Rebuild the bundle with every release.
 */
import { Command } from 'commander';
import * as path from 'node:path';
import { writeWorkflowBundle } from './lib/workflow-bundle';

const o = new Command('bundle:workflows')
  .option('--out <file>', 'where to write the bundle', 'dist/workflow-bundle.js')
  .parse(process.argv)
  .opts<{ out: string }>();

writeWorkflowBundle(path.resolve(o.out)).then(
  (file) => console.log(`workflow bundle written to ${file}\nstart workers with LPA_WORKFLOW_BUNDLE=${file}`),
  (err: unknown) => {
    console.error(`bundling the workflow code failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
