import * as fs from 'node:fs';
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

/** Where the OS lists the ports it hands out to outgoing connections (Linux). */
const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
/** Lowest port {@link findFreePort} hands out below the ephemeral range: above the defaults of the usual dev tools. */
const LISTEN_RANGE_LOW = 15_000;
/** Tries at random ports before falling back to one the OS picks. */
const RANDOM_PORT_TRIES = 50;

/**
 * Ports for listeners that no outgoing connection takes meanwhile: below the OS's ephemeral range, whose
 * ports the kernel gives each new client socket (a test suite opens thousands). Undefined where the range is
 * unknown (not Linux) or leaves too little room below it.
 */
export function listenPortRange(rangeFile: string = EPHEMERAL_RANGE_FILE): { readonly low: number; readonly high: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(rangeFile, 'utf8');
  } catch {
    return undefined;
  }
  const ephemeralLow = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isInteger(ephemeralLow) || ephemeralLow - 1 - LISTEN_RANGE_LOW < 1_000) return undefined;
  return { low: LISTEN_RANGE_LOW, high: ephemeralLow - 1 };
}

/**
 * A port that was free a moment ago on `host`. Use it at once; another listener may take it. Where the OS
 * says which ports it gives outgoing connections, the port lies below them (see {@link listenPortRange}), so
 * only a listener choosing the same one of thousands can take it, not a client socket's source port (in CI a
 * dev server could not bind the UI port its test had picked a minute before: a client socket had it).
 */
export async function findFreePort(host: string = DEFAULT_HOST): Promise<number> {
  const range = listenPortRange();
  if (range) {
    for (let i = 0; i < RANDOM_PORT_TRIES; i++) {
      const port = range.low + Math.floor(Math.random() * (range.high - range.low + 1));
      if (await isPortFree(port, host)) return port;
    }
  }
  return osPickedPort(host);
}

/** A free port the OS chooses (its ephemeral range). */
async function osPickedPort(host: string): Promise<number> {
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
