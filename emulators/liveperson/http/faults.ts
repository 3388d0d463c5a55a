import type { NextFunction, Request, Response } from 'express';
import { sendError, type EmulatorContext } from './context';

/** Injects 429 / 500 / 503 / slow answers and dropped connections at the configured rates, before any real work. */
export function faultInjector(ctx: EmulatorContext, kind: 'api' | 'sentinel') {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const f = ctx.faults;
    if (kind === 'sentinel' && !f.includeSentinel) return next();
    if (f.slowRate > 0 && ctx.faultRnd.chance(f.slowRate)) {
      ctx.stats.faults.slow++;
      await new Promise((r) => setTimeout(r, f.slowMs));
    }
    if (f.dropRate > 0 && ctx.faultRnd.chance(f.dropRate)) {
      ctx.stats.faults.dropped++;
      req.socket.destroy(); // the client sees a reset connection, as when a load balancer drops it
      return;
    }
    if (f.malformedJsonRate > 0 && ctx.faultRnd.chance(f.malformedJsonRate)) {
      ctx.stats.faults.malformedJson++;
      // 200 with a JSON content type and a body cut short: the client must not trust the status alone.
      res.status(200).type('application/json').send('{"_metadata":{"count":12,"self":{"rel":"self","href":"');
      return;
    }
    if (f.rate429 > 0 && ctx.faultRnd.chance(f.rate429)) {
      ctx.stats.faults.rate429++;
      if (f.retryAfterSeconds !== null) res.setHeader('Retry-After', String(f.retryAfterSeconds));
      return sendError(res, 429, 'Too Many Requests (injected by the emulator)');
    }
    if (f.rate5xx > 0 && ctx.faultRnd.chance(f.rate5xx)) {
      const status = ctx.faultRnd.chance(0.5) ? 503 : 500;
      if (status === 503) {
        ctx.stats.faults.status503++;
        if (f.retryAfter5xxSeconds !== null) res.setHeader('Retry-After', String(f.retryAfter5xxSeconds));
      } else {
        ctx.stats.faults.status500++;
      }
      return sendError(res, status, `${status === 503 ? 'Service Unavailable' : 'Internal Server Error'} (injected by the emulator)`);
    }
    next();
  };
}
