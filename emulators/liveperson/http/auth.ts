import type { NextFunction, Request, Response } from 'express';
import { sendError, servesAccount, type EmulatorContext } from './context';
import { parseOAuthHeader, verifyOAuth1 } from './oauth1';

/**
 * Every API call needs `Authorization: Bearer <token from Sentinel>` or, when the emulator has OAuth 1.0
 * keys configured, a valid HMAC-SHA1 `Authorization: OAuth …` header. Anything else is a 401.
 */
export function requireAuth(ctx: EmulatorContext, o: { readonly bearerOnly?: string } = {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const why = o.bearerOnly && header && parseOAuthHeader(header) ? o.bearerOnly : reject(ctx, req, header);
    if (why === undefined) return next();
    ctx.stats.authFailures++;
    res.setHeader('WWW-Authenticate', 'Bearer realm="liveperson-emulator"');
    sendError(res, 401, `Unauthorized: ${why}`);
  };
}

function reject(ctx: EmulatorContext, req: Request, header: string | undefined): string | undefined {
  if (!header) return 'missing Authorization header';
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer?.[1]) {
    const acct = req.params.acct;
    return ctx.tokens.reject(bearer[1].trim(), servesAccount(ctx, acct) ? acct : undefined);
  }
  const oauth = parseOAuthHeader(header);
  if (oauth) {
    if (!ctx.opts.oauth1) return 'OAuth 1.0 keys are not enabled on this account';
    const url = new URL(req.originalUrl, `http://${req.get('host') ?? ctx.hostPort}`);
    return verifyOAuth1(req.method, `${url.protocol}//${url.host}${url.pathname}`, url.searchParams, oauth, ctx.opts.oauth1, ctx.now());
  }
  return 'unsupported Authorization scheme';
}
