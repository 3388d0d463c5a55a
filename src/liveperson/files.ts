import { z } from 'zod';
import { LivePersonRequestError, LivePersonUnavailableError } from './errors';
import { DEFAULT_NETWORK_DELAY_MS, redact, requestError, throttleError } from './http';

/** Bulk File Download API (`fms`) listing: signed download URLs of a conversation's hosted files. */
export const conversationFilesSchema = z.object({
  items: z.array(z.string()),
  pagination: z.object({ totalPages: z.number().int().nonnegative(), nextPage: z.number().int().nullable().optional() }).partial().optional(),
});

/** The relative Swift path of a signed download URL (`https://{swift}{relativePath}?temp_url_sig=…`). */
export function relativePathOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}

/** Downloads bytes from a signed URL (no Authorization header: the signature is the credential). */
export async function downloadSigned(
  url: string,
  o: { accountId: string; timeoutMs: number; maxBytes: number },
): Promise<Uint8Array> {
  const ctx = { accountId: o.accountId, service: 'swift' as const, what: `the download of ${redact(url)}` };
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'error' });
  } catch (e) {
    throw new LivePersonUnavailableError(`Downloading a hosted file for account ${o.accountId} failed: ${redact(url)} (${e instanceof Error ? e.message : String(e)})`, {
      accountId: o.accountId,
      service: 'swift',
      retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
      cause: e,
    });
  }
  if (res.status !== 200) {
    const answer = { status: res.status, headers: res.headers, text: await res.text() };
    throw throttleError(answer, ctx) ?? requestError(answer, ctx);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    await res.body?.cancel();
    throw new LivePersonRequestError(`Hosted file ${redact(url)} is ${declared} bytes, above the ${o.maxBytes}-byte limit; it is left out and the item marked partial`, {
      accountId: o.accountId,
      service: 'swift',
      status: 200,
    });
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > o.maxBytes) {
    throw new LivePersonRequestError(`Hosted file ${redact(url)} is ${bytes.length} bytes, above the ${o.maxBytes}-byte limit`, { accountId: o.accountId, service: 'swift', status: 200 });
  }
  return bytes;
}
