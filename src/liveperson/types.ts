import type { TimeWindow } from '../model';

/** Credentials for LivePerson; resolved by the worker from its environment, never from workflow input. */
export type LivePersonAuth =
  | { readonly kind: 'oauth2'; readonly clientId: string; readonly clientSecret: string }
  | {
      readonly kind: 'oauth1';
      readonly consumerKey: string;
      readonly consumerSecret: string;
      readonly accessToken: string;
      readonly accessTokenSecret: string;
    };

export interface LivePersonClientOptions {
  readonly accountId: string;
  /** CSDS (domain API) base URL; default `https://api.liveperson.net`. */
  readonly csdsBaseUrl?: string;
  /** Scheme put in front of the bare hosts CSDS returns; `http` only for the local emulator. */
  readonly serviceScheme?: 'https' | 'http';
  readonly auth: LivePersonAuth;
  /** The `source` query parameter LivePerson requires (≤ 20 characters). */
  readonly source: string;
  readonly requestTimeoutMs?: number;
}

/** One page of the covering search, exactly as LivePerson returned the records (normalised later). */
export interface SearchPage {
  readonly records: readonly unknown[];
  /** `_metadata.count`: total matches of the covering query. */
  readonly count: number;
  /** Offset of the next page (`offset + limit`), absent on the last page. Advance by `limit`, not by `records.length`. */
  readonly nextOffset?: number;
}

/** A LivePerson user from the Users API (the only source of agent e-mails). */
export interface LpUser {
  readonly id: string;
  readonly loginName: string;
  readonly fullName?: string;
  readonly nickname?: string;
  readonly email?: string;
  readonly userTypeId?: number;
  readonly deleted?: boolean;
}

export interface LivePersonSource {
  /** Closed conversations whose end time falls in the covering range of `window`, `sort=end:asc`. */
  searchClosed(window: TimeWindow, offset: number, limit: number): Promise<SearchPage>;
  /** All users, deleted ones included. */
  listUsers(): Promise<readonly LpUser[]>;
}
