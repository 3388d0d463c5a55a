import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { GraphClientFailure } from '../errors';

/**
 * Per-request middleware option that carries a typed failure out of the middleware chain. The SDK turns
 * anything a middleware throws into a generic `GraphError` (keeping only name and message), so a token
 * failure or a mailbox pause would lose its type and context without this.
 */
export class FailureSink implements MiddlewareOptions {
  failure: GraphClientFailure | undefined;
}

/** Records a typed failure in the request's sink (if any) and rethrows it. */
export function rethrowTyped(context: Context, err: unknown): never {
  if (err instanceof GraphClientFailure) {
    const sink = context.middlewareControl?.getMiddlewareOptions(FailureSink) as FailureSink | undefined;
    if (sink) sink.failure = err;
  }
  throw err;
}
