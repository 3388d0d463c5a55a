import { createElement } from 'react';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
import { CliError, UsageError } from '../cli/errors';
import { retryFailedDays, sendControlSignal, type SignalVerb } from '../cli/connector-control';
import type { ConnectorData } from './connector-data';
import type { OidcLogin, PendingLogin } from './oidc-login';
import { ConnectorPage } from './pages/connector-page';
import { ConnectorsPage } from './pages/connectors-page';
import { MessagePage } from './pages/message-page';
import { renderPage } from './render';
import { consoleUserOf, type ConsoleUser } from './roles';
import type { ConsoleSettings } from './settings';
import type { ConnectedClient } from '../cli/temporal-client';

declare module 'express-session' {
  interface SessionData {
    user?: ConsoleUser;
    pending?: PendingLogin;
    idToken?: string;
    flash?: { kind: 'info' | 'error'; text: string };
  }
}

/** What the console app needs; built by src/console-server.ts (and tests). */
export interface ConsoleAppDeps {
  readonly settings: ConsoleSettings;
  readonly login: OidcLogin;
  readonly data: ConnectorData;
  /** The Temporal client the control actions use (the CLI's). */
  readonly temporal: ConnectedClient;
  /** One line per sign-in, refusal and action (an audit trail; never a token). */
  readonly log: (line: string) => void;
}

