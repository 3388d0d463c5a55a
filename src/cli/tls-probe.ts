import * as tls from 'node:tls';

/** The TLS settings of a Temporal connection, as `@temporalio/envconfig` makes them. */
export interface ProbedTls {
  readonly serverNameOverride?: string;
  readonly serverRootCACertificate?: Uint8Array;
  readonly clientCertPair?: { readonly crt: Uint8Array; readonly key: Uint8Array };
}

/**
 * One TLS handshake with the settings of a failed Temporal connection, to learn why it failed: the gRPC client
 * only says it could not connect before its deadline. Resolves with the TLS error (the server refused our
 * certificate, or we do not trust its), or undefined when the handshake and the next moment went through.
 */
export function probeTls(address: string, settings: ProbedTls | boolean, timeoutMs = 3_000): Promise<string | undefined> {
  const [host = 'localhost', port = '7233'] = address.split(/:(?=\d+$)/);
  const s = typeof settings === 'object' ? settings : {};
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = tls.connect({
      host,
      port: Number(port),
      servername: s.serverNameOverride ?? (/^[\d.]+$|:/.test(host) ? undefined : host),
      ALPNProtocols: ['h2'],
      ...(s.serverRootCACertificate ? { ca: Buffer.from(s.serverRootCACertificate) } : {}),
      ...(s.clientCertPair ? { cert: Buffer.from(s.clientCertPair.crt), key: Buffer.from(s.clientCertPair.key) } : {}),
      ...(s.serverNameOverride ? { checkServerIdentity: (_host, cert) => tls.checkServerIdentity(s.serverNameOverride!, cert) } : {}),
    });
    // TLS 1.3 servers refuse a client certificate after the handshake: wait a moment for their alert.
    socket.once('secureConnect', () => setTimeout(() => done(undefined), 500).unref());
    socket.once('error', (err: Error) => done(err.message));
    socket.once('close', () => done(undefined));
    const timer = setTimeout(() => done(undefined), timeoutMs);
  });
}
