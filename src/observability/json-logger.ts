import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LogLevel[];

/** Thrown for an `LPA_LOG_LEVEL` that is not one of {@link LOG_LEVELS}. */
export class InvalidLogLevelError extends Error {
  constructor(readonly value: string) {
    super(`LPA_LOG_LEVEL is '${value}'; use one of ${LOG_LEVELS.join(', ')} (default INFO), or unset it`);
    this.name = 'InvalidLogLevelError';
  }
}

/** The worker's log level from `LPA_LOG_LEVEL` (case-insensitive); default INFO. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LogLevel {
  const v = env.LPA_LOG_LEVEL;
  if (v === undefined || v === '') return 'INFO';
  const level = LOG_LEVELS.find((l) => l === v.toUpperCase());
  if (!level) throw new InvalidLogLevelError(v);
  return level;
}

/** Errors become plain objects (JSON.stringify would print `{}`); bigints become numbers or strings. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Error) {
    const e = value as Error & { type?: unknown; cause?: unknown };
    return {
      name: e.name,
      message: e.message,
      ...(e.type !== undefined ? { type: e.type } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      ...(e.stack !== undefined ? { stack: e.stack } : {}),
    };
  }
  return value;
}

/** Levels whose lines keep the activity task token: it only matters to someone completing an activity by hand. */
const TASK_TOKEN_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG'];

/**
 * One log entry as one JSON line: `time`, `level`, `msg`, then the SDK's and our context fields. The SDK puts
 * the activity's task token (~200 characters of base64) on every activity line; it is dropped from INFO and
 * above and kept at DEBUG and TRACE.
 */
export function formatLogEntry(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const head = { time, level: entry.level, msg: entry.message };
  const meta =
    entry.meta && 'taskToken' in entry.meta && !TASK_TOKEN_LEVELS.includes(entry.level) ? withoutTaskToken(entry.meta) : entry.meta;
  try {
    return JSON.stringify({ ...head, ...meta, ...head }, jsonReplacer);
  } catch (err) {
    // A cyclic or otherwise unprintable field must not lose the line.
    return JSON.stringify({ ...head, logError: err instanceof Error ? err.message : String(err) });
  }
}

function withoutTaskToken(meta: Record<string, unknown>): Record<string, unknown> {
  const { taskToken: _dropped, ...rest } = meta;
  return rest;
}

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  readonly level?: LogLevel;
  /** Receives each line without its newline; default: stdout. */
  readonly write?: (line: string) => void;
}

/**
 * The worker's logger: one JSON object per line (for Loki, Elastic, `jq`), carrying the SDK's context
 * (workflow id, activity type, attempt, task queue) and ours (connector, window, page). Install it with
 * `Runtime.install({ logger })` so SDK, workflow, activity and forwarded Core logs all go through it.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): DefaultLogger {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  return new DefaultLogger(options.level ?? 'INFO', (entry) => write(formatLogEntry(entry)));
}
