import type { ConnectorConfig } from '../../model';
import type { CliEnv } from '../io';
import type { TemporalOverrides } from '../temporal-client';
import { checkGraph } from './graph';
import { checkLivePerson } from './liveperson';
import { checkStorage } from './storage';
import { checkTemporal } from './temporal';
import { CheckRecorder, type CheckResult } from './types';

export interface PreflightOptions {
  readonly env: CliEnv;
  /** Mailbox to probe instead of the catch-all. */
  readonly mailbox?: string;
  readonly temporal: TemporalOverrides;
  /** Called as each result comes in (to print progressively). */
  readonly onResult?: (r: CheckResult) => void;
}

/** Every preflight step for a validated connector config, in order; nothing is written anywhere. */
export async function runPreflight(config: ConnectorConfig, o: PreflightOptions): Promise<CheckRecorder> {
  const rec = new CheckRecorder(o.onResult);
  const agents = await checkLivePerson(config, o.env, rec);
  await checkGraph(config, o.env, rec, o.mailbox, agents);
  await checkStorage(o.env, rec);
  await checkTemporal(o.temporal, o.env, rec);
  return rec;
}
