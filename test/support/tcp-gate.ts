import * as net from 'node:net';

/** A TCP forwarder that holds every connection until it is opened: a service that "does not answer yet". */
export interface TcpGate {
  /** `127.0.0.1:<port>` to give the client instead of the upstream. */
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far (held or forwarded). */
  connections(): number;
  /** Forwards every held connection and every later one to the upstream. */
  open(): void;
  close(): Promise<void>;
}

/** Starts a closed {@link TcpGate} in front of `upstream` (`host:port`). */
export async function startTcpGate(upstream: { host: string; port: number }): Promise<TcpGate> {
  let isOpen = false;
  let accepted = 0;
  const held: net.Socket[] = [];
  const sockets = new Set<net.Socket>();

  const forward = (client: net.Socket): void => {
    const server = net.connect(upstream.port, upstream.host);
    sockets.add(server);
    server.on('close', () => sockets.delete(server));
    client.pipe(server).pipe(client);
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  };

  const gate = net.createServer((client) => {
    accepted++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    // Paused: bytes the client sends wait in the socket until the gate opens.
    client.pause();
    if (isOpen) forward(client);
    else held.push(client);
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  const { port } = gate.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    connections: () => accepted,
    open() {
      isOpen = true;
      for (const c of held.splice(0)) if (!c.destroyed) forward(c);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        gate.close(() => resolve());
      }),
  };
}
