import { LpArchiveError } from '../model/errors';
import type { GraphAuth } from '../graph/types';
import type { LivePersonAuth } from '../liveperson/types';

/** A credential the worker needs but its environment lacks: names the variable to set. */
export class MissingSecretError extends LpArchiveError {
  readonly kind = 'configuration';
  constructor(
    readonly variable: string,
    readonly purpose: string,
  ) {
    super(
      `The worker's environment has no ${variable} (${purpose}). Set it where the worker runs, then reconfigure or resume the connector.`,
    );
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function need(env: Env, variable: string, purpose: string): string {
  const v = env[variable];
  if (v === undefined || v === '') throw new MissingSecretError(variable, purpose);
  return v;
}

/**
 * LivePerson credentials for `ref`: `<REF>_CLIENT_ID` and `<REF>_CLIENT_SECRET` (OAuth 2.0), or, when
 * `<REF>_CONSUMER_KEY` is set, the four OAuth 1.0a API key values.
 */
export function livePersonAuthFromEnv(ref: string, env: Env = process.env): LivePersonAuth {
  if (env[`${ref}_CONSUMER_KEY`]) {
    return {
      kind: 'oauth1',
      consumerKey: need(env, `${ref}_CONSUMER_KEY`, 'LivePerson API key: app key'),
      consumerSecret: need(env, `${ref}_CONSUMER_SECRET`, 'LivePerson API key: secret'),
      accessToken: need(env, `${ref}_ACCESS_TOKEN`, 'LivePerson API key: access token'),
      accessTokenSecret: need(env, `${ref}_ACCESS_TOKEN_SECRET`, 'LivePerson API key: access token secret'),
    };
  }
  return {
    kind: 'oauth2',
    clientId: need(env, `${ref}_CLIENT_ID`, 'LivePerson OAuth 2.0 client id'),
    clientSecret: need(env, `${ref}_CLIENT_SECRET`, 'LivePerson OAuth 2.0 client secret'),
  };
}

/** Graph app-only credentials for `ref`: `<REF>_TENANT_ID`, `<REF>_CLIENT_ID`, `<REF>_CLIENT_SECRET`. */
export function graphAuthFromEnv(ref: string, env: Env = process.env): GraphAuth {
  return {
    tenantId: need(env, `${ref}_TENANT_ID`, 'Microsoft Entra tenant id'),
    clientId: need(env, `${ref}_CLIENT_ID`, 'Microsoft Entra app (client) id'),
    clientSecret: need(env, `${ref}_CLIENT_SECRET`, 'Microsoft Entra app client secret'),
  };
}
