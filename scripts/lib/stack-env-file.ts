import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatEnvFile, STACK_ENV_FILE } from '../../src/config/env-file';
import { fromProjectRoot } from './paths';

/** `.stack/env` of this checkout: the CLI and the worker read it when they run from the project root. */
export const STACK_ENV_PATH = fromProjectRoot(STACK_ENV_FILE);

/**
 * Writes the local stack's environment (Temporal, storage, payload key file, demo credentials) to `.stack/env`,
 * so that `npm run starter -- …` and `npm run worker` in another terminal need no exports. Written whole, then
 * renamed (a reader never sees half a file); readable by the owner only (the demo credentials are not
 * secrets, but a real connector's could be added by hand).
 */
export function writeStackEnvFile(values: Readonly<Record<string, string>>, file = STACK_ENV_PATH, now = new Date()): string {
  const text = formatEnvFile(values, [
    `Written by npm run stack / npm run demo at ${now.toISOString()}; rewritten at every start.`,
    'Read automatically by `npm run starter -- …` and `npm run worker` run from the project root',
    '(variables already exported win). Elsewhere: --env-file <this file>, or `set -a; . <this file>; set +a`.',
  ]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}
