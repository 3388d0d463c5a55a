import type { NextFunction, Request, Response } from 'express';
import { SeededRandom } from '../../shared/random';
import type { ChatStore } from '../data/chat-store';
import type { RawRecordStore } from '../data/raw-records';
import type { ConversationStore } from '../data/store';
import type { FaultSettings, ResolvedOptions } from '../options';
import type { EmulatorStats } from './stats';
import type { TokenIssuer } from './tokens';

/** Everything the route modules share. `faults` is mutable at run time. */
export interface EmulatorContext {
  readonly opts: ResolvedOptions;
  faults: FaultSettings;
  readonly store: ConversationStore;
  /** Legacy chats served by Engagement History (empty unless the `chats` options ask for some). */
  readonly chats: ChatStore;
  /** Records injected verbatim through `POST /_emulator/records` (hostile-input tests); search serves them too. */
  readonly rawRecords: RawRecordStore;
  readonly tokens: TokenIssuer;
  stats: EmulatorStats;
  readonly faultRnd: SeededRandom;
  readonly now: () => number;
  /** `127.0.0.1:{port}`, known once listening. */
  hostPort: string;
}

/** Whether `acct` is one of the accounts this emulator serves (`accountId` or one of `extraAccountIds`). */
export function servesAccount(ctx: EmulatorContext, acct: unknown): acct is string {
  return typeof acct === 'string' && ctx.opts.accountIds.includes(acct);
}

/** LivePerson's MI error body is undocumented; a small JSON like this is what the reference suggests. */
export function sendError(res: Response, status: number, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ status, message, ...extra });
}

/** Counts a request under a route name (after the fact, with its status). */
export function counted(ctx: EmulatorContext, route: string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    ctx.stats.requests++;
    ctx.stats.byRoute[route] = (ctx.stats.byRoute[route] ?? 0) + 1;
    res.on('finish', () => {
      const k = String(res.statusCode);
      ctx.stats.byStatus[k] = (ctx.stats.byStatus[k] ?? 0) + 1;
    });
    next();
  };
}
