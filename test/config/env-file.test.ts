import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import {
  applyEnvFile,
  chooseEnvFile,
  EnvFileError,
  envFileNotice,
  formatEnvFile,
  loadEnvFile,
  withEnvFile,
} from '../../src/config/env-file';

describe('env file: which one, read, merged under the real environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lpa-envfile-'));
  const stackEnv = join(dir, '.stack', 'env');
  mkdirSync(join(dir, '.stack'));
  writeFileSync(stackEnv, "TEMPORAL_ADDRESS='127.0.0.1:7233'\nLPA_CODEC_KEYS_FILE='/x/keys'\n# a comment\n");
  const other = join(dir, 'other.env');
  writeFileSync(other, 'TEMPORAL_ADDRESS=10.0.0.1:7233\n');

  it('takes --env-file first, then LPA_ENV_FILE (empty: none), then .stack/env in the working directory', () => {
    expect(chooseEnvFile({ flag: 'other.env', env: { LPA_ENV_FILE: 'x' }, cwd: dir })).toEqual({ path: other, source: '--env-file' });
    expect(chooseEnvFile({ env: { LPA_ENV_FILE: other }, cwd: dir })).toEqual({ path: other, source: 'LPA_ENV_FILE' });
    expect(chooseEnvFile({ env: { LPA_ENV_FILE: '' }, cwd: dir })).toBeUndefined();
    expect(chooseEnvFile({ env: {}, cwd: dir })).toEqual({ path: stackEnv, source: 'default' });
    expect(chooseEnvFile({ env: {} })).toBeUndefined();
  });

  it('skips a missing default file quietly, and refuses a missing named one with the fix', () => {
    const empty = mkdtempSync(join(tmpdir(), 'lpa-envfile-none-'));
    expect(loadEnvFile(chooseEnvFile({ env: {}, cwd: empty }))).toBeUndefined();
    const named = (): unknown => loadEnvFile(chooseEnvFile({ flag: 'nope.env', env: {}, cwd: empty }));
    expect(named).toThrow(EnvFileError);
    expect(named).toThrow(/--env-file .*nope\.env cannot be read \(ENOENT\)\. Start the local stack \(npm run stack/);
  });

  it('adds only variables that are not set: the real environment wins, even an empty value', () => {
    const file = loadEnvFile({ path: stackEnv, source: 'default' })!;
    expect(file.values).toEqual({ TEMPORAL_ADDRESS: '127.0.0.1:7233', LPA_CODEC_KEYS_FILE: '/x/keys' });
    const merged = withEnvFile({ TEMPORAL_ADDRESS: 'real:7233', LPA_CODEC_KEYS_FILE: '' }, file);
    expect(merged.env).toEqual({ TEMPORAL_ADDRESS: 'real:7233', LPA_CODEC_KEYS_FILE: '' });
    expect(merged.fromFile).toEqual([]);
    const added = withEnvFile({ PATH: '/bin' }, file);
    expect(added.env).toEqual({ PATH: '/bin', TEMPORAL_ADDRESS: '127.0.0.1:7233', LPA_CODEC_KEYS_FILE: '/x/keys' });
    expect(envFileNotice(file, added.fromFile, dir)).toBe('Read .stack/env (2 variables)');
    expect(envFileNotice(file, ['TEMPORAL_ADDRESS'], dir)).toBe('Read .stack/env (1 variable; 1 already set in the environment, kept)');
  });

  it('fills a process environment in place for the worker', () => {
    const target: Record<string, string | undefined> = { TEMPORAL_ADDRESS: 'real:7233' };
    expect(applyEnvFile(target, { cwd: dir })).toMatch(/^Read \.stack\/env \(1 variable; 1 already set/);
    expect(target).toEqual({ TEMPORAL_ADDRESS: 'real:7233', LPA_CODEC_KEYS_FILE: '/x/keys' });
    expect(applyEnvFile({ LPA_ENV_FILE: '' }, { cwd: dir })).toBeUndefined();
  });

  it('writes values dotenv and a POSIX shell both read back unchanged', () => {
    const values = {
      AZURE_STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
      WITH_HASH: 'a#b c',
      WITH_QUOTE: "it's",
    };
    const text = formatEnvFile(values, ['written by a test']);
    expect(text.startsWith('# written by a test\n')).toBe(true);
    expect(parse(text)).toEqual(values);
    const file = join(dir, 'written.env');
    writeFileSync(file, text);
    for (const [key, value] of Object.entries(values)) {
      expect(execFileSync('sh', ['-c', `set -a; . "$0"; printf %s "$${key}"`, file], { encoding: 'utf8' })).toBe(value);
    }
    expect(() => formatEnvFile({ BAD: `it's "$x"` })).toThrow(/both quote styles/);
    expect(() => formatEnvFile({ 'NOT-A-NAME': 'x' })).toThrow(/not a valid environment variable name/);
  });
});
