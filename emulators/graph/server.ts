import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { generateTenant, type Tenant } from '../shared/tenant';
import { DEFAULT_LIMITS } from './constants';
import { mailboxResolver, type EmulatorContext } from './context';
import { buildDirectory, type DirectoryUser } from './directory';
import { withDirectoryCopies } from './directory-copies';
import { errorHandler, requestIds, sendGraphError } from './errors';
import { MailboxLimits } from './limits';
import { batchHandler } from './routes/batch';
import { foldersRouter } from './routes/folders';
import { inspectRouter } from './routes/inspect';
import { messagesRouter } from './routes/messages';
import { uploadSessionRouter, uploadUrlRouter } from './routes/upload';
import { usersRouter } from './routes/users';
import { MailboxStore } from './store';
import { TokenIssuer } from './token';
import type { FaultConfig, GraphEmulatorOptions, ResolvedEmulatorOptions } from './types';

/** A running Graph emulator. */
export interface GraphEmulator {
  /** `https://127.0.0.1:{port}` (`http://` without the `tls` option): authority host (token endpoint) and Graph host at once. */
  readonly url: string;
  readonly port: number;
  /** `{url}/v1.0`, the `baseUrl` for the Graph client. */
  readonly graphBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenant: Tenant;
  /** Directory users (with their mailbox state) as the emulator serves them. */
  readonly users: readonly DirectoryUser[];
  /** Replaces the fault injection config (same as `POST /_emulator/faults`). */
  setFaults(faults: FaultConfig): void;
  close(): Promise<void>;
}

function resolveOptions(o: GraphEmulatorOptions): ResolvedEmulatorOptions {
  return {
    clientId: o.clientId ?? 'graph-demo-client',
    clientSecret: o.clientSecret ?? 'graph-demo-secret',
    clientCertificates: o.clientCertificates ?? [],
    federatedCredentials: o.federatedCredentials ?? [],
    managedIdentity: o.managedIdentity,
    tenantId: o.tenantId,
    roles: o.roles ?? ['User.Read.All', 'Mail.ReadWrite'],
    tokenLifetimeSeconds: o.tokenLifetimeSeconds ?? 3599,
    mailboxConcurrency: o.mailboxConcurrency ?? DEFAULT_LIMITS.mailboxConcurrency,
    requestBudget: o.requestBudget ?? DEFAULT_LIMITS.requestBudget,
    requestWindowMs: o.requestWindowMs ?? DEFAULT_LIMITS.requestWindowMs,
    uploadBudgetBytes: o.uploadBudgetBytes ?? DEFAULT_LIMITS.uploadBudgetBytes,
    uploadWindowMs: o.uploadWindowMs ?? DEFAULT_LIMITS.uploadWindowMs,
    maxRequestBytes: o.maxRequestBytes ?? DEFAULT_LIMITS.maxRequestBytes,
    mailboxQuotaBytes: o.mailboxQuotaBytes ?? Number.POSITIVE_INFINITY,
    latencyMs: o.latencyMs ?? 0,
    enableImportMime: o.enableImportMime ?? true,
    logRequests: o.logRequests ?? false,
  };
}

function apiRouter(ctx: EmulatorContext, beta: boolean): Router {
  const api = Router();
  const bodies = [
    express.json({ limit: ctx.opts.maxRequestBytes, type: ['application/json', 'application/*+json'] }),
    express.text({ limit: ctx.opts.maxRequestBytes, type: 'text/plain' }),
  ];
  api.use((_req, _res, next) => {
    ctx.limits.totalRequests++;
    next();
  });
  api.use(ctx.tokens.requireBearer);
  // Mail paths: resolve the mailbox, apply Outlook's per-mailbox limits, then read the body.
  api.use(['/users/:userRef/mailFolders', '/users/:userRef/messages'], mailboxResolver(ctx), ctx.limits.gate, ...bodies);
  api.use(...bodies);
  api.use(usersRouter(ctx));
  api.use(uploadSessionRouter(ctx));
  api.use(foldersRouter(ctx));
  api.use(messagesRouter(ctx, { beta }));
  api.post('/\\$batch', batchHandler(ctx, beta ? 'beta' : 'v1.0'));
  api.use((req: Request, res: Response) => {
    sendGraphError(
      res,
      400,
      'BadRequest',
      `Resource not found for the segment '${req.path.split('/').filter(Boolean).pop() ?? ''}' (the emulator does not serve ${req.method} ${req.path}).`,
    );
  });
  return api;
}

/**
 * Starts a Microsoft Graph emulator on 127.0.0.1: token endpoint, directory, mail folders, messages,
 * attachments, upload sessions and `$batch`, with Outlook's per-mailbox limits, fault injection and
 * inspection under `/_emulator/`. Seeded from the shared tenant so it agrees with the LivePerson emulator.
 */
export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const opts = resolveOptions(options);
  const seed = options.seed ?? 42;
  const tenant = options.tenant ?? generateTenant(seed);
  const users = withDirectoryCopies(buildDirectory(tenant, seed), options.directoryCopies ?? 1);
  const ctx: EmulatorContext = {
    opts,
    users,
    store: new MailboxStore(users, opts.mailboxQuotaBytes),
    limits: new MailboxLimits(opts, options.faults),
    tokens: new TokenIssuer(opts, () => ctx.url),
    mailboxStates: new Map(),
    url: '',
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestIds);
  if (opts.logRequests) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      const started = Date.now();
      res.once('finish', () =>
        console.log(`[graph-emulator] ${req.method} ${req.originalUrl} ${res.statusCode} ${Date.now() - started}ms`),
      );
      next();
    });
  }
  app.get('/msi/token', ctx.tokens.handleManagedIdentityRequest);
  app.get('/:tenant/v2.0/.well-known/openid-configuration', ctx.tokens.handleOpenIdConfiguration);
  app.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false, limit: '64kb' }), ctx.tokens.handleTokenRequest);
  app.use('/_emulator', express.json({ limit: '1mb' }), inspectRouter(ctx));
  app.use(uploadUrlRouter(ctx, ctx.limits.gate));
  app.use('/v1.0', apiRouter(ctx, false));
  app.use('/beta', apiRouter(ctx, true));
  app.use((req: Request, res: Response) => {
    sendGraphError(res, 404, 'NotFound', `No such endpoint: ${req.method} ${req.path}. Graph paths start with /v1.0 or /beta.`);
  });
  app.use(errorHandler);

  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, app) : createHttpServer(app);
  server.listen(options.port ?? 4102, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Graph emulator: port ${options.port ?? 4102} is already in use. Stop the other process or pass another port (--port, or 0 for any free port).`,
            )
          : err,
      ),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  ctx.url = url;
  return {
    url,
    port,
    graphBaseUrl: `${url}/v1.0`,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    tenant,
    users,
    setFaults: (f) => ctx.limits.setFaults(f),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
