import type { Tenant } from '../shared/tenant';

/** Per-run fault injection, set with `POST /_emulator/faults` or `GraphEmulator.setFaults`. */
export interface FaultConfig {
  /** Fractions in [0, 1] of mailbox requests answered with that status instead of being served. */
  readonly rate429?: number;
  readonly rate503?: number;
  readonly rate504?: number;
  /** Fraction of message/attachment creates that are stored but whose response is lost. */
  readonly lostResponseRate?: number;
  /** How a lost response looks to the client: the connection is destroyed, or a 500 is returned. */
  readonly lostResponseMode?: 'destroy' | '500';
  /** `Retry-After` (seconds) sent with injected 429 and 503 answers. */
  readonly retryAfterSeconds?: number;
  /** Restricts rate faults to these mailboxes (user id, UPN or mail). Default: every mailbox. */
  readonly mailboxes?: readonly string[];
  /** Service time added to every mailbox request (overrides the `latencyMs` option while set), ms. */
  readonly latencyMs?: number;
  /** Service time added to requests that create something (messages, attachments, folders) only, ms. */
  readonly createLatencyMs?: number;
  /** Fraction in [0, 1] of mailbox requests delayed by `slowMs` more before they are served. */
  readonly slowRate?: number;
  /** Delay of a slow request, ms. Default 2000. */
  readonly slowMs?: number;
  /** Seed of the fault dice, so a run is repeatable. */
  readonly seed?: number;
  /** Deterministic faults: each entry hits the next `count` matching requests, then is used up. */
  readonly once?: readonly OnceFault[];
}

export interface OnceFault {
  readonly fault: '429' | '503' | '504' | 'lost-response';
  /** Default 1. */
  readonly count?: number;
  /** User id, UPN or mail; default any mailbox. */
  readonly mailbox?: string;
  /** HTTP method, e.g. `POST`; default any. */
  readonly method?: string;
  /** Substring of the request path, e.g. `/messages`; default any. */
  readonly pathContains?: string;
  /** Override `Retry-After` seconds for this fault. */
  readonly retryAfterSeconds?: number;
}

export interface GraphEmulatorOptions {
  /** 0 = any free port. Default 4102. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Seed of the shared tenant (same seed as the LivePerson emulator = same people). Default 42. */
  readonly seed?: number;
  /** Use this tenant instead of `generateTenant(seed)`. */
  readonly tenant?: Tenant;
  /**
   * Copies of the directory (default 1): copies 2..n repeat every user with their own id and mailbox and
   * addresses like `c2.alice@contoso.example`, so many organisations' mailboxes live on one emulator.
   */
  readonly directoryCopies?: number;
  /** When set, only this tenant id is accepted on the token endpoint; default any. */
  readonly tenantId?: string;
  /** Default 'graph-demo-client'. */
  readonly clientId?: string;
  /** Default 'graph-demo-secret'. */
  readonly clientSecret?: string;
  /** PEM certificates registered for the app: client assertions signed with their keys are accepted. */
  readonly clientCertificates?: readonly string[];
  /** Federated credentials of the app (workload identity federation): tokens of these issuers are accepted. */
  readonly federatedCredentials?: readonly FederatedCredential[];
  /**
   * Serve a managed identity endpoint at `/msi/token`, as Azure App Service does (`IDENTITY_ENDPOINT` /
   * `IDENTITY_HEADER`): it issues tokens to callers that send this header value, for the system-assigned
   * identity or the user-assigned client ids listed.
   */
  readonly managedIdentity?: { readonly identityHeader: string; readonly userAssignedClientIds?: readonly string[] };
  /**
   * Serve HTTPS with this certificate and key (PEM), as Graph and Entra ID do; `@azure/identity` signs in only
   * to an https authority. Without it the emulator serves plain HTTP.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Application permissions put in the token's `roles`. Default User.Read.All + Mail.ReadWrite. */
  readonly roles?: readonly string[];
  /** Token lifetime in seconds. Default 3599. */
  readonly tokenLifetimeSeconds?: number;
  /** Outlook per-mailbox limits (defaults as Graph applies them). */
  readonly mailboxConcurrency?: number;
  readonly requestBudget?: number;
  readonly requestWindowMs?: number;
  readonly uploadBudgetBytes?: number;
  readonly uploadWindowMs?: number;
  readonly maxRequestBytes?: number;
  /** Mailbox size quota in bytes; creates beyond it answer `ErrorQuotaExceeded`. Default unlimited. */
  readonly mailboxQuotaBytes?: number;
  /** Artificial service time of every mailbox request, so concurrency is observable. Default 0. */
  readonly latencyMs?: number;
  /** Initial fault injection. */
  readonly faults?: FaultConfig;
  /** Serve `POST /beta/users/{id}/mailFolders/{id}/importMime`. Default true. */
  readonly enableImportMime?: boolean;
  /** One line per request on stdout. Default false. */
  readonly logRequests?: boolean;
}

/** A federated identity credential of the app: which issuer's tokens, for which subject, signed by which key. */
export interface FederatedCredential {
  readonly issuer: string;
  readonly subject: string;
  /** Default `api://AzureADTokenExchange`, Entra's. */
  readonly audience?: string;
  /** The issuer's signing key: a PEM public key or certificate (Entra would fetch it from the issuer's JWKS). */
  readonly signingKey: string;
}

export interface ResolvedEmulatorOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientCertificates: readonly string[];
  readonly federatedCredentials: readonly FederatedCredential[];
  readonly managedIdentity: GraphEmulatorOptions['managedIdentity'];
  readonly tenantId: string | undefined;
  readonly roles: readonly string[];
  readonly tokenLifetimeSeconds: number;
  readonly mailboxConcurrency: number;
  readonly requestBudget: number;
  readonly requestWindowMs: number;
  readonly uploadBudgetBytes: number;
  readonly uploadWindowMs: number;
  readonly maxRequestBytes: number;
  readonly mailboxQuotaBytes: number;
  readonly latencyMs: number;
  readonly enableImportMime: boolean;
  readonly logRequests: boolean;
}
