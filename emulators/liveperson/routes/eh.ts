import express, { Router, type Request, type Response } from 'express';
import type { ChatPlan } from '../data/chat-plan';
import { renderChatRecord } from '../data/chat-render';
import { requireAuth } from '../http/auth';
import { counted, sendError, type EmulatorContext } from '../http/context';
import { faultInjector } from '../http/faults';
import { requireScope } from '../http/scope';
import { ENGAGEMENT_HISTORY_SCOPE } from '../options';
import { checkMonthSpan, ehSearchBodySchema, parseEhSort, type EhSearchBody, type EhSortKey } from './eh-validate';
import { common } from './mi';
import { parsePaging, roundRange, zodMessage } from './mi-validate';

const SEARCH = '/interaction_history/api/account/:acct/interactions/search';

/**
 * Engagement History (legacy chat): `POST /interaction_history/api/account/{acct}/interactions/search`.
 * `start` is required and capped at one month after 10-minute rounding; only ended chats exist; a chat is
 * searchable from its ingestion time on; `engagementId` and `visitor` ignore the time range; paging by
 * offset/limit ≤ 100 with `_metadata.count`, `next`, `prev`, `last`; OAuth2 tokens need `data.services.enghist`.
 */
export function ehRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  r.use('/interaction_history', express.json({ limit: '1mb' }));
  r.post(
    SEARCH,
    counted(ctx, 'eh.search'),
    faultInjector(ctx, 'api'),
    requireAuth(ctx),
    requireScope(ctx, ENGAGEMENT_HISTORY_SCOPE),
    (req, res) => {
      if (!common(ctx, req, res)) return;
      const paging = parsePaging(req.query);
      if (typeof paging === 'string') return sendError(res, 400, paging);
      const sort = parseEhSort(req.query.sort);
      if (typeof sort === 'string') return sendError(res, 400, sort);
      const parsed = ehSearchBodySchema.safeParse(req.body);
      if (!parsed.success) return sendError(res, 400, `Invalid search body: ${zodMessage(parsed.error)}`);
      const body = parsed.data;
      const start = roundRange(body.start, ctx.now());
      const problem = checkMonthSpan(start);
      if (problem) return sendError(res, 400, problem);
      if (body.interactive === false) return sendError(res, 400, 'Only interactive=true is supported');
      if (body.keyword !== undefined || body.keyword_search_area !== undefined) {
        return sendError(res, 400, 'keyword search is not emulated (the archive never uses it)');
      }
      const acct = String(req.params.acct);
      const order = ctx.faults.ehIgnoreSort ? [{ field: 'start', dir: 1 } as const] : sort;
      page(ctx, req, res, body.ended === false ? [] : matches(ctx, acct, body, start), paging, order, body.engagementId !== undefined);
    },
  );
  return r;
}

function matches(ctx: EmulatorContext, acct: string, body: EhSearchBody, start: { from: number; to: number }): ChatPlan[] {
  const now = ctx.now();
  let found: ChatPlan[];
  if (body.engagementId !== undefined) {
    // engagementId = account id + chat id; it ignores the time range.
    const plan = body.engagementId.startsWith(acct) ? ctx.chats.get(body.engagementId.slice(acct.length)) : undefined;
    found = plan && plan.visibleAt <= now ? [plan] : [];
  } else if (body.visitor !== undefined) {
    found = ctx.chats.endedBetween(-Infinity, Infinity).filter((p) => p.visitorId === body.visitor && p.visibleAt <= now);
  } else {
    found = ctx.chats.searchableStartedBetween(start.from, start.to);
  }
  const agents = body.agentIds;
  if (agents) found = found.filter((p) => p.agents.some((a) => agents.includes(a.id)));
  const skills = body.skillIds;
  if (skills) found = found.filter((p) => skills.includes(String(p.skill.id)));
  const duration = body.duration;
  if (duration) {
    found = found.filter((p) => {
      const s = Math.floor((p.endTime - p.startTime) / 1000);
      return s >= duration.from && s <= duration.to;
    });
  }
  return found;
}

function sortValue(p: ChatPlan, key: EhSortKey): number | string {
  switch (key.field) {
    case 'start':
      return p.startTime;
    case 'end':
      return p.endTime;
    case 'duration':
      return p.endTime - p.startTime;
    case 'visitor':
      return p.visitorId;
    case 'agentId':
      return p.agents[p.agents.length - 1]?.id ?? '';
    case 'skillId':
      return p.skill.id;
    case 'interactive':
      return 1;
    case 'engagementId':
      return p.chatId;
  }
}

function page(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
  found: ChatPlan[],
  paging: { offset: number; limit: number },
  sort: readonly EhSortKey[],
  byId: boolean,
): void {
  const sorted = [...found].sort((a, b) => {
    for (const key of sort) {
      const x = sortValue(a, key);
      const y = sortValue(b, key);
      if (x !== y) return key.dir * (x < y ? -1 : 1);
    }
    return a.chatId < b.chatId ? -1 : a.chatId > b.chatId ? 1 : 0;
  });
  let slice = sorted.slice(paging.offset, paging.offset + paging.limit);
  const f = ctx.faults;
  let partialResult = false;
  if (slice.length > 0 && f.partialResultRate > 0 && ctx.faultRnd.chance(f.partialResultRate)) {
    // A shard did not answer: the page silently misses some records; only the flag says so.
    ctx.stats.faults.partialResult++;
    partialResult = true;
    slice = slice.filter((_, i) => i % 3 !== 1);
  }
  const acct = String(req.params.acct);
  const records = slice.map((p) => {
    // Searched by engagement id, a chat comes back whole unless LivePerson never completed it.
    const transient = !byId && f.partialRecordRate > 0 && ctx.faultRnd.chance(f.partialRecordRate);
    if (transient) ctx.stats.faults.partialRecord++;
    return renderChatRecord(p, acct, p.partial || transient);
  });
  const href = (offset: number): string => {
    const url = new URL(req.originalUrl, `http://${ctx.hostPort}`);
    url.searchParams.set('offset', String(offset));
    url.searchParams.set('limit', String(paging.limit));
    return url.toString();
  };
  const metadata: Record<string, unknown> = { count: sorted.length, self: { rel: 'self', href: href(paging.offset) } };
  if (paging.offset + paging.limit < sorted.length) {
    metadata.next = { rel: 'next', href: href(paging.offset + paging.limit) };
    metadata.last = { rel: 'last', href: href(Math.floor((sorted.length - 1) / paging.limit) * paging.limit) };
  }
  if (paging.offset > 0) metadata.prev = { rel: 'prev', href: href(Math.max(0, paging.offset - paging.limit)) };
  metadata.shardsStatusResult = { failureShards: partialResult ? 1 : 0, totalShards: 6, partialResult };
  res.json({ _metadata: metadata, interactionHistoryRecords: records });
}
