import express, { Router } from 'express';
import { z } from 'zod';
import { EMAIL_PLACEMENTS, truthOf } from '../data/plan';
import { renderRecord } from '../data/render';
import { sendError, servesAccount, type EmulatorContext } from '../http/context';
import { emptyStats } from '../http/stats';
import { zodMessage } from './mi-validate';

const faultsSchema = z
  .object({
    rate429: z.number().min(0).max(1),
    retryAfterSeconds: z.number().min(0).nullable(),
    rate5xx: z.number().min(0).max(1),
    retryAfter5xxSeconds: z.number().min(0).nullable(),
    slowRate: z.number().min(0).max(1),
    slowMs: z.number().int().min(0).max(600_000),
    dropRate: z.number().min(0).max(1),
    malformedJsonRate: z.number().min(0).max(1),
    partialResultRate: z.number().min(0).max(1),
    partialRecordRate: z.number().min(0).max(1),
    includeSentinel: z.boolean(),
    missingFiles: z.array(z.string().startsWith('/')).max(10_000),
    missingFileRate: z.number().min(0).max(1),
    expireNextFileUrls: z.number().int().min(0),
    ehIgnoreSort: z.boolean(),
  })
  .partial()
  .strict();

const addSchema = z
  .object({
    endTime: z.number().int(),
    startTime: z.number().int().optional(),
    messageCount: z.number().int().min(1).max(200).optional(),
    consumerEmail: z.string().email().optional(),
    placement: z.enum(EMAIL_PLACEMENTS).optional(),
    agentIds: z.array(z.string()).min(1).optional(),
    consumerParticipantId: z.string().min(1).max(200).optional(),
    /** Served by this account only (one of those the emulator serves); default: every account. */
    account: z.string().min(1).optional(),
    /** Visible to search at once instead of after the ingestion lag. */
    visibleImmediately: z.boolean().optional(),
    /** Visible to search only this long after its end time: a late arrival, past the usual ingestion lag. */
    ingestionDelayMs: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((b) => !(b.visibleImmediately && b.ingestionDelayMs !== undefined), {
    message: 'give visibleImmediately or ingestionDelayMs, not both',
  });

const withholdSchema = z.object({ withheld: z.boolean() }).strict();

const reopenSchema = z
  .object({
    endTime: z.number().int(),
    addMessages: z.number().int().min(0).max(199).optional(),
  })
  .strict();

/** `/_emulator/*`: ground truth, counters and run-time controls for tests and the demo. Not part of LivePerson. */
export function inspectRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  r.use('/_emulator', express.json({ limit: '1mb' }));

  r.get('/_emulator/health', (_req, res) => {
    res.json({
      ok: true,
      accountId: ctx.opts.accountId,
      accountIds: ctx.opts.accountIds,
      conversations: ctx.store.size,
      chats: ctx.chats.size,
    });
  });

  /** Closed conversations with endFrom <= end < endTo (the window semantics of the connector). */
  r.get('/_emulator/conversations', (req, res) => {
    const from = req.query.endFrom === undefined ? -Infinity : Number(req.query.endFrom);
    const to = req.query.endTo === undefined ? Infinity : Number(req.query.endTo);
    if (Number.isNaN(from) || Number.isNaN(to)) return sendError(res, 400, 'endFrom and endTo must be epoch milliseconds');
    res.json(ctx.store.truth(from, to).filter((t) => t.endTime < to));
  });

  r.post('/_emulator/conversations', (req, res) => {
    const parsed = addSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, zodMessage(parsed.error));
    const { endTime, visibleImmediately, ingestionDelayMs, ...overrides } = parsed.data;
    const only: string | undefined = overrides.account;
    if (only !== undefined && !servesAccount(ctx, only))
      return sendError(res, 400, `account ${String(only)} is not served by this emulator (${ctx.opts.accountIds.join(', ')})`);
    const visibleAt = visibleImmediately ? ctx.now() : ingestionDelayMs !== undefined ? endTime + ingestionDelayMs : undefined;
    try {
      const plan = ctx.store.add(endTime, { ...overrides, ...(visibleAt !== undefined ? { visibleAt } : {}) });
      res.status(201).json(truthOf(plan));
    } catch (e) {
      sendError(res, 400, e instanceof Error ? e.message : String(e));
    }
  });

  /** Re-opens a conversation and closes it again at `endTime` (a new version for the connector). */
  r.post('/_emulator/conversations/:id/reopen', (req, res) => {
    const parsed = reopenSchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 400, zodMessage(parsed.error));
    if (!ctx.store.get(req.params.id)) return sendError(res, 404, `No conversation ${req.params.id}`);
    try {
      const plan = ctx.store.reopen(req.params.id, parsed.data.endTime, parsed.data.addMessages);
      res.json(truthOf(plan));
    } catch (e) {
      sendError(res, 400, e instanceof Error ? e.message : String(e));
    }
  });

  /** `{ withheld: true }` hides a closed conversation from search; `{ withheld: false }` shows it from now on. */
  r.post('/_emulator/conversations/:id/withhold', (req, res) => {
    const parsed = withholdSchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 400, zodMessage(parsed.error));
    if (!ctx.store.get(req.params.id)) return sendError(res, 404, `No conversation ${req.params.id}`);
    const plan = ctx.store.setVisibleAt(req.params.id, parsed.data.withheld ? Number.POSITIVE_INFINITY : ctx.now());
    res.json({ ...truthOf(plan), withheld: parsed.data.withheld });
  });

  r.get('/_emulator/conversations/:id/record', (req, res) => {
    const plan = ctx.store.get(req.params.id);
    if (!plan) return sendError(res, 404, `No conversation ${req.params.id}`);
    res.json(renderRecord(plan, ctx.opts.accountId));
  });

  r.get('/_emulator/tenant', (_req, res) => {
    res.json(ctx.store.tenant);
  });

  r.get('/_emulator/stats', (_req, res) => {
    res.json(ctx.stats);
  });
  r.post('/_emulator/stats/reset', (_req, res) => {
    ctx.stats = emptyStats();
    res.json(ctx.stats);
  });

  r.get('/_emulator/faults', (_req, res) => {
    res.json(ctx.faults);
  });
  r.post('/_emulator/faults', (req, res) => {
    const parsed = faultsSchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 400, zodMessage(parsed.error));
    ctx.faults = { ...ctx.faults, ...parsed.data };
    res.json(ctx.faults);
  });

  r.post('/_emulator/tokens/revoke', (_req, res) => {
    ctx.tokens.revokeAll();
    res.json({ revoked: true });
  });
  return r;
}
