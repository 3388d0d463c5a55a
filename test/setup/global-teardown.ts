import { takeStartedServices } from './started';

/** Jest globalTeardown: stops whatever the global setup started (never servers it merely reused). */
export default async function globalTeardown(): Promise<void> {
  const results = await Promise.allSettled(takeStartedServices().map((s) => s.stop()));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
