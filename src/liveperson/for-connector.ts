import type { ConnectorConfig } from '../model';
import { LivePersonClient, type LivePersonClientTuning } from './client';
import type { LivePersonSettingNames } from './errors';
import type { LivePersonAuth } from './types';

/** The settings an operator fixes, named after the connector's `credentialsRef`, for error messages. */
export function livePersonSettingNames(config: ConnectorConfig): LivePersonSettingNames {
  const ref = config.liveperson.credentialsRef;
  return {
    accountId: 'liveperson.accountId in the connector config',
    clientCredentials: `${ref}_CLIENT_ID / ${ref}_CLIENT_SECRET`,
    oauth1Keys: `${ref}_CONSUMER_KEY / ${ref}_CONSUMER_SECRET / ${ref}_ACCESS_TOKEN / ${ref}_ACCESS_TOKEN_SECRET`,
  };
}

/** The LivePerson client of a connector (worker and CLI build it the same way; the CLI tunes timeouts). */
export function livePersonClientFor(
  config: ConnectorConfig,
  auth: LivePersonAuth,
  tuning: LivePersonClientTuning & { readonly requestTimeoutMs?: number } = {},
): LivePersonClient {
  const lp = config.liveperson;
  return new LivePersonClient({
    accountId: lp.accountId,
    ...(lp.csdsBaseUrl ? { csdsBaseUrl: lp.csdsBaseUrl } : {}),
    serviceScheme: lp.serviceScheme,
    source: lp.source,
    auth,
    maxConversationAgeMs: lp.maxConversationAgeMs,
    settingNames: livePersonSettingNames(config),
    ...tuning,
  });
}
