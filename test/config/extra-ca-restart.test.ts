import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraphEmulator } from '../../emulators/graph/server';
import { extraCaFromCliEnvFile, restartWithExtraCa } from '../../src/config/extra-ca-restart';
import { ensureLocalCa } from '../../scripts/lib/local-ca';
import { startEmulator } from '../graph/helpers';
import { tempDir } from '../support/test-certificates';

/**
 * NODE_EXTRA_CA_CERTS from an env file (the local stack's .stack/env names its CA) can only work from a process's
 * start: the worker and the CLI start again with it.
 */
describe('NODE_EXTRA_CA_CERTS from an env file', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('lpa-extra-ca-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the CLI finds it in --env-file, LPA_ENV_FILE or .stack/env, unless it is already set', () => {
    const file = path.join(dir, 'env');
    fs.writeFileSync(file, "NODE_EXTRA_CA_CERTS='/stack/tls/ca.pem'\nTEMPORAL_ADDRESS='127.0.0.1:7233'\n");
    expect(extraCaFromCliEnvFile(['--env-file', file, 'check', 'c.yaml'], {}, dir)).toBe('/stack/tls/ca.pem');
    expect(extraCaFromCliEnvFile(['check', 'c.yaml'], { LPA_ENV_FILE: file }, '/')).toBe('/stack/tls/ca.pem');
    fs.mkdirSync(path.join(dir, '.stack'), { recursive: true });
    fs.copyFileSync(file, path.join(dir, '.stack', 'env'));
    expect(extraCaFromCliEnvFile(['connector', 'list'], {}, dir)).toBe('/stack/tls/ca.pem');
    expect(extraCaFromCliEnvFile(['connector', 'list'], { NODE_EXTRA_CA_CERTS: '/mine.pem' }, dir)).toBeUndefined();
    expect(extraCaFromCliEnvFile(['--env-file', path.join(dir, 'missing'), 'check'], {}, dir)).toBeUndefined();
  });

  it('nothing to do when the process started with it or none is wanted', () => {
    expect(restartWithExtraCa('/a.pem', '/a.pem')).toBeUndefined();
    expect(restartWithExtraCa(undefined, undefined)).toBeUndefined();
    expect(restartWithExtraCa(undefined, '')).toBeUndefined();
  });

  describe('a process that learns the CA after its start', () => {
    let emu: GraphEmulator;
    beforeAll(async () => {
      emu = await startEmulator();
    });
    afterAll(async () => emu.close());

    it('starts again trusting it (an HTTPS call to the emulator works) and exits with the child’s code', async () => {
      const probe = path.join(__dirname, '..', 'fixtures', 'extra-ca-restart-probe.ts');
      const env = { ...process.env };
      delete env.NODE_EXTRA_CA_CERTS;
      const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', probe, ensureLocalCa().caPath, `${emu.url}/_emulator/stats`],
          { env, timeout: 60_000 },
          (_err, stdout) => resolve({ code: child.exitCode, stdout }),
        );
      });
      expect(run.stdout).toBe(`status 200 with ${ensureLocalCa().caPath}\n`);
      expect(run.code).toBe(7);
    });
  });
});
