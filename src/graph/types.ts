/** The ways the app signs in to Microsoft Entra ID, in Microsoft's order of preference for daemon apps, last to first. */
export const GRAPH_CREDENTIAL_KINDS = ['client-secret', 'certificate', 'workload-identity', 'managed-identity'] as const;
export type GraphCredentialKind = (typeof GRAPH_CREDENTIAL_KINDS)[number];

interface GraphAuthBase {
  readonly tenantId: string;
  readonly clientId: string;
  /** The connector's `graph.credentialsRef`, so errors name the variable to fix (`<REF>_CLIENT_SECRET`...). */
  readonly ref?: string;
}

/**
 * Credentials for Microsoft Graph (app-only); resolved by the worker from its environment
 * (`graphAuthFromEnv`), one kind per connector.
 */
export type GraphAuth =
  | (GraphAuthBase & { readonly kind: 'client-secret'; readonly clientSecret: string })
  | (GraphAuthBase & {
      readonly kind: 'certificate';
      /** A PEM file with the certificate and its private key, or a PFX (PKCS#12) file. */
      readonly certificatePath: string;
      readonly certificatePassword?: string;
    })
  /** A federated token (Kubernetes service account, or any OIDC issuer the app trusts) read from a file. */
  | (GraphAuthBase & { readonly kind: 'workload-identity'; readonly tokenFilePath: string })
  /** The host's managed identity: system-assigned, or the user-assigned one whose client id is `clientId`. */
  | (GraphAuthBase & { readonly kind: 'managed-identity'; readonly userAssigned: boolean });

export interface GraphClientOptions {
  /** Default `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl?: string;
  /** Default `https://login.microsoftonline.com`. */
  readonly authorityHost?: string;
  /** Token scope; default the `.default` scope of `baseUrl`'s origin. */
  readonly scope?: string;
  /** Turn MSAL's instance discovery off: only for an authority the operator declared trusted (not Microsoft's). */
  readonly trustedAuthority?: boolean;
  readonly auth: GraphAuth;
  /** Limits, retries and timeouts; defaults follow Graph's documented limits. */
  readonly tuning?: GraphClientTuning;
}

export interface MailAddress {
  readonly name?: string;
  readonly address: string;
}

/** Everything one JSON create of a non-draft received item needs. */
export interface ImportMessage {
  readonly subject: string;
  readonly htmlBody: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly internetMessageId: string;
  /** Only `x-` headers, few and short. */
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly receivedAt: number;
  readonly sentAt: number;
  /** Value of the named extended property that makes the create idempotent. */
  readonly importKey: string;
  readonly attachments: readonly ImportAttachment[];
}

export interface ImportAttachment {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** Why a participant has no mailbox to import into. */
export type UnmappedReason = 'no-address' | 'not-in-directory' | 'no-mailbox' | 'blocked-by-policy' | 'address-not-trusted';

export type MailboxResolution =
  | {
      readonly kind: 'mapped';
      readonly userId: string;
      readonly userPrincipalName: string;
      readonly via: 'csv' | 'mail' | 'proxy-address' | 'catch-all';
    }
  | { readonly kind: 'unmapped'; readonly reason: UnmappedReason; readonly detail: string };

/**
 * Tuning of the Graph client. All optional; defaults follow Graph's documented limits. Kept apart from
 * `GraphClientOptions` so the shared options type stays small.
 */
export interface GraphClientTuning {
  /** Concurrent requests per mailbox from this process. Default 4 (Outlook's limit). */
  readonly mailboxConcurrency?: number;
  /** Requests per mailbox per 10 minutes from this process. Default 10,000. */
  readonly mailboxRequestBudget?: number;
  /** Bytes uploaded per mailbox per 5 minutes from this process. Default 150 MB. */
  readonly mailboxUploadBudgetBytes?: number;
  /** The window of that budget. Default 5 minutes (tests shorten it). */
  readonly mailboxUploadWindowMs?: number;
  /** In-process retries of a throttled/transient request before a typed error is thrown. Default 3. */
  readonly maxRetries?: number;
  /**
   * Longest wait the client does itself (Retry-After or backoff). A longer `Retry-After` is thrown at once
   * as `GraphThrottledError` so the activity's retry policy waits instead of holding a worker slot. Default 30 s.
   */
  readonly maxRetryWaitMs?: number;
  /** Per-attempt timeout of one HTTP request. Default 120 s. */
  readonly requestTimeoutMs?: number;
  /** Base of the exponential backoff when there is no Retry-After. Default 1 s. */
  readonly backoffBaseMs?: number;
  /**
   * Look the import key up again after every create and delete duplicates a concurrent attempt made (one
   * request more per item). Default true; false only to measure or to show the race in a test.
   */
  readonly settleAfterCreate?: boolean;
}
