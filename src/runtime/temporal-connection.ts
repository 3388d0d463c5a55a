import { NativeConnection } from '@temporalio/worker';
import { connectAttempt, explainTemporalConnectFailure } from '../config/temporal-connect-error';
import { temporalConnectConfig } from '../config/worker-env';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The worker's connection to Temporal from the standard TEMPORAL_* environment / temporal.toml profile: plain,
 * TLS, mutual TLS or API key. A refusal becomes a TemporalConnectError naming the variable to fix.
 */
export async function connectWorkerToTemporal(env: Env = process.env): Promise<{
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
}> {
  const temporal = temporalConnectConfig(env);
  try {
    const connection = await NativeConnection.connect(temporal.connectionOptions);
    return { connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue };
  } catch (err) {
    throw explainTemporalConnectFailure(err, connectAttempt(temporal.connectionOptions, env));
  }
}
