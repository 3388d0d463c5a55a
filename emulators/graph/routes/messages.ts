import { Router, type Request, type Response } from 'express';
import { mailboxOf, page, type EmulatorContext } from '../context';
import { GraphHttpError } from '../errors';
import { sendCreated } from '../limits';
import { attachmentFromJson, attachmentJson, messageFromJson, messageFromMime, messageJson } from '../messages-model';
import { FilterError, normalisePropertyId, parseMessageFilter, parseSelect, project } from '../odata';
import type { StoredMessage } from '../store';

const EXPAND = /^singleValueExtendedProperties(?:\(\s*\$filter\s*=\s*(.+)\))?$/i;

/** Property ids asked for by `$expand=singleValueExtendedProperties($filter=id eq '…' [or id eq '…'])`. */
function expandedPropertyIds(expand: unknown): string[] | undefined {
  if (typeof expand !== 'string') return undefined;
  const m = EXPAND.exec(expand.trim());
  if (!m)
    throw new GraphHttpError(
      400,
      'BadRequest',
      `Unsupported $expand '${expand}' (the emulator expands singleValueExtendedProperties only).`,
    );
  if (!m[1]) return [];
  return [...m[1].matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi)].map((x) => (x[1] ?? '').replace(/''/g, "'"));
}

function render(req: Request, m: StoredMessage): Record<string, unknown> {
  const select = parseSelect(req.query.$select);
  const json = messageJson(m, expandedPropertyIds(req.query.$expand));
  if (!select) delete json.internetMessageHeaders;
  return project(json, select ? [...select, 'singleValueExtendedProperties'] : undefined);
}

function matches(m: StoredMessage, filter: ReturnType<typeof parseMessageFilter>): boolean {
  if (filter.kind === 'internetMessageId') return m.internetMessageId.toLowerCase() === filter.value.toLowerCase();
  const p = m.extendedProperties.get(normalisePropertyId(filter.propertyId));
  return p !== undefined && p.value.toLowerCase() === filter.value.toLowerCase();
}

const MESSAGE_PATHS = ['/users/:userRef/messages/:messageId', '/users/:userRef/mailFolders/:folderRef/messages/:messageId'];
const ATTACHMENT_PATHS = MESSAGE_PATHS.map((p) => `${p}/attachments`);

