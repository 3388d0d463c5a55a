import { LpArchiveError } from '../model/errors';

type Env = Readonly<Record<string, string | undefined>>;

/** What the connection used, to tell which setting a refusal points at. */
export interface TemporalConnectAttempt {
  readonly address: string;
  /** TLS on (explicitly, or because an API key is set). */
  readonly tls: boolean;
  readonly clientCertificate: boolean;
  readonly apiKey: boolean;
}

/**
 * Temporal could not be reached or refused us: the message says which TEMPORAL_* variable (or temporal.toml
 * profile setting) to fix. The worker stops with it; the CLI prints it.
 */
export class TemporalConnectError extends LpArchiveError {
  readonly kind = 'configuration';
  constructor(
    readonly address: string,
    cause: unknown,
    readonly fix: string,
  ) {
    super(`Cannot reach Temporal at ${address} (${firstLine(cause)}). Fix: ${fix}`, { cause });
  }
}

function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return (m.split('\n')[0] ?? m).trim();
}

const SERVER_NOT_TRUSTED =
  /UnknownIssuer|unknown issuer|self[- ]signed|certificate verify failed|invalid peer certificate|NotValidForName|not valid for name/i;
const TLS_REFUSED =
  /CertificateRequired|certificate required|BadCertificate|bad certificate|UnknownCA|unknown ca|HandshakeFailure|handshake|received fatal alert|tls|ssl|connection ?reset|broken ?pipe|unexpected ?eof|peer closed/i;
const UNAUTHENTICATED = /Unauthenticated|unauthori[sz]ed|invalid api key|api key|PermissionDenied|Request unauthorized/i;

/** Names the variable to fix for a failed connection, from what the error says and what was configured. */
export function explainTemporalConnectFailure(err: unknown, attempt: TemporalConnectAttempt): TemporalConnectError {
  const cause = err instanceof Error ? err.cause : undefined;
  const text = `${err instanceof Error ? err.message : String(err)} ${cause instanceof Error ? cause.message : ''}`;
  let fix: string;
  if (attempt.tls && SERVER_NOT_TRUSTED.test(text)) {
    fix =
      "the server's certificate is not trusted: set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA that signed it (and TEMPORAL_TLS_SERVER_NAME when it names another host), or the profile's tls.server_ca_cert_path.";
  } else if (attempt.tls && TLS_REFUSED.test(text)) {
    fix = attempt.clientCertificate
      ? "the server refused the client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH to a certificate (and its key) signed by a CA the server accepts for clients (Temporal Cloud: one of the namespace's CA certificates)."
      : "the server requires a client certificate (mutual TLS): set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or the profile's tls.client_cert_path / tls.client_key_path), or TEMPORAL_API_KEY where the server takes API keys.";
  } else if (UNAUTHENTICATED.test(text)) {
    fix = attempt.apiKey
      ? 'the server refused the API key: set TEMPORAL_API_KEY to a valid key of this namespace (keys expire).'
      : 'the server wants credentials: set TEMPORAL_API_KEY, or TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH.';
  } else if (!attempt.tls && /reset|closed|eof|protocol|frame|http2/i.test(text)) {
    fix = 'if the server speaks TLS (Temporal Cloud, or a TLS front end), set TEMPORAL_TLS=true, and its client certificate or API key.';
  } else {
    fix =
      'check TEMPORAL_ADDRESS (host:port of the frontend) and that the server is running and reachable from here; TEMPORAL_NAMESPACE, TEMPORAL_TLS*, TEMPORAL_API_KEY or a temporal.toml profile (TEMPORAL_PROFILE) set the rest.';
  }
  return new TemporalConnectError(attempt.address, err, fix);
}

/** What a connection from these connection options will present (for {@link explainTemporalConnectFailure}). */
export function connectAttempt(
  options: { readonly address?: string; readonly tls?: unknown; readonly apiKey?: unknown },
  env: Env = process.env,
): TemporalConnectAttempt {
  const tls = options.tls;
  return {
    address: options.address ?? env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    tls: Boolean(tls) || options.apiKey !== undefined,
    clientCertificate: typeof tls === 'object' && tls !== null && (tls as { clientCertPair?: unknown }).clientCertPair !== undefined,
    apiKey: options.apiKey !== undefined,
  };
}
