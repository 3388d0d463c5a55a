/**
 * `npm run codec-server`: the Temporal codec server, so that authorised users see decrypted payloads in the
 * Web UI (its codec endpoint with "pass access token") and in
 * `temporal workflow show --codec-endpoint https://codec.example.com --codec-auth "Bearer <access token>"`.
 *
 * Environment: LPA_CODEC_KEYS (or LPA_CODEC_KEYS_FILE) and LPA_CODEC_ACTIVE_KEY, the same as the workers';
 * LPA_CODEC_OIDC_ISSUER, LPA_CODEC_OIDC_AUDIENCE and LPA_CODEC_ALLOWED_GROUPS / _USERS (who may decode);
 * optional LPA_CODEC_OIDC_JWKS_URL, LPA_CODEC_SERVER_PORT (8888), LPA_CODEC_SERVER_HOST (127.0.0.1),
 * LPA_CODEC_CORS_ORIGINS (the Web UI origins). See docs/codec-server.md.
 */
import { codecServerOptionsFromEnv, redactSecrets, startCodecServer } from './codec';
import { installOutboundProxy } from './runtime/outbound-proxy';

async function main(): Promise<void> {
  const proxy = installOutboundProxy(); // the token verifier fetches the identity provider's keys
  if (proxy) console.log(`lp-archive codec server: ${proxy}`);
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
