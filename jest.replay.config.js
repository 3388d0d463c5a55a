/**
 * `npm run test:replay`, the release gate CI runs first: every recorded history in test/fixtures/histories must
 * replay on this checkout's workflow code (or on the bundle named by LPA_WORKFLOW_BUNDLE, the one an image ships).
 * Replay needs no server, so the services of the global setup are left out.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { globalSetup, globalTeardown, ...base } = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/test/workflows/replay.test.ts'] };
