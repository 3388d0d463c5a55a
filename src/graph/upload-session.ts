import { setTimeout as sleep } from 'node:timers/promises';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { UPLOAD_CHUNK_BYTES } from './constants';
import { toGraphFailure } from './error-mapping';
import { GraphRequestError, GraphThrottledError } from './errors';
import type { MailboxLimiter } from './mailbox-limiter';
import { retryAfterMs } from './middleware/http';
import { sendRequest } from './send-request';
import { backoffMs, type RetryPolicy } from './middleware/throttle';
import type { ImportAttachment } from './types';

export interface UploadJob {
  readonly limiter: MailboxLimiter;
  readonly policy: RetryPolicy;
  readonly userId: string;
  readonly uploadUrl: string;
  readonly attachment: ImportAttachment;
  /** The connector uploading (the limiter's fair share of the mailbox's upload budget). */
  readonly party?: string;
}

interface SessionState {
  readonly nextExpectedRanges?: readonly string[];
  readonly NextExpectedRanges?: readonly string[];
}

/** Start of the first expected range ("4194304-" or "4194304-7208533"), or undefined. */
function nextOffset(state: SessionState): number | undefined {
  const first = (state.nextExpectedRanges ?? state.NextExpectedRanges)?.[0];
  if (first === undefined) return undefined;
  const n = Number.parseInt(first.split('-')[0] ?? '', 10);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Sends one attachment through an Outlook upload session: ≤ 4 MB chunks in order, PUT to the
 * pre-authenticated URL without an Authorization header (the SDK would not retry these; we do). Every chunk
 * takes a mailbox permit and counts against the mailbox's upload budget. After a lost answer or a range
 * error it asks the session where to resume (`nextExpectedRanges`).
 */
export async function uploadLargeAttachment(job: UploadJob): Promise<void> {
  const bytes = job.attachment.bytes;
  const size = bytes.byteLength;
  const key = job.userId.toLowerCase();
  let offset = 0;
  let failures = 0;
  const fail = (status: number, code: string, detail: string, retryable = true): never => {
    throw new GraphRequestError(
      status,
      code,
      `Upload of attachment '${job.attachment.name}' (mailbox ${job.userId}) failed at byte ${offset} of ${size}: ${detail}`,
      retryable,
    );
  };
  const resume = async (): Promise<void> => {
    const permit = await job.limiter.acquire(key, 0, job.policy.maxRetryWaitMs);
    try {
      const r = await sendRequest(job.uploadUrl, { method: 'GET', signal: AbortSignal.timeout(job.policy.requestTimeoutMs) });
      if (r.status === 404)
        fail(404, 'uploadSessionNotFound', 'the upload session expired or is gone; the attachment is uploaded again on retry.');
      if (r.ok) {
        const next = nextOffset((await r.json()) as SessionState);
        if (next !== undefined) offset = next;
      } else {
        await r.arrayBuffer();
      }
    } finally {
      permit();
    }
  };

  while (offset < size) {
    const end = Math.min(offset + UPLOAD_CHUNK_BYTES, size) - 1;
    const chunk = bytes.subarray(offset, end + 1);
    // Once the session has bytes, finishing it comes before fairness: a chunk refused now is the whole file again later.
    const permit = await job.limiter.acquire(key, chunk.byteLength, job.policy.maxRetryWaitMs, {
      ...(job.party !== undefined ? { party: job.party } : {}),
      continuing: offset > 0,
    });
    let response: Response | undefined;
    let text = '';
    try {
      response = await sendRequest(job.uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${offset}-${end}/${size}` },
        body: chunk,
        signal: AbortSignal.timeout(job.policy.requestTimeoutMs),
      });
      text = await response.text();
    } catch {
      response = undefined;
    } finally {
      permit();
    }
    if (response?.status === 201) return;
    if (response && (response.status === 200 || response.status === 202)) {
      failures = 0;
      let state: SessionState = {};
      try {
        state = JSON.parse(text) as SessionState;
      } catch {
        /* resume from our own count */
      }
      offset = nextOffset(state) ?? end + 1;
      continue;
    }
    if (++failures > job.policy.maxRetries) {
      if (response && [429, 503, 504].includes(response.status)) {
        throw new GraphThrottledError(response.status, 'UploadThrottled', retryAfterMs(response.headers) ?? 10_000, job.userId);
      }
      fail(
        response?.status ?? -1,
        'UploadFailed',
        response ? `HTTP ${response.status}: ${text.slice(0, 300)}` : 'no answer from the upload URL.',
      );
    }
    if (response && [429, 503, 504].includes(response.status)) {
      const wait = retryAfterMs(response.headers) ?? backoffMs(failures - 1, job.policy.backoffBaseMs);
      if (wait > job.policy.maxRetryWaitMs) throw new GraphThrottledError(response.status, 'UploadThrottled', wait, job.userId);
      job.limiter.pause(key, Date.now() + wait);
      continue;
    }
    if (response && response.status === 404)
      fail(404, 'uploadSessionNotFound', 'the upload session expired or is gone; the attachment is uploaded again on retry.');
    if (response && response.status >= 400 && response.status < 500 && response.status !== 416 && response.status !== 408) {
      // Mapped like every other Graph answer: a full or lost mailbox is a per-mailbox failure, not a stuck page.
      const code = graphErrorCode(text);
      if (code !== undefined) {
        const err = new GraphError(response.status, `HTTP ${response.status}: ${text.slice(0, 300)}`);
        err.code = code;
        const mapped = toGraphFailure(err, { op: `upload attachment '${job.attachment.name}'`, userId: job.userId });
        if (mapped.name !== 'GraphRequestError') throw mapped;
      }
      fail(response.status, 'UploadRejected', `HTTP ${response.status}: ${text.slice(0, 300)}`, false);
    }
    // Lost answer, 5xx or a range conflict: ask the session where it stands.
    await sleep(backoffMs(failures - 1, job.policy.backoffBaseMs));
    await resume();
  }
}

/** The `error.code` of a Graph error body, if the text is one. */
function graphErrorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
