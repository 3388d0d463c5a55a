import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateKeyEntry } from './key-ring';

/** Where the local stack keeps its generated codec key. */
export interface DevCodecSecrets {
  /** For LPA_CODEC_KEYS_FILE. */
  readonly keysFile: string;
}

function writeOnce(file: string, content: () => string): void {
  try {
    // 'wx': never overwrite: a new key would make the history already written unreadable.
    fs.writeFileSync(file, content(), { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * The local stack's codec key, generated on first use in `dir` (a file readable by the owner only) and kept,
 * like the SQLite history it protects. Development only: production keys come from a secret store.
 */
export function ensureDevCodecSecrets(dir: string): DevCodecSecrets {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keysFile = path.join(dir, 'keys');
  writeOnce(
    keysFile,
    () =>
      `# lp-archive local stack codec key (LPA_CODEC_KEYS_FILE). Deleting it makes stored history unreadable.\n${generateKeyEntry('local-1')}\n`,
  );
  return { keysFile };
}
