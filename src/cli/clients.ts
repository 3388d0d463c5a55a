import { graphAuthFromEnv, livePersonAuthFromEnv } from '../config/secrets';
import { GraphMailClient } from '../graph/client';
import type { LivePersonClient } from '../liveperson/client';
import { livePersonClientFor } from '../liveperson/for-connector';
import type { LivePersonAuth } from '../liveperson/types';
import type { GraphAuth } from '../graph/types';
import { graphEndpointsOf, type ConnectorConfig, type GraphEndpoints } from '../model';
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

/** The connector's Graph endpoint, authority and scope, from its cloud (or its private endpoints). */
export function graphEndpoints(config: ConnectorConfig): GraphEndpoints {
  return graphEndpointsOf(config.graph);
}

/** The Graph client the worker would build for this connector, with few retries (an operator is waiting). */
export function graphClient(config: ConnectorConfig, env: CliEnv): GraphMailClient {
  return new GraphMailClient({
    ...graphEndpoints(config),
    auth: graphAuth(config, env),
    tuning: { maxRetries: 1, maxRetryWaitMs: 5_000, requestTimeoutMs: CLI_REQUEST_TIMEOUT_MS },
  });
}
