import { z } from 'zod';

/** Validation of MI search requests, with the messages a developer needs to fix the call. */

export const TEN_MINUTES = 10 * 60 * 1000;

const range = z.object({ from: z.number().int(), to: z.number().int() });
const numberRange = z.object({ from: z.number().optional(), to: z.number().optional() });

export const searchBodySchema = z.object({
  start: range,
  end: range.optional(),
  status: z.array(z.enum(['OPEN', 'CLOSE'])).optional(),
  latestUpdateTime: z.union([z.number(), z.object({ from: z.number() })]).optional(),
  agentIds: z.array(z.union([z.string(), z.number()])).optional(),
  latestAgentIds: z.array(z.union([z.string(), z.number()])).optional(),
  skillIds: z.array(z.union([z.string(), z.number()])).optional(),
  duration: numberRange.optional(),
  contentToRetrieve: z.array(z.string()).optional(),
});
export type SearchBody = z.infer<typeof searchBodySchema>;

export const byIdBodySchema = z.union([
  z.object({ conversationId: z.string().min(1), contentToRetrieve: z.array(z.string()).optional() }),
  z.object({ conversationIds: z.array(z.string().min(1)).min(1).max(100), contentToRetrieve: z.array(z.string()).optional() }),
]);

export const byConsumerBodySchema = z.object({
  consumer: z.string().min(1),
  status: z.array(z.enum(['OPEN', 'CLOSE'])).min(1),
  contentToRetrieve: z.array(z.string()).optional(),
});

export interface Rounded {
  readonly from: number;
  readonly to: number;
}

/** LivePerson rounds from down and to up to 10 minutes; `to: -1` means "now". */
export function roundRange(r: { from: number; to: number }, now: number): Rounded {
  const to = r.to === -1 ? now : r.to;
  return { from: Math.floor(r.from / TEN_MINUTES) * TEN_MINUTES, to: Math.ceil(to / TEN_MINUTES) * TEN_MINUTES };
}

/** The 3-month cap, read as calendar months in UTC. Returns a message when the range breaks it. */
export function checkSpan(name: string, r: Rounded): string | undefined {
  if (r.from > r.to) return `${name}.from must not be after ${name}.to`;
  const limit = new Date(r.from);
  limit.setUTCMonth(limit.getUTCMonth() + 3);
  if (r.to > limit.getTime())
    return `${name} range is longer than 3 months (${new Date(r.from).toISOString()} .. ${new Date(r.to).toISOString()}); split the query`;
  return undefined;
}

export type SortKey = { readonly field: 'start' | 'end'; readonly dir: 1 | -1 };

export function parseSort(v: unknown): SortKey | string {
  if (v === undefined) return { field: 'start', dir: -1 };
  const m = typeof v === 'string' ? /^(start|end):(asc|desc)$/.exec(v) : null;
  if (!m) return `sort must be start|end followed by :asc or :desc, got '${typeof v === 'string' ? v : JSON.stringify(v)}'`;
  return { field: m[1] as 'start' | 'end', dir: m[2] === 'asc' ? 1 : -1 };
}

export function parsePaging(q: Record<string, unknown>): { offset: number; limit: number } | string {
  const offset = q.offset === undefined ? 0 : Number(q.offset);
  const limit = q.limit === undefined ? 50 : Number(q.limit);
  if (!Number.isInteger(offset) || offset < 0) return `offset must be a non-negative integer, got '${String(q.offset)}'`;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return `limit must be an integer in 1..100, got '${String(q.limit)}'`;
  return { offset, limit };
}

export function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
