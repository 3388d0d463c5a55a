/**
 * What the logs and metrics may say about an activity call, read from its (untyped) first argument:
 * the connector name, the window and the page. Never conversation content or participants.
 */
export interface ActivityLogContext {
  readonly connector?: string;
  readonly windowFrom?: string;
  readonly windowTo?: string;
  readonly page?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isoOrUndefined(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString() : undefined;
}

/** Reads `{ config: { name }, window: { from, to }, page }` (BatchRef and friends); anything else gives `{}`. */
export function activityLogContext(args: readonly unknown[]): ActivityLogContext {
  const input = args[0];
  if (!isRecord(input)) return {};
  const config = input.config;
  const window = input.window;
  const connector = isRecord(config) && typeof config.name === 'string' ? config.name : undefined;
  const windowFrom = isRecord(window) ? isoOrUndefined(window.from) : undefined;
  const windowTo = isRecord(window) ? isoOrUndefined(window.to) : undefined;
  const page = typeof input.page === 'number' ? input.page : undefined;
  return {
    ...(connector !== undefined ? { connector } : {}),
    ...(windowFrom !== undefined ? { windowFrom } : {}),
    ...(windowTo !== undefined ? { windowTo } : {}),
    ...(page !== undefined ? { page } : {}),
  };
}

/** Epoch ms of the window's start and end, when the argument carries a window. */
export function activityWindow(args: readonly unknown[]): { readonly from: number; readonly to: number } | undefined {
  const input = args[0];
  const window = isRecord(input) ? input.window : undefined;
  if (!isRecord(window) || typeof window.from !== 'number' || typeof window.to !== 'number') return undefined;
  return { from: window.from, to: window.to };
}
