/**
 * `npm run test:replay`, the release gate CI runs first: every recorded history in test/fixtures/histories must
 * replay on this checkout's workflow code (or on the bundle named by LPA_WORKFLOW_BUNDLE, the one an image ships).
 * Replay needs no server, no emulator and no local CA, so this config has none of jest.config.js's set-up.
 */

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/test/workflows/replay.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  testTimeout: 120000,
};
