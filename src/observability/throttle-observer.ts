import * as diagnostics from 'node:diagnostics_channel';
import type { LpMetrics, ThrottledService } from './metrics';

/** Node's fetch (undici) publishes every response's status line and headers on this channel. */
export const UNDICI_HEADERS_CHANNEL = 'undici:request:headers';

/** The part of undici's `undici:request:headers` message we read. */
interface UndiciHeadersMessage {
  readonly request: { readonly origin?: unknown; readonly path?: unknown };
  readonly response: { readonly statusCode?: unknown; readonly headers?: unknown };
}

const THROTTLE_STATUSES = new Set([429, 503]);

/**
 * Which service a request went to, from its host or (for the emulators on localhost) its path:
 * LivePerson's APIs live under `/api/account/…`, `/messaging_history/…`, `/sentinel/…`; Graph's under
 * `/v1.0/…`, `/beta/…`, its token endpoint and its upload sessions.
 */
export function serviceOf(origin: string, path: string): ThrottledService | undefined {
  let host = '';
  try {
    host = new URL(origin).hostname;
  } catch {
    /* no origin: decide by path */
  }
  if (/(^|\.)(liveperson\.net|lpsnmedia\.net)$/.test(host)) return 'liveperson';
  if (/(^|\.)(graph\.microsoft\.com|login\.microsoftonline\.com|outlook\.office\.com|outlook\.office365\.com)$/.test(host)) return 'graph';
  if (/^\/(api\/account|messaging_history|sentinel)\//.test(path)) return 'liveperson';
  if (/^\/(v1\.0|beta|upload)\//.test(path) || /\/oauth2\/v2\.0\/token/.test(path)) return 'graph';
  return undefined;
}

/** `Retry-After` (delta-seconds or HTTP date) in ms from undici's flat `[name, value, …]` header list. */
export function retryAfterFromRaw(headers: unknown, now: number = Date.now()): number | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() !== 'retry-after') continue;
    const v = String(headers[i + 1]).trim();
    if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
  }
  return undefined;
}

/**
 * Counts throttling answers (429, 503) of LivePerson and Microsoft Graph and the waits they ask for, by
 * listening to Node's HTTP client diagnostics: the clients need no hooks, and every request is seen,
 * including those whose wait is left to the activity's retry policy. Returns the unsubscribe function.
 */
export function observeThrottling(metrics: LpMetrics): () => void {
  const onMessage = (message: unknown): void => {
    try {
      const m = message as UndiciHeadersMessage;
      const status = m.response.statusCode;
      if (typeof status !== 'number' || !THROTTLE_STATUSES.has(status)) return;
      const { origin, path } = m.request;
      const service = serviceOf(typeof origin === 'string' ? origin : '', typeof path === 'string' ? path : '');
      if (service) metrics.throttled(service, status, retryAfterFromRaw(m.response.headers));
    } catch {
      // Metrics must never break a request.
    }
  };
  diagnostics.subscribe(UNDICI_HEADERS_CHANNEL, onMessage);
  return () => void diagnostics.unsubscribe(UNDICI_HEADERS_CHANNEL, onMessage);
}
