import * as fs from 'node:fs';
import { EncryptionCodec } from './encryption-codec';
import { CodecConfigError } from './errors';
import { CODEC_ENV, keyRingFromEnv } from './key-ring';
import { DEFAULT_CODEC_SERVER_PORT, DEFAULT_UI_ORIGINS, type CodecServerOptions } from './server';

/** Environment variables of `npm run codec-server` (besides the key variables of key-ring.ts). */
export const CODEC_SERVER_ENV = {
  token: 'LPA_CODEC_SERVER_TOKEN',
  tokenFile: 'LPA_CODEC_SERVER_TOKEN_FILE',
  port: 'LPA_CODEC_SERVER_PORT',
  host: 'LPA_CODEC_SERVER_HOST',
  origins: 'LPA_CODEC_CORS_ORIGINS',
  tokenInPath: 'LPA_CODEC_SERVER_TOKEN_IN_PATH',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function tokenFromEnv(env: Env): string {
  const inline = env[CODEC_SERVER_ENV.token];
  const file = env[CODEC_SERVER_ENV.tokenFile];
  let token = inline;
  if (!token && file) {
    try {
      token = fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new CodecConfigError(
        CODEC_SERVER_ENV.tokenFile,
        `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  }
  if (!token) {
    throw new CodecConfigError(
      CODEC_SERVER_ENV.token,
      'is not set: the codec server decrypts history for whoever holds this token; set a long random value (e.g. `openssl rand -hex 32`)',
    );
  }
  if (token.length < 16)
    throw new CodecConfigError(
      CODEC_SERVER_ENV.token,
      'is shorter than 16 characters; use a long random value (e.g. `openssl rand -hex 32`)',
    );
  return token;
}

/**
 * Options of the codec server from its environment: the keys (required: a codec server without keys
 * decodes nothing), the bearer token, port, host, allowed Web UI origins.
 * @throws CodecConfigError naming the variable and the fix
 */
export function codecServerOptionsFromEnv(env: Env = process.env): CodecServerOptions {
  const ring = keyRingFromEnv(env);
  if (!ring)
    throw new CodecConfigError(
      CODEC_ENV.keys,
      `is not set (nor ${CODEC_ENV.keysFile}): give the codec server the same keys as the workers`,
    );
  const portText = env[CODEC_SERVER_ENV.port];
  const port = portText === undefined || portText === '' ? DEFAULT_CODEC_SERVER_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CodecConfigError(CODEC_SERVER_ENV.port, `"${portText}" is not a port number`);
  const origins = env[CODEC_SERVER_ENV.origins]
    ?.split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o !== '');
  return {
    codec: new EncryptionCodec(ring),
    token: tokenFromEnv(env),
    port,
    host: env[CODEC_SERVER_ENV.host] || '127.0.0.1',
    allowedOrigins: origins && origins.length > 0 ? origins : DEFAULT_UI_ORIGINS,
    tokenInPath: /^(1|true|yes)$/i.test(env[CODEC_SERVER_ENV.tokenInPath] ?? ''),
  };
}
