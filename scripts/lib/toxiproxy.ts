import * as path from 'node:path';
import { StackError } from './errors';
import { ensureGoTool, TOOLS_BIN, type GoTool } from './go-tool';
import { findFreePort } from './ports';
import { startProcess, type ManagedProcess, type ProcessLog } from './process';
import { waitForHttp } from './wait';

/** The pinned toxiproxy release (Shopify's TCP fault proxy), built from the Go module proxy. */
export const TOXIPROXY_VERSION = 'v2.12.0';

/** Set this to an existing `toxiproxy-server` binary to skip the project-local build. */
export const TOXIPROXY_ENV = 'LP_ARCHIVE_TOXIPROXY';

const TOXIPROXY: GoTool = {
  title: 'toxiproxy',
  binaryName: 'toxiproxy-server',
  module: 'github.com/Shopify/toxiproxy/v2',
  package: 'github.com/Shopify/toxiproxy/v2/cmd/server',
  version: TOXIPROXY_VERSION,
  envOverride: TOXIPROXY_ENV,
  installAs: path.join(TOOLS_BIN, 'toxiproxy-server'),
};

/**
 * Returns the path of a toxiproxy server of the pinned version, building it into `.tools/bin/toxiproxy-server`
 * with `go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0` when it is missing (a fresh clone, CI).
 * Honours `LP_ARCHIVE_TOXIPROXY` as an explicit binary.
 *
 * @throws ToolInstallError naming Go or the module proxy, with the command to fix it
 */
export function ensureToxiproxy(options: { readonly log?: (m: string) => void } = {}): Promise<string> {
  return ensureGoTool(TOXIPROXY, options.log ?? ((m: string) => process.stderr.write(`[toxiproxy] ${m}\n`)));
}

/** The toxics the fault suite uses (toxiproxy's README lists their attributes). */
export type Toxic =
  /** Adds `latency` ms (± `jitter`) to every chunk. */
  | { readonly type: 'latency'; readonly attributes: { readonly latency: number; /** Whole ms. */ readonly jitter?: number } }
  /** Limits throughput to `rate` KB/s. */
  | { readonly type: 'bandwidth'; readonly attributes: { readonly rate: number } }
  /** Drops all data; closes the connection after `timeout` ms, or never with 0 (a black hole). */
  | { readonly type: 'timeout'; readonly attributes: { readonly timeout: number } }
  /** Resets the connection (TCP RST) after `timeout` ms, at once with 0. */
  | { readonly type: 'reset_peer'; readonly attributes: { readonly timeout: number } };

/** Which direction a toxic acts on: `upstream` is client → server, `downstream` server → client. */
export type ToxicStream = 'upstream' | 'downstream';

/** One TCP proxy of a toxiproxy server. */
export interface ToxiProxy {
  readonly name: string;
  /** `127.0.0.1:<port>`: where clients connect instead of the upstream. */
  readonly listen: string;
  readonly upstream: string;
}

/** A running toxiproxy server with a small client for its HTTP API. */
export class ToxiproxyServer {
  private constructor(
    readonly apiUrl: string,
    private readonly proc: ManagedProcess,
  ) {}

  /** Starts `toxiproxy-server` on a free loopback port (building it first when missing) and waits for its API. */
  static async start(
    options: { readonly log?: ProcessLog; readonly seed?: number; readonly binary?: string } = {},
  ): Promise<ToxiproxyServer> {
    const binary = options.binary ?? (await ensureToxiproxy());
    const port = await findFreePort();
    const args = ['-host', '127.0.0.1', '-port', String(port), ...(options.seed !== undefined ? ['-seed', String(options.seed)] : [])];
    const proc = await startProcess({ name: 'toxiproxy', command: binary, args, log: options.log ?? 'silent' });
    const apiUrl = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${apiUrl}/version`, { service: 'toxiproxy', timeoutMs: 15_000, process: proc });
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return new ToxiproxyServer(apiUrl, proc);
  }

  /** A proxy to `upstream` (`host:port`) listening on a free loopback port. */
  async createProxy(name: string, upstream: string): Promise<ToxiProxy> {
    const p = await this.call<{ listen: string; upstream: string }>('POST', '/proxies', {
      name,
      listen: '127.0.0.1:0',
      upstream,
      enabled: true,
    });
    return { name, listen: p.listen, upstream: p.upstream };
  }

  /** Adds a toxic acting on every connection of `proxy` (open ones and new ones) until it is removed. */
  async addToxic(proxy: string, name: string, toxic: Toxic, stream: ToxicStream = 'downstream'): Promise<void> {
    await this.call('POST', `/proxies/${proxy}/toxics`, { name, stream, toxicity: 1, ...toxic });
  }

  /** Removes a toxic; one already gone is fine. */
  async removeToxic(proxy: string, name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${proxy}/toxics/${name}`, undefined, [404]);
  }

  /** Removes every toxic of every proxy and enables all proxies. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  async stop(): Promise<void> {
    await this.proc.stop();
  }

  private async call<T>(method: string, route: string, body?: unknown, alsoFine: readonly number[] = []): Promise<T> {
    const res = await fetch(`${this.apiUrl}${route}`, {
      method,
      ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok && !alsoFine.includes(res.status))
      throw new StackError(
        `toxiproxy ${method} ${route} answered ${res.status}: ${text}. Is toxiproxy ${TOXIPROXY_VERSION} running at ${this.apiUrl}?`,
      );
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
