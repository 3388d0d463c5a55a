import express, { Router, type Request, type Response } from 'express';
import { counted, servesAccount, type EmulatorContext } from '../http/context';
import { faultInjector } from '../http/faults';

/** Sentinel OAuth2 client-credentials token endpoints (v2 form body; v1 body or query string). */
export function sentinelRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  r.post('/sentinel/api/v2/account/:acct/app/token', counted(ctx, 'sentinel'), faultInjector(ctx, 'sentinel'), form, (req, res) => {
    issue(ctx, req, res, bodyOf(req));
  });
  r.post('/sentinel/api/account/:acct/app/token', counted(ctx, 'sentinel'), faultInjector(ctx, 'sentinel'), form, (req, res) => {
    if (req.query.v !== '1.0') return void res.status(400).json({ error: 'invalid_request', error_description: 'v=1.0 is required' });
    const body = bodyOf(req);
    const q = req.query as Record<string, unknown>;
    issue(ctx, req, res, {
      client_id: body.client_id ?? str(q.client_id),
      client_secret: body.client_secret ?? str(q.client_secret),
      grant_type: body.grant_type ?? str(q.grant_type),
    });
  });
  return r;
}

interface TokenForm {
  client_id?: string;
  client_secret?: string;
  grant_type?: string;
}

function bodyOf(req: Request): TokenForm {
  const b: unknown = req.body;
  if (!b || typeof b !== 'object') return {};
  const o = b as Record<string, unknown>;
  return { client_id: str(o.client_id), client_secret: str(o.client_secret), grant_type: str(o.grant_type) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function issue(ctx: EmulatorContext, req: Request, res: Response, form: TokenForm): void {
  if (form.grant_type !== 'client_credentials') {
    res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    return;
  }
  const acct = req.params.acct;
  if (!servesAccount(ctx, acct) || form.client_id !== ctx.opts.clientId || form.client_secret !== ctx.opts.clientSecret) {
    ctx.stats.authFailures++;
    res.status(401).json({ error: 'invalid_client', error_description: 'Client authentication failed' });
    return;
  }
  const { token, expiresIn } = ctx.tokens.issue(acct, form.client_id, ctx.opts.tokenLifetimeSeconds, ctx.opts.clientScopes);
  ctx.stats.tokensIssued++;
  res.setHeader('Cache-Control', 'no-store');
  res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
}
