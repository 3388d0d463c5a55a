import {
  LivePersonRequestError,
  LivePersonThrottledError,
  LivePersonUnavailableError,
  type LivePersonError,
  type LivePersonService,
} from './errors';

/** One HTTP exchange with LivePerson, reduced to what the client needs. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/** LivePerson guidance: 429 → wait ≥ 1 s; 5xx → 5, 10, 15 s. Used when no `Retry-After` is sent. */
export const DEFAULT_429_DELAY_MS = 1000;
export const DEFAULT_5XX_DELAY_MS = 5000;
export const DEFAULT_NETWORK_DELAY_MS = 5000;

/** Sends a request; network failures and timeouts become `LivePersonUnavailableError`. */
export async function send(req: HttpRequest, ctx: { accountId: string; service: LivePersonService }): Promise<HttpAnswer> {
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'error',
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    const what = timedOut ? `timed out after ${req.timeoutMs} ms` : `failed (${describeCause(e)})`;
    throw new LivePersonUnavailableError(
      `Request to LivePerson ${ctx.service} for account ${ctx.accountId} ${what}: ${req.method} ${redact(req.url)}`,
      {
        ...ctx,
        retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        cause: e,
      },
    );
  }
}

function describeCause(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ? `${e.message}: ${code}` : e.message;
  }
  return String(e);
}

/** Drops query strings (signatures, client secrets in v1 URLs) from URLs put into messages. */
export function redact(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}

/** `Retry-After` in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** LivePerson's message from an error body like `{"status":400,"message":"…"}` or OAuth's `error_description`. */
export function errorDetail(text: string): string | undefined {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    for (const k of ['message', 'error_description', 'error', 'errorMessage']) if (typeof j[k] === 'string') return j[k];
  } catch {
    // not JSON: fall through to the raw text
  }
  const t = text.trim();
  return t.length > 0 ? t.slice(0, 300) : undefined;
}

/** Maps a 429 / 5xx answer to a throttling error; undefined for other statuses. */
export function throttleError(
  answer: HttpAnswer,
  ctx: { accountId: string; service: LivePersonService; what: string },
): LivePersonThrottledError | undefined {
  const after = retryAfterMs(answer.headers);
  if (answer.status === 429) {
    return new LivePersonThrottledError(
      `LivePerson ${ctx.service} rate-limited ${ctx.what} for account ${ctx.accountId} (HTTP 429); retry after ${after ?? DEFAULT_429_DELAY_MS} ms`,
      {
        accountId: ctx.accountId,
        service: ctx.service,
        status: 429,
        retryAfterMs: after ?? DEFAULT_429_DELAY_MS,
        reason: 'rate-limited',
        retryAfterFromServer: after !== undefined,
      },
    );
  }
  if (answer.status >= 500) {
    return new LivePersonThrottledError(
      `LivePerson ${ctx.service} failed on its side for ${ctx.what}, account ${ctx.accountId} (HTTP ${answer.status}${detailSuffix(answer.text)}); retry later`,
      {
        accountId: ctx.accountId,
        service: ctx.service,
        status: answer.status,
        retryAfterMs: after ?? DEFAULT_5XX_DELAY_MS,
        reason: 'server-error',
        retryAfterFromServer: after !== undefined,
      },
    );
  }
  return undefined;
}

export function detailSuffix(text: string): string {
  const d = errorDetail(text);
  return d ? `: ${d}` : '';
}

/** Parses a JSON body; an unreadable one is a retryable failure (a proxy page, a truncated answer). */
export function parseJson(answer: HttpAnswer, ctx: { accountId: string; service: LivePersonService; what: string }): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch (e) {
    throw new LivePersonUnavailableError(
      `LivePerson ${ctx.service} answered ${ctx.what} for account ${ctx.accountId} with a body that is not JSON (HTTP ${answer.status}, ${answer.text.length} bytes)`,
      {
        accountId: ctx.accountId,
        service: ctx.service,
        status: answer.status,
        retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        cause: e,
      },
    );
  }
}

export function requestError(
  answer: HttpAnswer,
  ctx: { accountId: string; service: LivePersonService; what: string },
): LivePersonRequestError {
  const detail = errorDetail(answer.text);
  return new LivePersonRequestError(
    `LivePerson ${ctx.service} refused ${ctx.what} for account ${ctx.accountId} (HTTP ${answer.status}${detail ? `: ${detail}` : ''}). This is a client bug or a wrong setting; retrying will not help`,
    {
      accountId: ctx.accountId,
      service: ctx.service,
      status: answer.status,
      detail,
    },
  );
}

/** Bounded quick retries: only for retryable errors whose wait is short; otherwise the error goes up at once. */
export interface QuickRetryPolicy {
  readonly maxQuickRetries: number;
  readonly maxQuickDelayMs: number;
}

export async function withQuickRetries<T>(
  policy: QuickRetryPolicy,
  attempt: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const err = e as LivePersonError & { retryAfterMs?: number };
      const wait = err.retryable ? quickDelay(err, n) : undefined;
      if (wait === undefined || n >= policy.maxQuickRetries || wait > policy.maxQuickDelayMs) throw e;
      await sleep(wait);
    }
  }
}

/** A 5xx without Retry-After is retried quickly once or twice (250 ms, 500 ms) before the activity backs off. */
function quickDelay(err: LivePersonError & { retryAfterMs?: number }, n: number): number | undefined {
  if (err instanceof LivePersonThrottledError && err.reason === 'server-error' && !err.retryAfterFromServer) return 250 * 2 ** n;
  if (err instanceof LivePersonUnavailableError) return 250 * 2 ** n;
  return err.retryAfterMs;
}
