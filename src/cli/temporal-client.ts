import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../codec';
import { connectAttempt, explainTemporalConnectFailure } from '../config/temporal-connect-error';
import { temporalConnectConfig } from '../config/worker-env';
import { CliError } from './errors';
import type { CliEnv } from './io';
import { probeTls } from './tls-probe';

/** Flags that override the TEMPORAL_* environment / temporal.toml profile, like the `temporal` CLI's. */
export interface TemporalOverrides {
  readonly address?: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** Seconds to wait for the server to answer the first connection (default 10). */
  readonly connectTimeoutSeconds?: number;
}

export interface ConnectedClient {
  readonly client: Client;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly address: string;
  close(): Promise<void>;
}

/**
 * A Temporal client from the standard TEMPORAL_* variables of `env` (or a temporal.toml profile: TLS, mutual
 * TLS, API key), with flag overrides; `env` is the CLI's environment, env file included. A refusal names the
 * variable to fix.
 */
export async function connectClient(overrides: TemporalOverrides = {}, env: CliEnv = process.env): Promise<ConnectedClient> {
  const cfg = temporalConnectConfig(env);
  const { tls, apiKey, metadata } = cfg.connectionOptions;
  const address = overrides.address ?? cfg.connectionOptions.address ?? 'localhost:7233';
  const namespace = overrides.namespace ?? cfg.namespace;
  const taskQueue = overrides.taskQueue ?? cfg.taskQueue;
  // The same payload codec as the worker (LPA_CODEC_KEYS): inputs are encrypted, results and queries decrypted.
  const dataConverter = dataConverterFromEnv(env);
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address,
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
      connectTimeout: (overrides.connectTimeoutSeconds ?? 10) * 1000,
    });
  } catch (err) {
    // The gRPC client hides TLS refusals behind a deadline; one handshake of our own tells which side refused.
    const handshake = tls ? await probeTls(address, tls) : undefined;
    const seen = handshake ? new Error(`${(err as Error).message} (TLS handshake: ${handshake})`) : err;
    const explained = explainTemporalConnectFailure(seen, connectAttempt({ address, tls, apiKey }, env));
    throw new CliError(
      `${explained.message}${overrides.address === undefined ? '' : ' (--address overrides TEMPORAL_ADDRESS.)'} Local stack: npm run stack, which writes .stack/env for this command; or pass --env-file <file>.`,
      { cause: err },
    );
  }
  return { client: new Client({ connection, namespace, dataConverter }), namespace, taskQueue, address, close: () => connection.close() };
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withClient<T>(overrides: TemporalOverrides, env: CliEnv, fn: (c: ConnectedClient) => Promise<T>): Promise<T> {
  const c = await connectClient(overrides, env);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}
