import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { fileBytes, fileContentType } from '../data/files';
import { servedTo } from '../data/plan';
import { hostedFilePathsOf } from '../data/raw-records';
import { HOSTED_FILE_PREFIX, renderRecord } from '../data/render';
import { requireAuth } from '../http/auth';

/** The Bulk File Download API (CSDS `fms`) takes OAuth 2.0 bearer tokens only (docs: scope data.services.external.bulkfiledownload). */
const FMS_OAUTH2_ONLY = 'the Bulk File Download API accepts OAuth 2.0 bearer tokens only, not OAuth 1.0 keys';
import { counted, sendError, servesAccount, type EmulatorContext } from '../http/context';
import { faultInjector } from '../http/faults';

const SWIFT_KEY = 'emulator-swift-temp-url-key';

/** Swift TempURL signature: HMAC-SHA1 over "GET\n{expires}\n{path}". */
export function swiftSignature(path: string, expires: number): string {
  return createHmac('sha1', SWIFT_KEY).update(`GET\n${expires}\n${path}`).digest('hex');
}

/**
 * The path whose hash gives a file its size and bytes: an extra account's file is its main-account twin, so
 * every account serves the same volume (its paths differ only in the account segment).
 */
function contentPath(ctx: EmulatorContext, path: string, acct: unknown): string {
  if (!servesAccount(ctx, acct) || acct === ctx.opts.accountId) return path;
  const own = `${HOSTED_FILE_PREFIX}/${acct}/`;
  return path.startsWith(own) ? `${HOSTED_FILE_PREFIX}/${ctx.opts.accountId}/${path.slice(own.length)}` : path;
}

/** A file the fault settings say is gone: listed by path, or picked by a hash of its path (stable across retries). */
function isMissing(ctx: EmulatorContext, path: string, content: string): boolean {
  const f = ctx.faults;
  if (f.missingFiles.includes(path)) return true;
  if (f.missingFileRate <= 0) return false;
  const h = createHash('sha256').update(`missing:${content}`).digest().readUInt32BE(0);
  return h / 0x1_0000_0000 < f.missingFileRate;
}

/**
 * The signed Swift URL of a path as Swift would hand it out: each segment percent-encoded, `..` resolved
 * (so a hostile path never escapes into another URL), signed over the path the download will see.
 */
function signedUrl(ctx: EmulatorContext, relativePath: string, expires: number): string {
  const encoded = relativePath.split('/').map(encodeURIComponent).join('/');
  const url = new URL(encoded.startsWith('/') ? encoded : `/${encoded}`, `http://${ctx.hostPort}`);
  url.search = `temp_url_sig=${swiftSignature(url.pathname, expires)}&temp_url_expires=${expires}`;
  return url.toString();
}

/**
 * Hosted files: the Swift download (signed URL, expiry enforced) and the fms "conversation-files" listing
 * that hands out such signed URLs per conversation (LivePerson's Bulk File Download API).
 */
export function filesRoutes(ctx: EmulatorContext): Router {
  const r = Router();

  r.get('/v1/AUTH_async-images/:acct/:file', counted(ctx, 'swift'), faultInjector(ctx, 'api'), (req, res) => {
    const sig = req.query.temp_url_sig;
    const expires = Number(req.query.temp_url_expires);
    if (typeof sig !== 'string' || !Number.isInteger(expires)) return sendError(res, 401, 'temp_url_sig and temp_url_expires are required');
    if (expires * 1000 < ctx.now()) return sendError(res, 401, 'Signed URL expired; request a new one');
    const expected = Buffer.from(swiftSignature(req.path, expires));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return sendError(res, 401, 'Invalid temp_url_sig');
    if (ctx.faults.expireNextFileUrls > 0) {
      ctx.faults.expireNextFileUrls--;
      ctx.stats.faults.expiredFileUrl++;
      return sendError(res, 401, 'Signed URL expired; request a new one (injected by the emulator)');
    }
    const content = contentPath(ctx, req.path, req.params.acct);
    if (isMissing(ctx, req.path, content)) {
      ctx.stats.faults.missingFile++;
      return sendError(res, 404, 'Object not found (injected by the emulator)');
    }
    const bytes = fileBytes(content);
    res.setHeader('Content-Type', fileContentType(req.path));
    res.setHeader('Content-Length', String(bytes.length));
    res.end(bytes);
  });

  r.get(
    '/v1/account/:acct/conversation-files',
    counted(ctx, 'fms'),
    faultInjector(ctx, 'api'),
    requireAuth(ctx, { bearerOnly: FMS_OAUTH2_ONLY }),
    (req, res) => {
      if (!servesAccount(ctx, req.params.acct)) return sendError(res, 404, `Account ${String(req.params.acct)} not found`);
      const id = req.query.conversationId;
      if (typeof id !== 'string') return sendError(res, 400, 'conversationId is required');
      const found = ctx.store.get(id);
      const plan = found && servedTo(found, req.params.acct) ? found : undefined;
      const raw = found ? undefined : ctx.rawRecords.get(id);
      if ((!plan || plan.visibleAt > ctx.now()) && (!raw || raw.visibleAt > ctx.now()))
        return sendError(res, 404, `Conversation ${id} not found`);
      const pageNo = req.query.page === undefined ? 0 : Number(req.query.page);
      const pageSize = req.query.pageSize === undefined ? 100 : Number(req.query.pageSize);
      if (!Number.isInteger(pageNo) || pageNo < 0 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
        return sendError(res, 400, 'page must be >= 0 and pageSize in 1..100');
      }
      // An injected raw record lists whatever paths it claims (hostile ones included); Swift then decides.
      const paths = hostedFilePathsOf(plan ? renderRecord(plan, req.params.acct) : raw?.record);
      const expires = Math.floor(ctx.now() / 1000) + ctx.opts.fileUrlLifetimeSeconds;
      const items = paths.slice(pageNo * pageSize, (pageNo + 1) * pageSize).map((p) => signedUrl(ctx, p, expires));
      const totalPages = Math.ceil(paths.length / pageSize);
      res.json({
        items,
        pagination: {
          totalRecords: paths.length,
          currentPage: pageNo,
          totalPages,
          nextPage: pageNo + 1 < totalPages ? pageNo + 1 : null,
          prevPage: pageNo > 0 ? pageNo - 1 : null,
        },
      });
    },
  );
  return r;
}
