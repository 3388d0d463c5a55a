import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keyRingFromEnv } from '../../src/codec';
import { ensureDevCodecSecrets } from '../../src/codec/dev-secrets';
import { temporalDevServerArgs } from '../../scripts/lib/temporal-server';

describe('the local stack codec wiring', () => {
  it('generates the dev key once, owner-only, and keeps it (the SQLite history needs the same key)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-codec-'));
    try {
      const first = ensureDevCodecSecrets(path.join(dir, 'codec'));
      const key = fs.readFileSync(first.keysFile, 'utf8');
      expect(fs.statSync(first.keysFile).mode & 0o077).toBe(0);
      expect(keyRingFromEnv({ LPA_CODEC_KEYS_FILE: first.keysFile })?.activeKeyId).toBe('local-1');
      const again = ensureDevCodecSecrets(path.join(dir, 'codec'));
      expect(fs.readFileSync(again.keysFile, 'utf8')).toBe(key);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes the codec endpoint to the dev server Web UI, and not when headless', () => {
    const base = { ip: '127.0.0.1', port: 7233, namespace: 'default', uiPort: 8233, uiCodecEndpoint: 'http://127.0.0.1:8888' };
    const args = temporalDevServerArgs(base);
    expect(args[args.indexOf('--ui-codec-endpoint') + 1]).toBe('http://127.0.0.1:8888');
    expect(temporalDevServerArgs({ ...base, headless: true })).not.toContain('--ui-codec-endpoint');
  });
});
