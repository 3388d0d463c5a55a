import * as http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { AccessDeniedError, IdentityProviderUnavailableError, type AccessTokenVerifier } from '../auth/access-token-verifier';
import { PayloadDecryptionError, UnknownEncryptionKeyError } from './errors';
import { fromJsonPayload, payloadsBodySchema, toJsonPayload } from './payload-json';
import { redactSecrets } from './redact';

/** The Web UI of the local stack (temporal-dev.yaml temporal.uiPort), by both loopback names. */
export const DEFAULT_UI_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'] as const;
export const DEFAULT_CODEC_SERVER_PORT = 8888;
/** A large workflow history is decoded in one request; 16 MiB leaves room above Temporal's 2 MB per payload. */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const OPERATIONS = ['encode', 'decode'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Options of {@link startCodecServer}. */
export interface CodecServerOptions {
  readonly codec: PayloadCodec;
  /**
   * Verifies the OpenID Connect access token each request must carry (`Authorization: Bearer`, as the Web UI
   * forwards it with OIDC login, or Temporal Cloud's "pass access token").
   */
  readonly verifier?: AccessTokenVerifier;
  /**
   * Local stack only: also decode for requests without a token when the server is bound to loopback, the
   * caller connects from loopback and names a loopback host (the dev server's Web UI has no login, so it can
   * send no token). A token that is sent is still verified. Refused with a non-loopback `host`; no
   * environment variable sets it, so a production codec server (`npm run codec-server`) cannot enable it.
   */
  readonly trustLoopbackWithoutToken?: boolean;
  /** 0: a free port. Default 8888. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Browser origins allowed by CORS (the Web UI's). Default {@link DEFAULT_UI_ORIGINS}. */
  readonly allowedOrigins?: readonly string[];
  readonly maxBodyBytes?: number;
  /** One line per refused or failed request (never a token or payload). Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A running codec server. */
export interface CodecServer {
  /** `http://host:port`: the endpoint for the Web UI and `temporal --codec-endpoint` (with `--codec-auth "Bearer <token>"`). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.replace(/^::ffff:/, '');
  return a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

/** The Host header names this machine (a DNS-rebinding page would send its own name). */
function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new HttpError(413, `request body is larger than ${maxBytes} bytes; decode fewer payloads per request`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Readonly<Record<string, string>> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Starts the codec server: `POST /encode` and `POST /decode` with `{payloads:[{metadata,data}]}` (base64,
 * as the Web UI and the `temporal` CLI send), protected by OpenID Connect access tokens (see
 * {@link CodecServerOptions.verifier}), with CORS for the Web UI's origin (the preflight needs no token, as
 * browsers send none). `GET /health` answers without a token.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.verifier && !options.trustLoopbackWithoutToken)
    throw new Error('The codec server needs an access token verifier (LPA_CODEC_OIDC_ISSUER and the other LPA_CODEC_OIDC_* settings).');
  if (options.trustLoopbackWithoutToken && !LOOPBACK_HOSTS.has(host))
    throw new Error(`The local-stack mode (decode without a token) binds to loopback only, not ${host}.`);
  const origins = new Set(options.allowedOrigins ?? DEFAULT_UI_ORIGINS);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(`[codec-server] ${line}\n`));

  const challenge = { 'www-authenticate': 'Bearer realm="lp-archive codec"' };
  /** Who may decode: a verified, allowed access token; or, in local-stack mode, a tokenless loopback caller. */
  async function authorise(req: http.IncomingMessage): Promise<string | undefined> {
    const header = req.headers.authorization;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (bearer === undefined) {
      const local =
        options.trustLoopbackWithoutToken === true && isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHostHeader(req.headers.host);
      if (local && header === undefined) return undefined;
      throw new HttpError(
        401,
        'an OpenID Connect access token is required ("Authorization: Bearer <token>"): sign in to the Web UI with OIDC and let it forward the access token (codec "pass access token")',
        challenge,
      );
    }
    if (!options.verifier)
      throw new HttpError(401, 'this codec server accepts no access tokens (local-stack mode without an issuer)', challenge);
    try {
      return (await options.verifier.verify(bearer)).display;
    } catch (err) {
      if (err instanceof AccessDeniedError) throw new HttpError(err.status, err.message, err.status === 401 ? challenge : {});
      if (err instanceof IdentityProviderUnavailableError) throw new HttpError(503, err.message, { 'retry-after': '10' });
      throw err;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) {
        throw new HttpError(403, `origin ${origin} is not allowed; add it to LPA_CODEC_CORS_ORIGINS (comma-separated) on the codec server`);
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      send(res, 204, undefined, {
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'authorization, authorization-extras, content-type, x-namespace',
        'access-control-max-age': '600',
      });
      return;
    }
    // `new URL(op, endpoint)` (current UI) and `endpoint + '/' + op` (older UI) differ by a slash.
    const segments = new URL(req.url ?? '/', 'http://codec').pathname.split('/').filter((s) => s !== '');
    if (req.method === 'GET' && segments.length === 1 && segments[0] === 'health') {
      send(res, 200, { ok: true });
      return;
    }
    // No token in paths: anything but /encode and /decode (a path segment in front included) is not found.
    const op = segments[0];
    if (segments.length !== 1 || !OPERATIONS.includes(op as Operation)) {
      throw new HttpError(404, 'not found: use POST /encode or POST /decode');
    }
    if (req.method !== 'POST') throw new HttpError(405, `${req.method ?? '?'} is not allowed: use POST /${op}`, { allow: 'POST, OPTIONS' });

    const who = await authorise(req);
    // An audit line per signed-in caller (the local stack's tokenless Web UI is not logged).
    if (op === 'decode' && who !== undefined) log(`decode for ${who}`);

    const raw = await readBody(req, maxBytes);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'the body is not JSON: send {"payloads":[{"metadata":{...},"data":"<base64>"}]}');
    }
    const parsed = payloadsBodySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(
        400,
        `the body is not {"payloads":[{"metadata":{...},"data":"<base64>"}]}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      );
    }
    const payloads = parsed.data.payloads.map(fromJsonPayload);
    let result;
    try {
      result = op === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (err) {
      if (err instanceof UnknownEncryptionKeyError || err instanceof PayloadDecryptionError) throw new HttpError(422, err.message);
      throw err;
    }
    send(res, 200, { payloads: result.map(toJsonPayload) });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'internal error decoding payloads; see the codec server log';
      // The method and status only: never a token or payload.
      log(`${req.method ?? '?'} -> ${status}: ${redactSecrets(err instanceof Error ? err.message : String(err))}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, status, { error: message }, err instanceof HttpError ? err.headers : {});
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_CODEC_SERVER_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
