import { z } from 'zod';
import { LivePersonAccountError, LivePersonAuthError, LivePersonUnavailableError } from '../errors';
import { DEFAULT_NETWORK_DELAY_MS, errorDetail, parseJson, requestError, send, throttleError } from '../http';
import type { Authorizer } from './authorizer';

const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

export interface OAuth2Options {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://{sentinel}`, resolved lazily through CSDS. */
  readonly sentinelBaseUrl: () => Promise<string>;
  readonly timeoutMs: number;
  readonly setting: string;
  readonly accountSetting: string;
  readonly now: () => number;
}

/** Assumed lifetime when Sentinel gives neither `expires_in` nor a readable `exp` (v1 answers). */
const FALLBACK_LIFETIME_MS = 30 * 60_000;

/**
 * OAuth 2.0 client credentials against Sentinel v2. The token is cached and refreshed shortly before it
 * expires (a fifth of its lifetime, at most a minute early), and once more when an API answers 401.
 * Concurrent callers share one token request.
 */
export class OAuth2Authorizer implements Authorizer {
  readonly setting: string;
  private token?: { value: string; refreshAt: number };
  private inflight?: Promise<string>;

  constructor(private readonly o: OAuth2Options) {
    this.setting = o.setting;
  }

  async header(): Promise<string> {
    const t = this.token;
    if (t && this.o.now() < t.refreshAt) return `Bearer ${t.value}`;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return `Bearer ${await this.inflight}`;
  }

  invalidate(): boolean {
    this.token = undefined;
    return true;
  }

  private async fetchToken(): Promise<string> {
    const { accountId } = this.o;
    const url = `${await this.o.sentinelBaseUrl()}/sentinel/api/v2/account/${encodeURIComponent(accountId)}/app/token`;
    const body = new URLSearchParams({
      client_id: this.o.clientId,
      client_secret: this.o.clientSecret,
      grant_type: 'client_credentials',
    }).toString();
    const ctx = { accountId, service: 'sentinel' as const, what: 'the OAuth token request' };
    const issuedAt = this.o.now();
    const answer = await send(
      {
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        timeoutMs: this.o.timeoutMs,
      },
      ctx,
    );
    const throttled = throttleError(answer, ctx);
    if (throttled) throw throttled;
    if (
      answer.status === 401 ||
      answer.status === 403 ||
      (answer.status === 400 && /invalid_client|unauthorized_client|invalid_grant/.test(answer.text))
    ) {
      const detail = errorDetail(answer.text);
      throw new LivePersonAuthError(
        `LivePerson rejected the OAuth client credentials for account ${accountId} (HTTP ${answer.status}${detail ? `: ${detail}` : ''}). Fix ${this.o.setting} in the worker's environment`,
        { accountId, service: 'sentinel', status: answer.status, setting: this.o.setting },
      );
    }
    if (answer.status === 404) {
      throw new LivePersonAccountError(
        `LivePerson's token service does not know account ${accountId} (HTTP 404). Fix ${this.o.accountSetting}`,
        {
          accountId,
          service: 'sentinel',
          status: 404,
          setting: this.o.accountSetting,
        },
      );
    }
    if (answer.status !== 200) throw requestError(answer, ctx);
    const parsed = tokenSchema.safeParse(parseJson(answer, ctx));
    if (!parsed.success) {
      throw new LivePersonUnavailableError(`LivePerson's token service answered account ${accountId} without an access_token`, {
        accountId,
        service: 'sentinel',
        status: answer.status,
        retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
      });
    }
    const value = parsed.data.access_token;
    const expiresAt = Math.min(
      parsed.data.expires_in !== undefined ? issuedAt + parsed.data.expires_in * 1000 : Infinity,
      jwtExpiry(value) ?? Infinity,
    );
    const lifetime = Number.isFinite(expiresAt) ? Math.max(0, expiresAt - issuedAt) : FALLBACK_LIFETIME_MS;
    const margin = Math.min(60_000, lifetime / 5);
    this.token = { value, refreshAt: issuedAt + lifetime - margin };
    return value;
  }
}

/** `exp` of a JWT in epoch ms, read without verifying (the server verifies; we only schedule a refresh). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
