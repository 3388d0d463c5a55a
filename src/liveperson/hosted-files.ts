import type { Conversation, DownloadedFile, HostedFileRef } from '../model';
import { LivePersonError, LivePersonFileTooLargeError } from './errors';
import { hostedFileName } from './hosted-file-name';

export { hostedFileName } from './hosted-file-name';

/**
 * What downloading a conversation's hosted files needs from LivePerson (the activities' port; the worker
 * backs it with `LivePersonClient.conversationFileUrls` and `downloadFile`).
 */
export interface HostedFileSource {
  /** Signed download URLs of a conversation's hosted files, keyed by `relativePath`. Each call issues fresh ones. */
  urlsFor(conversationId: string): Promise<ReadonlyMap<string, string>>;
  /** The bytes behind a signed URL; `LivePersonFileTooLargeError` past `maxBytes`, without reading the rest. */
  download(url: string, maxBytes: number): Promise<Uint8Array>;
}

export interface HostedFilesOutcome {
  /** The files that could be had, in message order. */
  readonly files: readonly DownloadedFile[];
  /** One reason per file left out; each names the file's `relativePath`, so the transcript shows it at that message. */
  readonly partialReasons: readonly string[];
}

/** The hosted files a conversation refers to, each once, in message order. */
export function hostedFileRefs(conv: Conversation): HostedFileRef[] {
  const seen = new Set<string>();
  const refs: HostedFileRef[] = [];
  for (const m of conv.messages) {
    const path = m.file?.relativePath;
    if (m.file === undefined || path === undefined || path.length === 0 || seen.has(path)) continue;
    seen.add(path);
    refs.push(m.file);
  }
  return refs;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** Media type from LivePerson's `fileType` (JPG, PDF, …), else from the path's extension, else octet-stream. */
export function hostedFileContentType(ref: HostedFileRef): string {
  const ext = (ref.fileType ?? ref.relativePath.split('.').pop() ?? '').trim().toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * A non-retryable LivePerson answer about a file (404, 403, an expired URL, too large): the file is left out and
 * the item archived as partial. Throttling, 5xx and network failures are retryable and go up to the activity.
 */
function isRefusal(e: unknown): e is LivePersonError {
  return e instanceof LivePersonError && !e.retryable;
}

function why(e: LivePersonError, leftBytes: number): string {
  if (e instanceof LivePersonFileTooLargeError) {
    return `is larger than the ${leftBytes} bytes the item had left under limits.maxItemBytes; raise limits.maxItemBytes (at most 150 MB) to keep such files`;
  }
  switch (e.status) {
    case 404:
      return 'is no longer in LivePerson’s file storage (HTTP 404)';
    case 401:
      return 'could not be downloaded: LivePerson refused its signed URL even after a fresh one was requested (HTTP 401)';
    case 403:
      return 'could not be downloaded: LivePerson does not allow these credentials to read it (HTTP 403)';
    default:
      return `could not be downloaded (${e.status === undefined ? e.message : `HTTP ${e.status}`})`;
  }
}

function listingWhy(e: LivePersonError): string {
  if (e.status === 403 || e.status === 401) {
    return `could not be listed: LivePerson’s Bulk File Download API (fms) refused these credentials (HTTP ${e.status}); ask LivePerson to enable Bulk File Download for the account and give the OAuth app the data.services.external.bulkfiledownload scope`;
  }
  return `could not be listed: ${e.message}`;
}

/**
 * Downloads the hosted files of `conv`, one at a time, holding at most `maxTotalBytes` of them. A file that
 * cannot be had (gone, refused, URL expired after one refresh, too large for what is left) is left out with a
 * reason; the conversation is never dropped. Retryable failures (429, 5xx, network) are thrown so the
 * activity retries later.
 */
export async function downloadHostedFiles(
  conv: Conversation,
  source: HostedFileSource,
  o: { readonly maxTotalBytes: number; /** Called before each file (the activity heartbeats here). */ readonly onFile?: () => void },
): Promise<HostedFilesOutcome> {
  const refs = hostedFileRefs(conv);
  if (refs.length === 0) return { files: [], partialReasons: [] };
  const reasons: string[] = [];
  const files: DownloadedFile[] = [];
  let urls: ReadonlyMap<string, string>;
  try {
    urls = await source.urlsFor(conv.conversationId);
  } catch (e) {
    if (!isRefusal(e)) throw e;
    return { files: [], partialReasons: refs.map((r) => `hosted file ${r.relativePath} ${listingWhy(e)}`) };
  }
  let left = Math.max(0, Math.floor(o.maxTotalBytes));
  for (const ref of refs) {
    o.onFile?.();
    const say = (text: string): void => {
      reasons.push(`hosted file ${ref.relativePath} ${text}`);
    };
    const url = urls.get(ref.relativePath);
    if (url === undefined) {
      say('is not in LivePerson’s file listing for this conversation (deleted, or never stored)');
      continue;
    }
    if (left === 0) {
      say('was left out: the item had no room left under limits.maxItemBytes; raise limits.maxItemBytes (at most 150 MB) to keep it');
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await source.download(url, left);
    } catch (e) {
      if (!isRefusal(e)) throw e;
      if (e.status !== 401 || e instanceof LivePersonFileTooLargeError) {
        say(why(e, left));
        continue;
      }
      // Signed URLs live about a minute: a long run of downloads outlives them. Ask for fresh ones, once per file.
      try {
        urls = await source.urlsFor(conv.conversationId);
      } catch (e2) {
        if (!isRefusal(e2)) throw e2;
        say(listingWhy(e2));
        continue;
      }
      const fresh = urls.get(ref.relativePath);
      if (fresh === undefined) {
        say('is not in LivePerson’s file listing for this conversation any more');
        continue;
      }
      try {
        bytes = await source.download(fresh, left);
      } catch (e3) {
        if (!isRefusal(e3)) throw e3;
        say(why(e3, left));
        continue;
      }
    }
    left -= bytes.length;
    files.push({ relativePath: ref.relativePath, fileName: hostedFileName(ref), contentType: hostedFileContentType(ref), bytes });
  }
  return { files, partialReasons: reasons };
}
