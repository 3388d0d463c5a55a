import { z } from 'zod';
import { LivePersonFileTooLargeError, LivePersonUnavailableError } from './errors';
import { DEFAULT_NETWORK_DELAY_MS, redact, requestError, throttleError } from './http';

/** Bulk File Download API (`fms`) listing: signed download URLs of a conversation's hosted files. */
export const conversationFilesSchema = z.object({
  items: z.array(z.string()),
  pagination: z
    .object({ totalPages: z.number().int().nonnegative(), nextPage: z.number().int().nullable().optional() })
    .partial()
    .optional(),
});

/** The relative Swift path of a signed download URL (`https://{swift}{relativePath}?temp_url_sig=…`). */
export function relativePathOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined; // a malformed URL in a listing: that file is simply not found (the item becomes partial)
  }
}

/** Downloads bytes from a signed URL (no Authorization header: the signature is the credential). */
export async function downloadSigned(url: string, o: { accountId: string; timeoutMs: number; maxBytes: number }): Promise<Uint8Array> {
  const ctx = { accountId: o.accountId, service: 'swift' as const, what: `the download of ${redact(url)}` };
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'error' });
  } catch (e) {
    throw new LivePersonUnavailableError(
      `Downloading a hosted file for account ${o.accountId} failed: ${redact(url)} (${e instanceof Error ? e.message : String(e)})`,
      {
        accountId: o.accountId,
        service: 'swift',
        retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        cause: e,
      },
    );
  }
  if (res.status !== 200) {
    const answer = { status: res.status, headers: res.headers, text: await res.text() };
    throw throttleError(answer, ctx) ?? requestError(answer, ctx);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    await res.body?.cancel();
    throw new LivePersonFileTooLargeError(
      `Hosted file ${redact(url)} is ${declared} bytes, above the ${o.maxBytes}-byte limit; it is left out and the item marked partial`,
      {
        accountId: o.accountId,
        bytes: declared,
        maxBytes: o.maxBytes,
      },
    );
  }
  return readAtMost(res, url, o);
}

/** Reads the body, stopping as soon as it passes `maxBytes` (a missing or wrong Content-Length cannot make us hold more). */
async function readAtMost(res: Response, url: string, o: { accountId: string; maxBytes: number }): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (res.body === null) return new Uint8Array(0);
    const body = res.body as AsyncIterable<Uint8Array>;
    for await (const chunk of body) {
      total += chunk.length;
      if (total > o.maxBytes) {
        // Leaving the loop by throwing cancels the stream (the iterator's return), so the rest is never read.
        throw new LivePersonFileTooLargeError(
          `Hosted file ${redact(url)} is more than ${o.maxBytes} bytes, above the ${o.maxBytes}-byte limit; it is left out and the item marked partial`,
          {
            accountId: o.accountId,
            bytes: total,
            maxBytes: o.maxBytes,
          },
        );
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof LivePersonFileTooLargeError) throw e;
    throw new LivePersonUnavailableError(
      `Downloading a hosted file for account ${o.accountId} broke off: ${redact(url)} (${e instanceof Error ? e.message : String(e)})`,
      {
        accountId: o.accountId,
        service: 'swift',
        retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        cause: e,
      },
    );
  }
  return Buffer.concat(chunks, total);
}
