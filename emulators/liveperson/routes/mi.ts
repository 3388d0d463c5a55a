import { Router, type Request, type Response } from 'express';
import { servedTo, type ConversationPlan } from '../data/plan';
import type { RawRecordEntry } from '../data/raw-records';
import { renderRecord, type MiRecord } from '../data/render';
import { requireAuth } from '../http/auth';
import { counted, sendError, servesAccount, type EmulatorContext } from '../http/context';
import { faultInjector } from '../http/faults';
import {
  byConsumerBodySchema,
  byIdBodySchema,
  checkSpan,
  parsePaging,
  parseSort,
  roundRange,
  searchBodySchema,
  TEN_MINUTES,
  zodMessage,
  type SortKey,
} from './mi-validate';

/** Sections returned when `contentToRetrieve` is omitted (MI docs). */
const DEFAULT_SECTIONS = [
  'campaign',
  'messageRecords',
  'agentParticipants',
  'agentParticipantsLeave',
  'agentParticipantsActive',
  'consumerParticipants',
  'transfers',
  'interactions',
  'messageScores',
  'messageStatuses',
  'conversationSurveys',
  'coBrowseSessions',
  'summary',
  'sdes',
];

const BASE = '/messaging_history/api/account/:acct/conversations';

/** Messaging Interactions: search, get by id(s), get by consumer. */
export function miRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  const guard = [faultInjector(ctx, 'api'), requireAuth(ctx)];

  r.post(`${BASE}/search`, counted(ctx, 'mi.search'), ...guard, (req, res) => {
    if (!common(ctx, req, res)) return;
    const paging = parsePaging(req.query);
    if (typeof paging === 'string') return sendError(res, 400, paging);
    const sort = parseSort(req.query.sort);
    if (typeof sort === 'string') return sendError(res, 400, sort);
    const parsed = searchBodySchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, `Invalid search body: ${zodMessage(parsed.error)}`);
    const body = parsed.data;
    const now = ctx.now();
    const start = roundRange(body.start, now);
    const startProblem = checkSpan('start', start);
    if (startProblem) return sendError(res, 400, startProblem);
    const end = body.end ? roundRange(body.end, now) : undefined;
    const endProblem = end && checkSpan('end', end);
    if (endProblem) return sendError(res, 400, endProblem);

    if (body.status && !body.status.includes('CLOSE')) return page(ctx, req, res, [], paging, sort, body.contentToRetrieve); // no open conversations here
    let matches = ctx.store
      .visibleBetween(end?.from ?? -Infinity, end?.to ?? Infinity)
      .filter((p) => p.startTime >= start.from && p.startTime <= start.to && servedTo(p, req.params.acct));
    if (body.latestUpdateTime !== undefined) {
      const raw = typeof body.latestUpdateTime === 'number' ? body.latestUpdateTime : body.latestUpdateTime.from;
      const from = Math.floor(raw / TEN_MINUTES) * TEN_MINUTES;
      matches = matches.filter((p) => p.endTime >= from);
    }
    const agentFilter = body.agentIds?.map(String);
    if (agentFilter) matches = matches.filter((p) => p.agents.some((a) => agentFilter.includes(a.id)));
    // Injected raw records: found by their injection times; agent and update filters do not apply to them.
    const raw = ctx.rawRecords
      .visibleBetween(end?.from ?? -Infinity, end?.to ?? Infinity, now)
      .filter((e) => e.startTime >= start.from && e.startTime <= start.to);
    page(ctx, req, res, [...matches, ...raw], paging, sort, body.contentToRetrieve);
  });

  r.post(`${BASE}/conversation/search`, counted(ctx, 'mi.byId'), ...guard, (req, res) => {
    if (!common(ctx, req, res)) return;
    const parsed = byIdBodySchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, `Body needs conversationId or conversationIds (1..100): ${zodMessage(parsed.error)}`);
    const ids = 'conversationId' in parsed.data ? [parsed.data.conversationId] : parsed.data.conversationIds;
    const now = ctx.now();
    const found = ids
      .map((id) => ctx.store.get(id) ?? ctx.rawRecords.get(id))
      .filter((p): p is ConversationPlan | RawRecordEntry => p !== undefined && p.visibleAt <= now && servedTo(p, req.params.acct));
    const records = found.map((p) => ('record' in p ? p.record : shape(ctx, p, req, parsed.data.contentToRetrieve, false)));
    res.json({
      _metadata: { count: records.length, self: { rel: 'self', href: selfHref(ctx, req) }, shardsStatusResult: { partialResult: false } },
      conversationHistoryRecords: records,
    });
  });

  r.post(`${BASE}/consumer/search`, counted(ctx, 'mi.byConsumer'), ...guard, (req, res) => {
    if (!common(ctx, req, res)) return;
    const paging = parsePaging(req.query);
    if (typeof paging === 'string') return sendError(res, 400, paging);
    const parsed = byConsumerBodySchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, `Body needs consumer and status: ${zodMessage(parsed.error)}`);
    const body = parsed.data;
    const matches = body.status.includes('CLOSE')
      ? ctx.store
          .visibleBetween(-Infinity, Infinity)
          .filter((p) => p.consumer.participantId === body.consumer && servedTo(p, req.params.acct))
      : [];
    page(ctx, req, res, matches, paging, { field: 'start', dir: -1 }, body.contentToRetrieve);
  });
  return r;
}

