import { z } from 'zod';

/** Validation of Engagement History search requests, with the messages a developer needs to fix the call. */

/** Epoch ms as a number or a numeric string (the docs' own examples send both). */
const epoch = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const range = z.object({ from: epoch, to: epoch });
const idList = z.array(z.union([z.string(), z.number()]).transform(String));

export const ehSearchBodySchema = z.object({
  start: range,
  interactive: z.boolean().optional(),
  ended: z.boolean().optional(),
  engagementId: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  visitor: z.string().min(1).optional(),
  skillIds: idList.optional(),
  agentIds: idList.optional(),
  agentGroupIds: idList.optional(),
  duration: z.object({ from: z.number(), to: z.number() }).optional(),
  channel: z.number().int().optional(),
  keyword: z.string().optional(),
  keyword_search_area: z.object({ types: z.array(z.string()) }).optional(),
});
export type EhSearchBody = z.infer<typeof ehSearchBodySchema>;

/** The 1-month cap of Engagement History, read as one calendar month in UTC after rounding. */
export function checkMonthSpan(r: { from: number; to: number }): string | undefined {
  if (r.from > r.to) return 'start.from must not be after start.to';
  const limit = new Date(r.from);
  limit.setUTCMonth(limit.getUTCMonth() + 1);
  if (r.to > limit.getTime())
    return `start range is longer than one month (${new Date(r.from).toISOString()} .. ${new Date(r.to).toISOString()}); larger intervals are rejected, split the query`;
  return undefined;
}

export const EH_SORT_FIELDS = ['start', 'end', 'duration', 'visitor', 'engagementId', 'interactive', 'agentId', 'skillId'] as const;
export type EhSortField = (typeof EH_SORT_FIELDS)[number];
export type EhSortKey = { readonly field: EhSortField; readonly dir: 1 | -1 };

/** `start:asc,duration:desc`; `des` is accepted too (the docs' example spells it so). */
export function parseEhSort(v: unknown): EhSortKey[] | string {
  if (v === undefined) return [{ field: 'start', dir: -1 }];
  if (typeof v !== 'string' || v.length === 0) return `sort must be a string such as start:asc, got ${JSON.stringify(v)}`;
  const keys: EhSortKey[] = [];
  for (const part of v.split(',')) {
    const m = /^([A-Za-z]+):(asc|desc|des)$/.exec(part.trim());
    if (!m || !(EH_SORT_FIELDS as readonly string[]).includes(m[1] ?? '')) {
      return `sort keys are ${EH_SORT_FIELDS.join('|')} followed by :asc or :desc, got '${part}'`;
    }
    keys.push({ field: m[1] as EhSortField, dir: m[2] === 'asc' ? 1 : -1 });
  }
  return keys;
}
