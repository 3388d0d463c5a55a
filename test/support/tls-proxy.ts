import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';

/** A TLS-terminating proxy in front of a plaintext gRPC server (the Temporal dev server). */
export interface TlsProxy {
  /** `127.0.0.1:<port>` for TEMPORAL_ADDRESS. */
  readonly address: string;
  /** Handshakes refused (a missing or foreign client certificate). */
  readonly refusedHandshakes: number;
  /** Request headers seen (h2 mode only), e.g. to see the API key arrive. */
  readonly requestHeaders: readonly http2.IncomingHttpHeaders[];
  close(): Promise<void>;
}

export interface TlsProxyOptions {
  /** `host:port` of the plaintext gRPC server. */
  readonly upstream: string;
  /** The proxy's own certificate and key (PEM). */
  readonly cert: string;
  readonly key: string;
  /** When set, a client certificate signed by this CA (PEM) is required: mutual TLS. */
  readonly clientCa?: string;
  /**
   * `tcp` (default): bytes through once TLS is done, as a TLS-terminating load balancer does. `h2`: each gRPC
   * request forwarded as HTTP/2, so its headers can be seen.
   */
  readonly mode?: 'tcp' | 'h2';
}

function tlsOptions(o: TlsProxyOptions): tls.TlsOptions {
  return {
    cert: o.cert,
    key: o.key,
    ALPNProtocols: ['h2'],
    ...(o.clientCa ? { ca: o.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function forwardable(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== ':status') out[k] = v;
  return out;
}

/** Starts the proxy on 127.0.0.1, any free port. */
export async function startTlsProxy(o: TlsProxyOptions): Promise<TlsProxy> {
  const [upHost, upPort] = o.upstream.split(':') as [string, string];
  let refusedHandshakes = 0;
  const requestHeaders: http2.IncomingHttpHeaders[] = [];
  const sockets = new Set<net.Socket>();
  let server: net.Server;

  if ((o.mode ?? 'tcp') === 'tcp') {
    server = tls.createServer(tlsOptions(o), (secure) => {
      const plain = net.connect(Number(upPort), upHost);
      sockets.add(secure).add(plain);
      secure.pipe(plain).pipe(secure);
      const end = (): void => {
        secure.destroy();
        plain.destroy();
      };
      secure.once('error', end).once('close', end);
      plain.once('error', end).once('close', end);
    });
  } else {
    const h2 = http2.createSecureServer({ ...tlsOptions(o), allowHTTP1: false });
    h2.on('stream', (stream, headers) => {
      requestHeaders.push(headers);
      const upstreamSession = http2.connect(`http://${o.upstream}`);
      const up = upstreamSession.request(forwardable(headers), { endStream: false });
      let trailers: http2.OutgoingHttpHeaders = {};
      up.on('response', (h, flags) => {
        // A trailers-only answer (a gRPC error without a body) ends the stream with its headers.
        if ((flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0) stream.respond(forwardable(h), { endStream: true });
        else stream.respond(forwardable(h), { waitForTrailers: true });
      });
      up.on('trailers', (t) => (trailers = forwardable(t)));
      stream.on('wantTrailers', () => stream.sendTrailers(trailers));
      stream.pipe(up);
      up.pipe(stream);
      const closeBoth = (): void => {
        if (!up.closed) up.close(http2.constants.NGHTTP2_CANCEL);
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
        upstreamSession.close();
      };
      stream.once('close', closeBoth).on('error', closeBoth);
      up.once('close', () => {
        if (!stream.closed && stream.headersSent === false) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
        upstreamSession.close();
      });
      up.on('error', closeBoth);
      upstreamSession.on('error', closeBoth);
    });
    server = h2;
  }
  server.on('tlsClientError', () => void refusedHandshakes++);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    get refusedHandshakes() {
      return refusedHandshakes;
    },
    requestHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
