/** A tiny workflow that puts text in every place a payload goes: input, memo, activity input/result, failure, result. */
import { ActivityFailure, proxyActivities, upsertMemo } from '@temporalio/workflow';

export interface ProbeActivities {
  shout(text: string): Promise<string>;
  refuse(text: string): Promise<never>;
}

const acts = proxyActivities<ProbeActivities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } });

export async function codecProbe(input: { connector: string; note: string }): Promise<{ echo: string; failure: string }> {
  upsertMemo({ connector: input.connector });
  const echo = await acts.shout(input.note);
  let failure = '';
  try {
    await acts.refuse(input.note);
  } catch (err) {
    failure = err instanceof ActivityFailure ? (err.cause?.message ?? '') : String(err);
  }
  return { echo, failure };
}
