import { LpArchiveError } from '../model/errors';
import { GRAPH_CREDENTIAL_KINDS, type GraphAuth, type GraphCredentialKind } from '../graph/types';
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

/** The variable that selects each Graph credential kind, after `<REF>_`. */
export const GRAPH_CREDENTIAL_VARIABLES = {
  'client-secret': 'CLIENT_SECRET',
  certificate: 'CLIENT_CERTIFICATE_PATH',
  'workload-identity': 'FEDERATED_TOKEN_FILE',
  'managed-identity': 'MANAGED_IDENTITY',
} as const satisfies Record<GraphCredentialKind, string>;

/** Two credentials set for one connector: which one is meant is for the operator to say, not for us to guess. */
export class AmbiguousCredentialsError extends LpArchiveError {
  readonly kind = 'configuration';
  constructor(readonly variables: readonly string[]) {
    super(
      `The worker's environment sets ${variables.join(' and ')}: each selects a different Microsoft Graph credential. Unset all but the one this connector should use, then reconfigure or resume it.`,
    );
  }
}

/**
 * Graph app-only credentials for `ref`: `<REF>_TENANT_ID` and `<REF>_CLIENT_ID`, and exactly one of
 * `<REF>_CLIENT_SECRET`, `<REF>_CLIENT_CERTIFICATE_PATH` (PEM with key, or PFX; `<REF>_CLIENT_CERTIFICATE_PASSWORD`
 * if protected), `<REF>_FEDERATED_TOKEN_FILE` (workload identity federation) or `<REF>_MANAGED_IDENTITY`
 * (`system`, or `user-assigned` with `<REF>_CLIENT_ID` the identity's client id).
 * @throws AmbiguousCredentialsError when more than one is set; MissingSecretError when none is, or a part is missing
 */
export function graphAuthFromEnv(ref: string, env: Env = process.env): GraphAuth {
  const chosen = GRAPH_CREDENTIAL_KINDS.filter((k) => Boolean(env[`${ref}_${GRAPH_CREDENTIAL_VARIABLES[k]}`]));
  if (chosen.length > 1) throw new AmbiguousCredentialsError(chosen.map((k) => `${ref}_${GRAPH_CREDENTIAL_VARIABLES[k]}`));
  const kind = chosen[0];
  if (kind === 'managed-identity') {
    const mode = env[`${ref}_MANAGED_IDENTITY`]!.toLowerCase();
    if (mode !== 'system' && mode !== 'user-assigned')
      throw new MissingSecretError(
        `${ref}_MANAGED_IDENTITY`,
        `"system" for the host's system-assigned identity, or "user-assigned" with ${ref}_CLIENT_ID the identity's client id; got "${mode}"`,
      );
    const userAssigned = mode === 'user-assigned';
    return {
      kind,
      ref,
      userAssigned,
      tenantId: need(env, `${ref}_TENANT_ID`, 'Microsoft Entra tenant id'),
      clientId: userAssigned ? need(env, `${ref}_CLIENT_ID`, 'client id of the user-assigned managed identity') : 'system-assigned',
    };
  }
  const base = {
    ref,
    tenantId: need(env, `${ref}_TENANT_ID`, 'Microsoft Entra tenant id'),
    clientId: need(env, `${ref}_CLIENT_ID`, 'Microsoft Entra app (client) id'),
  };
  switch (kind) {
    case 'certificate': {
      const password = env[`${ref}_CLIENT_CERTIFICATE_PASSWORD`];
      return {
        kind,
        ...base,
        certificatePath: env[`${ref}_CLIENT_CERTIFICATE_PATH`]!,
        ...(password !== undefined && password !== '' ? { certificatePassword: password } : {}),
      };
    }
    case 'workload-identity':
      return { kind, ...base, tokenFilePath: env[`${ref}_FEDERATED_TOKEN_FILE`]! };
    default:
      return {
        kind: 'client-secret',
        ...base,
        clientSecret: need(
          env,
          `${ref}_CLIENT_SECRET`,
          `Microsoft Entra app client secret; or instead ${ref}_CLIENT_CERTIFICATE_PATH, ${ref}_FEDERATED_TOKEN_FILE or ${ref}_MANAGED_IDENTITY (docs/credentials.md)`,
        ),
      };
  }
}
