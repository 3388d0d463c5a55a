import { randomBytes } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { mailboxOf, type EmulatorContext } from '../context';
import { DEFAULT_LIMITS } from '../constants';
import { GraphHttpError, sendGraphError } from '../errors';
import { newItemId, type UploadSession } from '../store';

const SESSION_LIFETIME_MS = 30 * 60_000;

/** `POST …/messages/{id}/attachments/createUploadSession` (behind the mailbox resolver and limits). */
export function uploadSessionRouter(ctx: EmulatorContext): Router {
  const r = Router({ mergeParams: true });
  r.post(
    [
      '/users/:userRef/messages/:messageId/attachments/createUploadSession',
      '/users/:userRef/mailFolders/:folderRef/messages/:messageId/attachments/createUploadSession',
    ],
    (req, res) => {
      const mb = mailboxOf(res);
      const m = ctx.store.message(mb, String(req.params.messageId));
      const item = ((req.body ?? {}) as { AttachmentItem?: Record<string, unknown> }).AttachmentItem;
      if (!item || item.attachmentType !== 'file' || typeof item.name !== 'string' || typeof item.size !== 'number') {
        throw new GraphHttpError(
          400,
          'ErrorInvalidRequest',
          'createUploadSession needs {"AttachmentItem":{"attachmentType":"file","name":"…","size":N}}.',
        );
      }
      if (item.size < DEFAULT_LIMITS.maxPostedAttachmentBytes) {
        throw new GraphHttpError(
          400,
          'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize',
          'Attachment size must be greater than the minimum size (3 MB); post smaller files to /attachments.',
        );
      }
      if (item.size > DEFAULT_LIMITS.maxUploadSessionBytes) {
        throw new GraphHttpError(
          400,
          'ErrorAttachmentSizeLimitExceeded',
          'The attachment is larger than 150 MB, the most an upload session accepts.',
        );
      }
      const session: UploadSession = {
        id: randomBytes(18).toString('base64url'),
        userId: mb.user.id,
        messageId: m.id,
        name: item.name,
        contentType: typeof item.contentType === 'string' ? item.contentType : 'application/octet-stream',
        isInline: item.isInline === true,
        ...(typeof item.contentId === 'string' ? { contentId: item.contentId } : {}),
        size: item.size,
        buffer: Buffer.alloc(item.size),
        nextOffset: 0,
        expiresAt: Date.now() + SESSION_LIFETIME_MS,
      };
      ctx.store.uploadSessions.set(session.id, session);
      res.status(201).json({
        '@odata.context': `${ctx.url}/v1.0/$metadata#microsoft.graph.uploadSession`,
        uploadUrl: `${ctx.url}/upload/AttachmentSessions/${session.id}?authtoken=${randomBytes(24).toString('base64url')}`,
        expirationDateTime: new Date(session.expiresAt).toISOString(),
        nextExpectedRanges: ['0-'],
      });
    },
  );
  return r;
}

/**
 * The pre-authenticated upload URL: `PUT` with `Content-Range`, ≤ 4 MB per chunk, bytes in order. The last
 * chunk answers 201 with the attachment in `Location`. Mounted without the bearer check.
 */
export function uploadUrlRouter(ctx: EmulatorContext, gate: (req: Request, res: Response, next: NextFunction) => void): Router {
  const r = Router();
  const session = (req: Request, res: Response, next: NextFunction): void => {
    const s = ctx.store.uploadSessions.get(String(req.params.sessionId));
    if (!s || s.expiresAt < Date.now()) {
      sendGraphError(res, 404, 'uploadSessionNotFound', 'The upload session was not found or has expired; create a new one.');
      return;
    }
    const mb = ctx.store.get(s.userId);
    if (!mb) {
      sendGraphError(res, 404, 'uploadSessionNotFound', 'The mailbox of this upload session no longer exists.');
      return;
    }
    if (req.header('authorization')) {
      sendGraphError(
        res,
        401,
        'InvalidAuthenticationToken',
        'The upload URL is pre-authenticated; do not send an Authorization header with it.',
      );
      return;
    }
    res.locals.mailbox = mb;
    res.locals.session = s;
    next();
  };
  const state = (s: UploadSession): Record<string, unknown> => ({
    ExpirationDateTime: new Date(s.expiresAt).toISOString(),
    nextExpectedRanges: [`${s.nextOffset}-${s.size - 1}`],
  });
  r.get('/upload/AttachmentSessions/:sessionId', session, (_req, res) => {
    res.json(state(res.locals.session as UploadSession));
  });
  r.delete('/upload/AttachmentSessions/:sessionId', session, (req, res) => {
    ctx.store.uploadSessions.delete(String(req.params.sessionId));
    res.status(204).end();
  });
  r.put(
    '/upload/AttachmentSessions/:sessionId',
    session,
    gate,
    express.raw({ type: () => true, limit: DEFAULT_LIMITS.maxChunkBytes + 1 }),
    (req, res) => {
      const s = res.locals.session as UploadSession;
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.header('content-range') ?? '');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!range) throw new GraphHttpError(400, 'invalidRange', 'Content-Range must be "bytes start-end/total".');
      const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
      if (total !== s.size) throw new GraphHttpError(400, 'invalidRange', `The total size ${total} differs from the session's ${s.size}.`);
      if (end < start || end >= s.size || end - start + 1 !== body.length) {
        throw new GraphHttpError(400, 'invalidRange', `Content-Range ${start}-${end} does not match the ${body.length} bytes sent.`);
      }
      if (body.length > DEFAULT_LIMITS.maxChunkBytes)
        throw new GraphHttpError(413, 'RequestEntityTooLarge', 'Upload chunks must be 4 MB or less.');
      if (start < s.nextOffset)
        throw new GraphHttpError(416, 'fragmentOverlap', `Bytes from ${start} were already received; next expected ${s.nextOffset}.`);
      if (start > s.nextOffset) throw new GraphHttpError(416, 'fragmentOutOfOrder', `Expected bytes from ${s.nextOffset}, got ${start}.`);
      body.copy(s.buffer, start);
      s.nextOffset = end + 1;
      if (s.nextOffset < s.size) {
        res.status(200).json(state(s));
        return;
      }
      const mb = mailboxOf(res);
      const m = ctx.store.message(mb, s.messageId);
      const attachment = {
        id: newItemId('AAMkAGatt'),
        name: s.name,
        contentType: s.contentType,
        isInline: s.isInline,
        ...(s.contentId !== undefined ? { contentId: s.contentId } : {}),
        bytes: s.buffer,
        lastModifiedDateTime: new Date().toISOString(),
      };
      ctx.store.uploadSessions.delete(s.id);
      ctx.store.addAttachment(mb, m, attachment);
      res.setHeader('Location', `${ctx.url}/api/v2.0/Users('${mb.user.id}')/Messages('${m.id}')/Attachments('${attachment.id}')`);
      res.status(201).end();
    },
  );
  return r;
}
