import type { Request, Response } from 'express';
import type { EmulatorContext } from '../context';
import { GraphHttpError } from '../errors';

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly dependsOn?: readonly string[];
}

interface BatchResult {
  readonly id: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

const MAX_REQUESTS = 20;
/** Outlook forwards at most 4 unordered requests of one batch at a time. */
const BATCH_PARALLELISM = 4;

function validate(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw new GraphHttpError(400, 'BadRequest', 'A batch needs a non-empty "requests" array.');
  if (requests.length > MAX_REQUESTS)
    throw new GraphHttpError(400, 'BadRequest', `A batch holds at most ${MAX_REQUESTS} requests (got ${requests.length}).`);
  const seen = new Set<string>();
  for (const r of requests as Partial<BatchItem>[]) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw new GraphHttpError(400, 'BadRequest', 'Each batch request needs string "id", "method" and "url".');
    }
    if (seen.has(r.id.toLowerCase())) throw new GraphHttpError(400, 'BadRequest', `Batch request id '${r.id}' is not unique.`);
    seen.add(r.id.toLowerCase());
    if (/^https?:/i.test(r.url) || /^\/?(v1\.0|beta)\//i.test(r.url))
      throw new GraphHttpError(400, 'BadRequest', `Batch url '${r.url}' must be relative, without the version.`);
    if (r.body !== undefined && !r.headers)
      throw new GraphHttpError(400, 'BadRequest', `Batch request '${r.id}' has a body but no headers (Content-Type is required).`);
  }
  for (const r of requests as BatchItem[]) {
    for (const d of r.dependsOn ?? [])
      if (!seen.has(d.toLowerCase())) throw new GraphHttpError(400, 'BadRequest', `Batch request '${r.id}' depends on unknown id '${d}'.`);
  }
  return requests as BatchItem[];
}

/**
 * `POST /$batch`: each inner request goes through the emulator itself over loopback, so it is
 * authenticated, throttled per mailbox and fault-injected exactly like a top-level one.
 */
export function batchHandler(ctx: EmulatorContext, version: string) {
  return async (req: Request, res: Response): Promise<void> => {
    const items = validate(req.body);
    const results = new Map<string, BatchResult>();
    const pending = [...items];
    const run = async (item: BatchItem): Promise<BatchResult> => {
      const failedDep = (item.dependsOn ?? []).find((d) => (results.get(d)?.status ?? 500) >= 400);
      if (failedDep !== undefined) {
        return {
          id: item.id,
          status: 424,
          headers: {},
          body: { error: { code: 'FailedDependency', message: `Depends on '${failedDep}', which failed.` } },
        };
      }
      const headers: Record<string, string> = { ...(item.headers ?? {}), authorization: req.header('authorization') ?? '' };
      const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
      let body: string | undefined;
      if (item.body !== undefined) {
        // Non-JSON bodies travel base64-encoded inside a batch.
        body =
          contentType.toLowerCase().includes('json') || typeof item.body !== 'string'
            ? JSON.stringify(item.body)
            : Buffer.from(item.body, 'base64').toString('utf8');
      }
      const response = await fetch(`${ctx.url}/${version}${item.url.startsWith('/') ? '' : '/'}${item.url}`, {
        method: item.method.toUpperCase(),
        headers,
        body,
      });
      const text = await response.text();
      const outHeaders: Record<string, string> = {};
      for (const h of ['content-type', 'retry-after', 'location']) {
        const v = response.headers.get(h);
        if (v !== null) outHeaders[h === 'content-type' ? 'Content-Type' : h === 'retry-after' ? 'Retry-After' : 'Location'] = v;
      }
      let parsed: unknown;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : null;
      } catch {
        parsed = Buffer.from(text).toString('base64');
      }
      return { id: item.id, status: response.status, headers: outHeaders, body: parsed };
    };
    while (pending.length > 0) {
      const ready = pending.filter((i) => (i.dependsOn ?? []).every((d) => results.has(d)));
      if (ready.length === 0) throw new GraphHttpError(400, 'BadRequest', 'The batch has a dependency cycle.');
      const wave = ready.slice(0, BATCH_PARALLELISM);
      for (const r of await Promise.all(wave.map(run))) results.set(r.id, r);
      for (const w of wave) pending.splice(pending.indexOf(w), 1);
    }
    res.json({ responses: items.map((i) => results.get(i.id)) });
  };
}
