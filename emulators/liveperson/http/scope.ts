import type { NextFunction, Request, Response } from 'express';
import { sendError, type EmulatorContext } from './context';

/**
 * After `requireAuth`: an OAuth2 bearer token must carry `scope`, else 403 with an RFC 6750 `insufficient_scope`
 * challenge (the status and body LivePerson sends are not documented; 403 is what RFC 6750 prescribes).
 * OAuth 1.0 API keys pass: their permissions are set on the key, which the emulator does not model.
 */
export function requireScope(ctx: EmulatorContext, scope: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!bearer?.[1] || ctx.tokens.scopesOf(bearer[1].trim()).includes(scope)) return next();
    ctx.stats.authFailures++;
    res.setHeader('WWW-Authenticate', `Bearer realm="liveperson-emulator", error="insufficient_scope", scope="${scope}"`);
    sendError(res, 403, `Forbidden: the access token lacks the scope ${scope}`, { error: 'insufficient_scope', scope });
  };
}
