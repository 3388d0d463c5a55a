const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

/**
 * The Graph emulator serves HTTPS signed by the local CA (scripts/lib/local-ca.ts), and Node reads
 * NODE_EXTRA_CA_CERTS only when it starts: a jest started without it (`npx jest …`, `npm test`) makes the CA if
 * needed and runs itself again trusting it, passing signals on and exiting with the child's code.
 */
function relaunchTrustingLocalCa() {
  const caPath = path.join(__dirname, '.stack', 'tls', 'ca.pem');
  if (process.env.NODE_EXTRA_CA_CERTS === caPath) return Promise.resolve();
  const made = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'scripts', 'lib', 'local-ca.ts')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (made.status !== 0 || made.stdout.trim() !== caPath) throw new Error(`Could not make the local CA (${caPath}): ${made.stdout}`);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return new Promise(() => undefined);
}

/** @type {import('jest').Config} */
const config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120000,
};

module.exports = async () => {
  await relaunchTrustingLocalCa();
  return config;
};