const SIGNAL_ACTIONS: readonly SignalVerb[] = ['pause', 'resume', 'run-now'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PENDING_LOGIN_MS = 10 * 60_000;

/** A path on this console to come back to after sign-in (never another site). */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

const query = (req: Request, key: string): string | undefined => {
  const v = req.query[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** Requests that get a 401 instead of a redirect to sign-in: API calls, downloads and posts. */
const isMachineRequest = (req: Request): boolean => req.path.startsWith('/api/') || req.path.endsWith('.csv') || req.method !== 'GET';

/**
 * The connector console: sign-in with OpenID Connect (code flow + PKCE), a server-side session (cookie
 * HttpOnly, SameSite=Lax, Secure over https), pages rendered with React on the server, the day log as a CSV
 * download, and operator actions as POST forms with a CSRF token. Nothing is served without sign-in but
 * `/health` and the sign-in routes; participant addresses never appear in a URL (connector names and days only).
 */
export function createConsoleApp(deps: ConsoleAppDeps): express.Express {
  const { settings, login, data, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  const issuerOrigin = new URL(settings.oidc.issuer).origin;

  app.use((_req, res, next) => {
    res.set({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      // Forms post here only; sign-out then redirects to the provider (form-action covers that redirect).
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self' ${issuerOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    });
    next();
  });
  app.get('/health', (_req, res) => void res.json({ ok: true }));

  app.use(
    session({
      name: 'lpa_console',
      secret: settings.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, secure: settings.secureCookies, sameSite: 'lax', maxAge: settings.sessionMaxAgeMs },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  const csrf = csrfSync({
    getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf,
    errorConfig: {
      statusCode: 403,
      message: 'The form has expired or did not come from this console (CSRF check); reload the page and try again.',
    },
  });

  const page = (res: Response, status: number, element: Parameters<typeof renderPage>[0]): void => {
    res.status(status).type('html').send(renderPage(element));
  };
  const message = (req: Request, res: Response, status: number, title: string, text: string): void => {
    const user = req.session.user;
    page(
      res,
      status,
      createElement(MessagePage, {
        title,
        message: text,
        ...(user ? { user, csrf: csrf.generateToken(req) } : {}),
        ...(status === 401 ? { link: { href: '/auth/login', label: 'Sign in' } } : { link: { href: '/', label: 'Connectors' } }),
      }),
    );
  };

  app.get('/auth/login', async (req, res, next) => {
    try {
      const { url, pending } = await login.start(safeReturnTo(req.query.returnTo));
      req.session.pending = pending;
      // A sign-in not finished within 10 minutes is forgotten (the full lifetime starts at sign-in).
      req.session.cookie.maxAge = PENDING_LOGIN_MS;
      req.session.save((err) => (err ? next(err) : res.redirect(303, url)));
    } catch (err) {
      next(err);
    }
  });

  app.get('/auth/callback', async (req, res, next) => {
    const pending = req.session.pending;
    if (!pending) {
      message(req, res, 400, 'Sign-in expired', 'This sign-in was not started here or has expired (cookies blocked?). Sign in again.');
      return;
    }
    try {
      const { claims, idToken } = await login.finish(new URL(req.originalUrl, settings.publicUrl), pending);
      const user = consoleUserOf(claims, settings);
      // A new session id after sign-in (no session fixation); the pending checks go with the old one.
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.user = user;
        req.session.idToken = idToken;
        req.session.cookie.maxAge = settings.sessionMaxAgeMs;
        log(`signed in ${user.username} as ${user.role ?? 'no role (refused)'}`);
        req.session.save((e) => (e ? next(e) : res.redirect(303, pending.returnTo)));
      });
    } catch (err) {
      log(`sign-in failed: ${(err as Error).message}`);
      message(req, res, 401, 'Sign-in failed', `The identity provider's answer was refused: ${(err as Error).message}. Sign in again.`);
    }
  });

  app.get('/signed-out', (req, res) => message(req, res, 200, 'Signed out', 'You are signed out of the lp-archive console.'));

  app.post('/auth/logout', csrf.csrfSynchronisedProtection, async (req, res, next) => {
    try {
      const idToken = req.session.idToken;
      const who = req.session.user?.username;
      const to = (await login.logoutUrl(idToken).catch(() => undefined)) ?? '/signed-out';
      req.session.destroy((err) => {
        if (err) return next(err);
        res.clearCookie('lpa_console');
        if (who) log(`signed out ${who}`);
        res.redirect(303, to);
      });
    } catch (err) {
      next(err);
    }
  });

  // Everything below needs a signed-in user with a role.
  app.use((req, res, next) => {
    const user = req.session.user;
    if (!user) {
      if (isMachineRequest(req)) {
        res
          .status(401)
          .set('www-authenticate', 'OIDC realm="lp-archive console"')
          .json({ error: 'sign in first: open the console in a browser' });
        return;
      }
      res.redirect(303, `/auth/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (!user.role) {
      message(
        req,
        res,
        403,
        'No access',
        `You are signed in as ${user.username}, but not in a group or app role allowed to use the console. Ask an administrator to add you to the console's operators or readers.`,
      );
      return;
    }
    next();
  });

  app.get('/', async (req, res, next) => {
    try {
      const connectors = await data.list();
      page(res, 200, createElement(ConnectorsPage, { user: req.session.user!, csrf: csrf.generateToken(req), connectors }));
    } catch (err) {
      next(err);
    }
  });

  app.get('/api/connectors', async (_req, res, next) => {
    try {
      res.json(await data.list());
    } catch (err) {
      next(err);
    }
  });

  app.get('/connectors/:name', async (req, res, next) => {
    try {
      const name = req.params.name;
      const detail = await data.detail(name, query(req, 'from'), query(req, 'to'));
      if (!detail) {
        message(req, res, 404, 'No such connector', `There is no connector "${name}" in this namespace.`);
        return;
      }
      const flash = req.session.flash;
      delete req.session.flash;
      page(
        res,
        200,
        createElement(ConnectorPage, {
          user: req.session.user!,
          csrf: csrf.generateToken(req),
          detail,
          ...(flash?.kind === 'info' ? { flash: flash.text } : {}),
          ...(flash?.kind === 'error' ? { error: flash.text } : {}),
        }),
      );
    } catch (err) {
      next(err);
    }
  });

  app.get('/connectors/:name/log.csv', async (req, res, next) => {
    try {
      const name = req.params.name;
      if (!(await data.exists(name))) {
        res.status(404).type('text').send(`There is no connector "${name}" in this namespace.\n`);
        return;
      }
      const { csv, from, to } = await data.logCsv(name, query(req, 'from'), query(req, 'to'));
      log(`${req.session.user!.username} downloaded the log of ${name} (${from} to ${to})`);
      res.status(200).type('text/csv; charset=utf-8').attachment(`lp-archive-log-${name}-${from}-to-${to}.csv`).send(csv);
    } catch (err) {
      next(err);
    }
  });

  app.post(
    '/connectors/:name/actions/:verb',
    (req, res, next) => {
      if (req.session.user?.role === 'operator') return next();
      log(`refused ${req.params.verb as string} on ${req.params.name as string} for ${req.session.user?.username ?? '?'}: not an operator`);
      message(
        req,
        res,
        403,
        'Not allowed',
        'Only operators may pause, resume, run or retry a connector; your role reads and downloads logs.',
      );
    },
    csrf.csrfSynchronisedProtection,
    async (req, res, next) => {
      const name = req.params.name as string;
      const verb = req.params.verb as string;
      const user = req.session.user!;
      const back = `/connectors/${encodeURIComponent(name)}`;
      try {
        if ((SIGNAL_ACTIONS as readonly string[]).includes(verb)) {
          await sendControlSignal(deps.temporal, name, verb as SignalVerb);
          req.session.flash = { kind: 'info', text: `Sent ${verb} to connector "${name}".` };
        } else if (verb === 'retry-failed') {
          const body = req.body as { fromDay?: string; toDay?: string };
          if (!DAY.test(body.fromDay ?? '') || !DAY.test(body.toDay ?? '')) throw new UsageError('Choose the days to retry (YYYY-MM-DD).');
          const r = await retryFailedDays(deps.temporal, name, body.fromDay!, body.toDay!);
          req.session.flash = {
            kind: 'info',
            text:
              r.windows === 0
                ? `No failed item with a conversation version in the log of ${body.fromDay!} to ${body.toDay!}.`
                : `Retrying ${r.failedRows} failed row(s) in ${r.windows} window(s) as ${r.reimportId}.`,
          };
        } else {
          message(req, res, 404, 'No such action', `"${verb}" is not an action: use pause, resume, run-now or retry-failed.`);
          return;
        }
        log(`${user.username} sent ${verb} to connector ${name}`);
      } catch (err) {
        if (!(err instanceof CliError || err instanceof UsageError)) return next(err);
        req.session.flash = { kind: 'error', text: err.message };
      }
      req.session.save((e) => (e ? next(e) : res.redirect(303, back)));
    },
  );

  app.use((req, res) => message(req, res, 404, 'Not found', 'There is no such page.'));
  // The CLI's range check speaks of its flags; here they are the From and To fields.
  app.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (err instanceof UsageError) return next(new UsageError(err.message.replace(/--from\b/g, 'From').replace(/--to\b/g, 'To')));
    next(err);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? (err instanceof UsageError ? 400 : 500);
    const text =
      err instanceof UsageError || err instanceof CliError || status < 500
        ? (err as Error).message
        : `The console could not answer (${(err as Error).message}). Check that Temporal and blob storage are reachable from the console (TEMPORAL_ADDRESS, AZURE_STORAGE_CONNECTION_STRING).`;
    if (status >= 500) log(`error on ${req.method} ${req.path}: ${(err as Error).stack ?? String(err)}`);
    if (res.headersSent) return;
    if (isMachineRequest(req) && req.method === 'GET') {
      res.status(status).json({ error: text });
      return;
    }
    message(req, res, status, status === 403 ? 'Refused' : status < 500 ? 'Cannot do that' : 'Error', text);
  });
  return app;
}
