import { graphAuthFromEnv, livePersonAuthFromEnv } from '../config/secrets';
import { GraphMailClient } from '../graph/client';
import { DEFAULT_AUTHORITY_HOST, DEFAULT_GRAPH_BASE_URL } from '../graph/constants';
import type { LivePersonClient } from '../liveperson/client';
import { livePersonClientFor } from '../liveperson/for-connector';
import type { LivePersonAuth } from '../liveperson/types';
import type { GraphAuth } from '../graph/types';
import type { ConnectorConfig } from '../model';
import type { CliEnv } from './io';

/** A CLI command waits this long for one answer: an operator is watching. */
export const CLI_REQUEST_TIMEOUT_MS = 20_000;

export { livePersonSettingNames } from '../liveperson/for-connector';

export function livePersonAuth(config: ConnectorConfig, env: CliEnv): LivePersonAuth {
  return livePersonAuthFromEnv(config.liveperson.credentialsRef, env);
}

/** The LivePerson client the worker would build for this connector, tuned for an interactive command. */
export function livePersonClient(config: ConnectorConfig, env: CliEnv): LivePersonClient {
  return livePersonClientFor(config, livePersonAuth(config, env), { requestTimeoutMs: CLI_REQUEST_TIMEOUT_MS });
}

export function graphAuth(config: ConnectorConfig, env: CliEnv): GraphAuth {
  return graphAuthFromEnv(config.graph.credentialsRef, env);
}

export function graphEndpoints(config: ConnectorConfig): { baseUrl: string; authorityHost: string } {
  return { baseUrl: config.graph.baseUrl ?? DEFAULT_GRAPH_BASE_URL, authorityHost: config.graph.authorityHost ?? DEFAULT_AUTHORITY_HOST };
}

/** The Graph client the worker would build for this connector, with few retries (an operator is waiting). */
export function graphClient(config: ConnectorConfig, env: CliEnv): GraphMailClient {
  return new GraphMailClient({
    ...graphEndpoints(config),
    auth: graphAuth(config, env),
    tuning: { maxRetries: 1, maxRetryWaitMs: 5_000, requestTimeoutMs: CLI_REQUEST_TIMEOUT_MS },
  });
}
