/**
 * `npm run codec-server`: the Temporal codec server, so that authorised users see decrypted payloads in
 * the Web UI (its "Codec Server" setting, or `temporal server start-dev --ui-codec-endpoint`) and in
 * `temporal workflow show --codec-endpoint http://127.0.0.1:8888 --codec-auth "Bearer $LPA_CODEC_SERVER_TOKEN"`.
 *
 * Environment: LPA_CODEC_KEYS (or LPA_CODEC_KEYS_FILE) and LPA_CODEC_ACTIVE_KEY, the same as the workers';
 * LPA_CODEC_SERVER_TOKEN (or _FILE); optional LPA_CODEC_SERVER_PORT (8888), LPA_CODEC_SERVER_HOST
 * (127.0.0.1), LPA_CODEC_CORS_ORIGINS (the Web UI origins, default http://127.0.0.1:8233,http://localhost:8233).
 */
import { codecServerOptionsFromEnv, redactSecrets, startCodecServer } from './codec';

async function main(): Promise<void> {
  const options = codecServerOptionsFromEnv();
  const server = await startCodecServer(options);
  console.log(
    `lp-archive codec server on ${server.url} (POST /encode, /decode; CORS for ${[...(options.allowedOrigins ?? [])].join(', ')})`,
  );
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (port taken: set LPA_CODEC_SERVER_PORT)' : '';
    console.error(redactSecrets(`codec server: ${message}${taken}`));
    process.exit(1);
  });
}
