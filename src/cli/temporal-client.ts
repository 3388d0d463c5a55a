import { Client, Connection } from '@temporalio/client';
import { temporalConnectConfig } from '../config/worker-env';

/** A Temporal client from the standard TEMPORAL_* environment (or temporal.toml profile). */
export async function connectClient(): Promise<{ client: Client; taskQueue: string; close(): Promise<void> }> {
  const cfg = temporalConnectConfig();
  const { address, tls, apiKey, metadata } = cfg.connectionOptions;
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...(address !== undefined ? { address } : {}),
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    });
  } catch (err) {
    throw new Error(
      `Cannot reach Temporal at ${address ?? 'localhost:7233'} (${(err as Error).message}). Start the local stack (npm run stack) or set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE.`,
    );
  }
  return { client: new Client({ connection, namespace: cfg.namespace }), taskQueue: cfg.taskQueue, close: () => connection.close() };
}
