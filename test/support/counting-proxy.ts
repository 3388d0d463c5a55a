import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** What went through the proxy: a CONNECT tunnel to `target` (host:port), or a forwarded plain HTTP request. */
export interface ProxiedRequest {
  readonly kind: 'connect' | 'http';
  readonly target: string;
  /** Path and query of a forwarded HTTP request (a tunnel hides it). */
  readonly path?: string;
}

export interface CountingProxy {
  readonly url: string;
  readonly seen: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * A forward proxy as corporate networks run them: `CONNECT host:port` tunnels for HTTPS and absolute-URL requests
 * for plain HTTP, on 127.0.0.1 at a free port. It records each request, so a test can tell which calls went
 * through it.
 */
export async function startCountingProxy(): Promise<CountingProxy> {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URL expected');
      return;
    }
    seen.push({ kind: 'http', target: url.host, path: `${url.pathname}${url.search}` });
    const upstream = http.request(
      { host: url.hostname, port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.push({ kind: 'connect', target });
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === client ? upstream : client).destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
