import { createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
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
  /** Callers must send `Authorization: Bearer <token>`. */
  readonly token: string;
  /** 0: a free port. Default 8888. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Browser origins allowed by CORS (the Web UI's). Default {@link DEFAULT_UI_ORIGINS}. */
  readonly allowedOrigins?: readonly string[];
  /**
   * Also accept the token as the first path segment (`/<token>/decode`). The Web UI sends a bearer token
   * only with OIDC login over HTTPS; a local UI without login reaches the codec through this URL instead.
   */
  readonly tokenInPath?: boolean;
  readonly maxBodyBytes?: number;
  /** One line per refused or failed request (never a token or payload). Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A running codec server. */
export interface CodecServer {
  /** `http://host:port`: the endpoint for `temporal --codec-endpoint` with `--codec-auth "Bearer <token>"`. */
  readonly url: string;
  readonly port: number;
  /** The endpoint to give the Web UI (`--ui-codec-endpoint`): the token in the path when `tokenInPath`. */
  readonly uiEndpoint: string;
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

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison (hashing first makes the lengths equal). */
function sameToken(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
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
 * as the Web UI and the `temporal` CLI send), bearer-token protected, with CORS for the Web UI's origin
 * (the preflight needs no token, as browsers send none). `GET /health` answers without a token.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  if (options.token.length < 16) throw new Error('The codec server token must be at least 16 characters (LPA_CODEC_SERVER_TOKEN).');
  const expected = digest(options.token);
  const origins = new Set(options.allowedOrigins ?? DEFAULT_UI_ORIGINS);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(`[codec-server] ${line}\n`));

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
    const op = segments[segments.length - 1];
    const prefix = segments.slice(0, -1);
    if (!OPERATIONS.includes(op as Operation) || prefix.length > (options.tokenInPath ? 1 : 0)) {
      throw new HttpError(404, 'not found: use POST /encode or POST /decode');
    }
    if (req.method !== 'POST') throw new HttpError(405, `${req.method ?? '?'} is not allowed: use POST /${op}`, { allow: 'POST, OPTIONS' });

    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const inPath = prefix.length === 1 ? safeDecode(prefix[0] ?? '') : undefined;
    const authorised = (bearer !== undefined && sameToken(bearer, expected)) || (inPath !== undefined && sameToken(inPath, expected));
    if (!authorised) {
      throw new HttpError(
        401,
        'a valid "Authorization: Bearer <token>" header is required (the codec server token, LPA_CODEC_SERVER_TOKEN)',
        {
          'www-authenticate': 'Bearer realm="lp-archive codec"',
        },
      );
    }

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
      // The URL may hold the token (tokenInPath): log the method and status only.
      log(`${req.method ?? '?'} -> ${status}: ${redactSecrets(err instanceof Error ? err.message : String(err))}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, status, { error: message }, err instanceof HttpError ? err.headers : {});
    });
  });
  const host = options.host ?? '127.0.0.1';
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
    // Trailing slash: `new URL('decode', endpoint)` keeps the token segment only then.
    uiEndpoint: options.tokenInPath ? `${url}/${encodeURIComponent(options.token)}/` : url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
