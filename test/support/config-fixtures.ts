import { ConfigError, parseConnectorConfig } from '../../src/config/connector-schema';

/** The "now" the config tests validate against (start dates are checked relative to it). */
export const CONFIG_NOW = Date.UTC(2026, 10, 25, 12, 0);

/** A minimal valid connector file; tests change one part of it. */
export function validConnectorFile(): Record<string, Record<string, unknown> | string> {
  return {
    name: 'emea-prod',
    liveperson: { accountId: '12345678', credentialsRef: 'LP_EMEA' },
    graph: { credentialsRef: 'GRAPH_EMEA' },
    schedule: { startDate: '2026-11-01' },
  };
}

/** The problems a refused config is refused with; fails the test when it is accepted. */
export function problemsOf(input: unknown): readonly string[] {
  try {
    parseConnectorConfig(input, CONFIG_NOW);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be refused');
}
