import { configProblems, upgradeConfig, type ConfigOfAnyAge, type ConnectorConfig } from '../model';

/**
 * The workflow's own check of a new configuration: the same rules the CLI's parse runs (configProblems), plus
 * the invariants of a running connector. Throws to reject the update, naming the field and the fix.
 */
export function checkReconfigure(current: ConnectorConfig, next: ConfigOfAnyAge): void {
  if (next.name !== current.name) {
    throw new Error(`reconfigure: the name cannot change ("${current.name}" → "${next.name}"); start a new connector instead`);
  }
  if (next.liveperson.accountId !== current.liveperson.accountId) {
    throw new Error('reconfigure: liveperson.accountId cannot change on a running connector; start a new connector for another account');
  }
  const problems = configProblems(upgradeConfig(next));
  if (problems.length > 0) throw new Error(`reconfigure: ${problems.map((p) => p.message).join('; ')}`);
}
