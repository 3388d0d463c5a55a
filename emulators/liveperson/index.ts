import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from '../shared/random';
import { ChatStore } from './data/chat-store';
import { RawRecordStore } from './data/raw-records';
import { ConversationStore } from './data/store';
import type { EmulatorContext } from './http/context';
import { emptyStats } from './http/stats';
import { TokenIssuer } from './http/tokens';
import { resolveOptions, type LivePersonEmulatorOptions, type ResolvedOptions } from './options';
import { csdsRoutes } from './routes/csds';
import { ehRoutes } from './routes/eh';
import { filesRoutes } from './routes/files';
import { inspectRoutes } from './routes/inspect';
import { inspectChatRoutes } from './routes/inspect-chats';
import { miRoutes } from './routes/mi';
import { rawRecordRoutes } from './routes/raw-records';
import { sentinelRoutes } from './routes/sentinel';
import { usersRoutes } from './routes/users';

export type { LivePersonEmulatorOptions, FaultSettings } from './options';
export type { ConversationTruth } from './data/plan';
export type { ChatTruth } from './data/chat-plan';
export type { EmulatorStats } from './http/stats';

export interface LivePersonEmulator {
  /** `http://127.0.0.1:{port}`: use as the client's `csdsBaseUrl` (with `serviceScheme: 'http'`). */
  readonly url: string;
  readonly port: number;
  readonly accountId: string;
  /** Every account served: `accountId`, then the extra ones (same conversations, own tokens). */
  readonly accountIds: readonly string[];
  readonly options: ResolvedOptions;
  /** The data, for in-process tests (the same data `/_emulator/*` exposes over HTTP). */
  readonly store: ConversationStore;
  /** The legacy chats (Engagement History), for in-process tests (`/_emulator/chats` exposes the same). */
  readonly chats: ChatStore;
  /** Live run-time state: faults and counters can be read and changed in-process too. */
  readonly context: EmulatorContext;
  close(): Promise<void>;
}

/**
 * Starts the LivePerson emulator: CSDS, Sentinel, Messaging Interactions, Engagement History (legacy chat),
 * Users API and Swift file storage on one port (every CSDS baseURI points back here), plus `/_emulator/*` inspection endpoints.
 */
export async function startLivePersonEmulator(options: LivePersonEmulatorOptions = {}): Promise<LivePersonEmulator> {
  const opts = resolveOptions(options);
  const now = options.clock ?? ((): number => Date.now());
  const store = new ConversationStore(opts, now(), now);
  const chats = new ChatStore(
    {
      tenant: store.tenant,
      maxLines: opts.chatMaxLines,
      partialRate: opts.chatPartialRate,
      ingestion: { maxMs: opts.chatIngestionMaxMs, lateRate: opts.chatLateRate, lateMaxMs: opts.chatLateMaxMs },
    },
    { seed: opts.seed, chats: opts.chats, days: opts.chatDays, anchorTime: opts.anchorTime, livePerMinute: opts.chatLivePerMinute },
    now(),
    now,
  );
  const ctx: EmulatorContext = {
    opts,
    faults: { ...opts.faults },
    store,
    chats,
    rawRecords: new RawRecordStore(),
    tokens: new TokenIssuer(now),
    stats: emptyStats(),
    faultRnd: new SeededRandom(opts.seed ^ 0xfa17),
    now,
    hostPort: '',
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (opts.verbose) {
    app.use((req, res, next) => {
      const t0 = Date.now();
      res.on('finish', () =>
        process.stderr.write(`[lp-emulator] ${req.method} ${req.originalUrl} ${res.statusCode} ${Date.now() - t0}ms\n`),
      );
      next();
    });
  }
  app.use(rawRecordRoutes(ctx)); // before inspectRoutes: its 1 MB body limit would refuse absurd records
  app.use(inspectRoutes(ctx));
  app.use(inspectChatRoutes(ctx));
  app.use(csdsRoutes(ctx));
  app.use(sentinelRoutes(ctx));
  app.use('/messaging_history', express.json({ limit: '1mb' }));
  app.use(miRoutes(ctx));
  app.use(ehRoutes(ctx));
  app.use(usersRoutes(ctx));
  app.use(filesRoutes(ctx));
  app.use((req: Request, res: Response) => {
    res.status(404).json({ status: 404, message: `No route for ${req.method} ${req.path}` });
  });
  // Bad JSON and anything unexpected: a JSON error, never a crash or an HTML page.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    const message = err instanceof Error ? err.message : String(err);
    if (!res.headersSent) res.status(status).json({ status, message: status === 400 ? `Malformed request body: ${message}` : message });
  });

  const server = app.listen(opts.port, opts.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  ctx.hostPort = `${opts.host}:${port}`;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    accountId: opts.accountId,
    accountIds: opts.accountIds,
    options: opts,
    store,
    chats,
    context: ctx,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