/** Mounted behind the mailbox resolver and limits. */
export function messagesRouter(ctx: EmulatorContext, opts: { readonly beta: boolean }): Router {
  const r = Router({ mergeParams: true });

  const create = (req: Request, res: Response, folderRef: string): void => {
    const mb = mailboxOf(res);
    const folder = ctx.store.folder(mb, folderRef);
    const isMime = (req.header('content-type') ?? '').toLowerCase().startsWith('text/plain');
    const message = isMime
      ? messageFromMime(typeof req.body === 'string' ? req.body : '', folder.id, true)
      : messageFromJson(req.body, folder.id);
    ctx.store.addMessage(mb, message);
    sendCreated(res, render(req, message));
  };
  r.post('/users/:userRef/mailFolders/:folderRef/messages', (req, res) => create(req, res, String(req.params.folderRef)));
  r.post('/users/:userRef/messages', (req, res) => create(req, res, 'drafts'));

  if (opts.beta) {
    r.post('/users/:userRef/mailFolders/:folderRef/importMime', (req, res) => {
      if (!ctx.opts.enableImportMime)
        throw new GraphHttpError(400, 'BadRequest', 'importMime is switched off in this emulator (enableImportMime: false).');
      const mb = mailboxOf(res);
      const folder = ctx.store.folder(mb, String(req.params.folderRef));
      const message = messageFromMime(typeof req.body === 'string' ? req.body : '', folder.id, false);
      ctx.store.addMessage(mb, message);
      sendCreated(res, render(req, message));
    });
  }

  const list = (req: Request, res: Response, folderId: string | undefined): void => {
    const mb = mailboxOf(res);
    let items = [...mb.messages.values()].filter((m) => folderId === undefined || m.folderId === folderId);
    if (typeof req.query.$filter === 'string') {
      let filter: ReturnType<typeof parseMessageFilter>;
      try {
        filter = parseMessageFilter(req.query.$filter);
      } catch (e) {
        if (e instanceof FilterError) throw new GraphHttpError(400, 'ErrorInvalidUrlQueryFilter', e.message);
        throw e;
      }
      items = items.filter((m) => matches(m, filter));
    }
    items.sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
    const { value, nextLink } = page(req, items, 10, ctx);
    res.json({ ...(nextLink ? { '@odata.nextLink': nextLink } : {}), value: value.map((m) => render(req, m)) });
  };
  r.get('/users/:userRef/mailFolders/:folderRef/messages', (req, res) =>
    list(req, res, ctx.store.folder(mailboxOf(res), String(req.params.folderRef)).id),
  );
  r.get('/users/:userRef/messages', (req, res) => list(req, res, undefined));

  const message = (req: Request, res: Response): StoredMessage => {
    const mb = mailboxOf(res);
    const m = ctx.store.message(mb, String(req.params.messageId));
    if (req.params.folderRef !== undefined && ctx.store.folder(mb, String(req.params.folderRef)).id !== m.folderId) {
      throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    return m;
  };
  r.get(MESSAGE_PATHS, (req, res) => {
    res.json(render(req, message(req, res)));
  });
  r.get(
    MESSAGE_PATHS.map((p) => `${p}/$value`),
    (req, res) => {
      const m = message(req, res);
      res
        .type('message/rfc822')
        .send(
          m.mime ??
            `Subject: ${m.subject}\r\nMessage-ID: ${m.internetMessageId}\r\nContent-Type: text/${m.body.contentType === 'html' ? 'html' : 'plain'}; charset=utf-8\r\n\r\n${m.body.content}`,
        );
    },
  );
  r.patch(MESSAGE_PATHS, (req, res) => {
    const m = message(req, res);
    const body = (req.body ?? {}) as { singleValueExtendedProperties?: { id?: unknown; value?: unknown }[]; isRead?: unknown };
    // PR_MESSAGE_FLAGS is writable only until the first save: later attempts are ignored, as on Exchange.
    for (const p of body.singleValueExtendedProperties ?? []) {
      if (typeof p.id !== 'string' || typeof p.value !== 'string')
        throw new GraphHttpError(400, 'ErrorInvalidRequest', 'Each singleValueExtendedProperty needs string "id" and "value".');
      const key = normalisePropertyId(p.id);
      if (key === normalisePropertyId('Integer 0x0E07')) continue;
      m.extendedProperties.set(key, { id: p.id, value: p.value });
    }
    m.lastModifiedDateTime = new Date().toISOString();
    res.json(render(req, m));
  });
  r.delete(MESSAGE_PATHS, (req, res) => {
    const mb = mailboxOf(res);
    const m = message(req, res);
    mb.messages.delete(m.id);
    res.status(204).end();
  });

  r.get(ATTACHMENT_PATHS, (req, res) => {
    const m = message(req, res);
    const select = parseSelect(req.query.$select);
    res.json({ value: m.attachments.map((a) => project(attachmentJson(a, !select), select)) });
  });
  r.post(ATTACHMENT_PATHS, (req, res) => {
    const mb = mailboxOf(res);
    const m = message(req, res);
    const attachment = attachmentFromJson(req.body);
    if (attachment.bytes.length >= 3 * 1024 * 1024) {
      throw new GraphHttpError(
        400,
        'ErrorAttachmentSizeLimitExceeded',
        'Attachments of 3 MB or more must be uploaded with an upload session (createUploadSession).',
      );
    }
    ctx.store.addAttachment(mb, m, attachment);
    sendCreated(res, attachmentJson(attachment, false));
  });
  return r;
}
