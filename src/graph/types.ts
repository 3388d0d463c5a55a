/** Credentials for Microsoft Graph (app-only); resolved by the worker from its environment. */
export interface GraphAuth {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface GraphClientOptions {
  /** Default `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl?: string;
  /** Default `https://login.microsoftonline.com`. */
  readonly authorityHost?: string;
  readonly auth: GraphAuth;
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
export type UnmappedReason =
  | 'no-address'
  | 'not-in-directory'
  | 'no-mailbox'
  | 'blocked-by-policy'
  | 'address-not-trusted';

export type MailboxResolution =
  | { readonly kind: 'mapped'; readonly userId: string; readonly userPrincipalName: string; readonly via: 'csv' | 'mail' | 'proxy-address' | 'catch-all' }
  | { readonly kind: 'unmapped'; readonly reason: UnmappedReason; readonly detail: string };
