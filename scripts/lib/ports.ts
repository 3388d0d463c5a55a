import * as net from 'node:net';
import { PortInUseError, StackError } from './errors';

/** Loopback only: the local stack never listens on other interfaces. */
const DEFAULT_HOST = '127.0.0.1';

/** Options of {@link assertPortFree}. */
export interface PortCheckOptions {
  /** Key in temporal-dev.yaml that sets this port, named in the error so the reader knows what to change. */
  readonly configKey?: string;
  readonly host?: string;
}

/** Resolves `true` when `port` can be bound on `host` right now. */
export async function isPortFree(port: number, host: string = DEFAULT_HOST): Promise<boolean> {
  try {
    await assertPortFree(port, 'port check', { host });
    return true;
  } catch (err) {
    if (err instanceof PortInUseError) return false;
    throw err;
  }
}

/**
 * Fails with a {@link PortInUseError} naming the port, the service and the setting to change when `port` is
 * already bound. Binding (not connecting) is the test, so a port held by a process that ignores connections
 * is found too.
 */
export async function assertPortFree(port: number, what: string, options: PortCheckOptions = {}): Promise<void> {
  const host = options.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new PortInUseError(port, what, options.configKey));
      else if (err.code === 'EACCES')
        reject(
          new StackError(
            `Port ${port} (${what}) needs privileges this process does not have. Use a port above 1024` +
              (options.configKey ? ` in \`${options.configKey}\` of temporal-dev.yaml.` : '.'),
            { cause: err },
          ),
        );
      else reject(new StackError(`Cannot check port ${port} (${what}) on ${host}: ${err.message}`, { cause: err }));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A port that was free a moment ago on `host` (the OS picks it). Use it at once; another process may take it. */
export async function findFreePort(host: string = DEFAULT_HOST): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new StackError(`Could not obtain a free port on ${host}.`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
