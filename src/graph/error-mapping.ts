import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  GraphClientFailure,
  GraphConfigError,
  GraphItemRejectedError,
  GraphMailboxError,
  GraphRequestError,
  GraphThrottledError,
} from './errors';
import { retryAfterMs } from './middleware/http';

/** Used when a throttling answer carries no Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 10_000;

/** A failure of a Graph call, as seen by the error mapping. */
export interface CallContext {
  /** What we were doing, for the message ("create message", "find user by mail"). */
  readonly op: string;
  /** The mailbox, for mail paths. */
  readonly userId?: string;
}

/** The HTTP status of a Graph SDK error (-1: no answer, a network failure); 0 for anything else. */
export function statusOf(err: unknown): number {
  return err instanceof GraphError ? err.statusCode : 0;
}

export function codeOf(err: unknown): string {
  if (err instanceof GraphError) return err.code ?? 'Unknown';
  return err instanceof Error ? err.name : 'Unknown';
}

/**
 * Turns whatever the SDK threw into one of our typed failures (reference §8), by error `code` first and
 * HTTP status second. Messages are matched only where Graph uses one code for two different causes.
 */
export function toGraphFailure(err: unknown, ctx: CallContext): GraphClientFailure {
  if (err instanceof GraphClientFailure) return err;
  const status = statusOf(err);
  const code = codeOf(err);
  const text = err instanceof Error ? err.message : String(err);
  const requestId = err instanceof GraphError ? (err.requestId ?? undefined) : undefined;
  const where = `${ctx.op}${ctx.userId ? ` (mailbox ${ctx.userId})` : ''}`;
  const headers = err instanceof GraphError ? err.headers : undefined;

  if (status === 429 || status === 503 || status === 504) {
    return new GraphThrottledError(status, code, (headers && retryAfterMs(headers)) ?? DEFAULT_RETRY_AFTER_MS, ctx.userId);
  }
  if (status === -1) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return new GraphRequestError(
      -1,
      code === 'TimeoutError' || code === 'AbortError' ? 'Timeout' : 'NetworkError',
      `${where}: no answer from Graph (${text}${cause}). A write may or may not have taken effect; it is checked by import key before it is retried.`,
      true,
    );
  }
  if (status === 401) {
    return new GraphConfigError(
      code,
      `${where}: Graph refused the access token even after a refresh (${code}: ${text}).`,
      'make sure the app registration is in the configured tenant and the token is issued for https://graph.microsoft.com (scope .default); check the system clock.',
    );
  }
  if (code === 'Authorization_RequestDenied') {
    return new GraphConfigError(
      code,
      `${where}: the app may not read the directory (${text}).`,
      "grant the application permission 'User.Read.All' to the app registration and grant admin consent.",
      'User.Read.All',
    );
  }
  if (code === 'ErrorAccessDenied') {
    // Same code for "app lacks Mail.ReadWrite" and "mailbox outside the app's access policy / RBAC scope".
    if (ctx.userId === undefined || /check credentials/i.test(text)) {
      return new GraphConfigError(
        code,
        `${where}: Graph denied mailbox access (${text}).`,
        "grant the application permission 'Mail.ReadWrite' with admin consent (or an Exchange RBAC role assignment 'Application Mail.ReadWrite' covering the mailboxes).",
        'Mail.ReadWrite',
      );
    }
    return new GraphMailboxError(
      ctx.userId,
      code,
      'blocked-by-policy',
      `Mailbox ${ctx.userId} is outside the app's Exchange access policy / RBAC scope (${text}). Add it to the scope group, or map the participant elsewhere.`,
    );
  }
  if (ctx.userId !== undefined && (code === 'MailboxNotEnabledForRESTAPI' || code === 'ResourceNotFound')) {
    return new GraphMailboxError(
      ctx.userId,
      code,
      'no-mailbox',
      `User ${ctx.userId} has no usable Exchange Online mailbox (${text}). License a mailbox for the user, or map the participant to another mailbox.`,
    );
  }
  if (ctx.userId !== undefined && (code === 'ErrorInvalidUser' || code === 'Request_ResourceNotFound')) {
    return new GraphMailboxError(
      ctx.userId,
      code,
      'not-in-directory',
      `User ${ctx.userId} is not in the directory (${text}). Fix the mapping CSV or the participant's address.`,
    );
  }
  if (code === 'ErrorQuotaExceeded') {
    return new GraphMailboxError(
      ctx.userId ?? 'unknown',
      code,
      'quota-exceeded',
      `Mailbox ${ctx.userId ?? ''} is full (${text}). An Exchange admin must raise its quota or enable auto-expanding archiving; items are retried.`,
    );
  }
  if (
    status === 413 ||
    code === 'ErrorMessageSizeExceeded' ||
    code === 'ErrorAttachmentSizeLimitExceeded' ||
    code === 'RequestEntityTooLarge'
  ) {
    return new GraphItemRejectedError(code, `${where}: Graph refused the item as too large (${code}: ${text}).`, status);
  }
  if (code === 'ErrorItemNotFound') {
    return new GraphRequestError(
      status,
      code,
      `${where}: the folder or item is gone (${text}); it is looked up again on retry.`,
      true,
      requestId,
    );
  }
  const retryable = status >= 500;
  return new GraphRequestError(
    status,
    code,
    `${where}: Graph answered HTTP ${status} ${code}: ${text}${retryable ? '' : ' (unexpected: please report it with the request id)'}${requestId ? ` [request-id ${requestId}]` : ''}`,
    retryable,
    requestId,
  );
}
