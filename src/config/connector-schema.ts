import { CONFIG_BOUNDS, sourceProblems, type ConnectorConfig } from '../model';
import { connectorConfigSchema } from '../model/connector-schema';
import { LpArchiveError } from '../model/errors';
import { describeIssue } from './config-issues';

export { connectorFileSchema, type ConnectorFile } from '../model/connector-schema';

/** A connector config that cannot be used: one line per wrong field, each naming the field and the fix. */
export class ConfigError extends LpArchiveError {
  readonly kind = 'configuration';
  constructor(readonly problems: readonly string[]) {
    super(`The connector config is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates a parsed config file and fills its defaults, once: `check`, `start`, `reconfigure` and
 * `dry-run` all come here. Throws ConfigError with one line per wrong field; `now` bounds the start date.
 */
export function parseConnectorConfig(input: unknown, now: number): ConnectorConfig {
  const parsed = connectorConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.flatMap((i) => describeIssue(i, input)));
  const config = parsed.data;
  const problems: string[] = [];
  const startAt = config.schedule.startAt;
  if (startAt > now) problems.push('schedule.startDate: is in the future; use a past date (the backfill starts there)');
  if (startAt < now - CONFIG_BOUNDS.retentionMs)
    problems.push('schedule.startDate: is older than LivePerson keeps conversations (13 months); use a later date');
  for (const p of sourceProblems(config)) problems.push(`${p.path.join('.')}: ${p.message}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