/** Account and `source` checks shared by the history APIs (Messaging Interactions and Engagement History). */
export function common(ctx: EmulatorContext, req: Request, res: Response): boolean {
  if (!servesAccount(ctx, req.params.acct)) {
    sendError(res, 404, `Account ${String(req.params.acct)} not found`);
    return false;
  }
  const source = req.query.source;
  if (ctx.opts.requireSource && (typeof source !== 'string' || source.length === 0)) {
    sendError(res, 400, 'The source query parameter is required (identify your application, at most 20 characters)');
    return false;
  }
  if (typeof source === 'string' && source.length > 20) {
    sendError(res, 400, `source must be at most 20 characters, got ${source.length}`);
    return false;
  }
  return true;
}

function page(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
  matches: (ConversationPlan | RawRecordEntry)[],
  paging: { offset: number; limit: number },
  sort: SortKey,
  contentToRetrieve: readonly string[] | undefined,
): void {
  const key = (p: ConversationPlan | RawRecordEntry): number => (sort.field === 'start' ? p.startTime : p.endTime);
  const tie = (p: ConversationPlan | RawRecordEntry): string =>
    'record' in p ? `~raw${String(p.seq).padStart(8, '0')}` : p.conversationId;
  const sorted = [...matches].sort((a, b) => sort.dir * (key(a) - key(b)) || (tie(a) < tie(b) ? -1 : 1));
  let slice = sorted.slice(paging.offset, paging.offset + paging.limit);
  const f = ctx.faults;
  let partialResult = false;
  if (slice.length > 0 && f.partialResultRate > 0 && ctx.faultRnd.chance(f.partialResultRate)) {
    // A shard did not answer: the page silently misses some records; only the flag says so.
    ctx.stats.faults.partialResult++;
    partialResult = true;
    slice = slice.filter((_, i) => i % 3 !== 1);
  }
  const records = slice.map((p) =>
    'record' in p ? p.record : shape(ctx, p, req, contentToRetrieve, f.partialRecordRate > 0 && ctx.faultRnd.chance(f.partialRecordRate)),
  );
  const href = (offset: number): string => selfHref(ctx, req, { offset: String(offset), limit: String(paging.limit) });
  const metadata: Record<string, unknown> = {
    count: sorted.length,
    self: { rel: 'self', href: href(paging.offset) },
    shardsStatusResult: { partialResult },
  };
  if (paging.offset + paging.limit < sorted.length) metadata.next = { rel: 'next', href: href(paging.offset + paging.limit) };
  if (paging.offset > 0) metadata.prev = { rel: 'prev', href: href(Math.max(0, paging.offset - paging.limit)) };
  res.json({ _metadata: metadata, conversationHistoryRecords: records });
}

/** Picks the requested sections; `unAuthSdes` only with v=2; a partial record has its messages cut short. */
function shape(
  ctx: EmulatorContext,
  p: ConversationPlan,
  req: Request,
  content: readonly string[] | undefined,
  partial: boolean,
): MiRecord {
  const full = renderRecord(p, String(req.params.acct));
  const wanted = new Set(content ?? DEFAULT_SECTIONS);
  if (req.query.v !== '2') wanted.delete('unAuthSdes');
  const out: MiRecord = { info: full.info };
  for (const [k, v] of Object.entries(full)) if (k !== 'info' && wanted.has(k) && v !== undefined) out[k] = v;
  if (partial) {
    ctx.stats.faults.partialRecord++;
    out.info = { ...full.info, isPartial: true };
    if (Array.isArray(out.messageRecords)) out.messageRecords = out.messageRecords.slice(0, Math.ceil(out.messageRecords.length / 2));
  }
  return out;
}

function selfHref(ctx: EmulatorContext, req: Request, overrides: Record<string, string> = {}): string {
  const url = new URL(req.originalUrl, `http://${ctx.hostPort}`);
  for (const [k, v] of Object.entries(overrides)) url.searchParams.set(k, v);
  return url.toString();
}
