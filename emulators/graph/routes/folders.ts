import { Router, type Request, type Response } from 'express';
import { mailboxOf, page, type EmulatorContext } from '../context';
import { GraphHttpError } from '../errors';
import { sendCreated } from '../limits';
import { FilterError, parseFolderFilter, parseSelect, project } from '../odata';
import type { Mailbox, StoredFolder } from '../store';

export function folderJson(mb: Mailbox, f: StoredFolder): Record<string, unknown> {
  const items = [...mb.messages.values()].filter((m) => m.folderId === f.id);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId,
    childFolderCount: [...mb.folders.values()].filter((c) => c.parentFolderId === f.id).length,
    unreadItemCount: items.filter((m) => !m.isRead).length,
    totalItemCount: items.length,
    sizeInBytes: items.reduce((n, m) => n + Buffer.byteLength(m.body.content) + m.attachments.reduce((k, a) => k + a.bytes.length, 0), 0),
    isHidden: f.isHidden,
  };
}

/** Mounted behind the mailbox resolver and limits: paths start at `/users/:userRef/mailFolders`. */
export function foldersRouter(ctx: EmulatorContext): Router {
  const r = Router({ mergeParams: true });
  const list = (req: Request, res: Response, parentId: string): void => {
    const mb = mailboxOf(res);
    let folders = ctx.store.childFolders(mb, parentId).filter((f) => !f.isHidden || req.query.includeHiddenFolders === 'true');
    if (typeof req.query.$filter === 'string') {
      try {
        const { displayName } = parseFolderFilter(req.query.$filter);
        folders = folders.filter((f) => f.displayName.toLowerCase() === displayName.toLowerCase());
      } catch (e) {
        if (e instanceof FilterError) throw new GraphHttpError(400, 'ErrorInvalidUrlQueryFilter', e.message);
        throw e;
      }
    }
    const select = parseSelect(req.query.$select);
    const { value, nextLink } = page(req, folders, 10, ctx);
    res.json({ ...(nextLink ? { '@odata.nextLink': nextLink } : {}), value: value.map((f) => project(folderJson(mb, f), select)) });
  };
  r.get('/users/:userRef/mailFolders', (req, res) => {
    list(req, res, ctx.store.folder(mailboxOf(res), 'msgfolderroot').id);
  });
  r.get('/users/:userRef/mailFolders/:folderRef', (req, res) => {
    const mb = mailboxOf(res);
    res.json(project(folderJson(mb, ctx.store.folder(mb, String(req.params.folderRef))), parseSelect(req.query.$select)));
  });
  r.get('/users/:userRef/mailFolders/:folderRef/childFolders', (req, res) => {
    list(req, res, ctx.store.folder(mailboxOf(res), String(req.params.folderRef)).id);
  });
  r.post('/users/:userRef/mailFolders/:folderRef/childFolders', (req, res) => {
    const mb = mailboxOf(res);
    const parent = ctx.store.folder(mb, String(req.params.folderRef));
    const body = (req.body ?? {}) as { displayName?: unknown; isHidden?: unknown };
    if (typeof body.displayName !== 'string' || body.displayName.trim() === '') {
      throw new GraphHttpError(400, 'ErrorInvalidRequest', 'The request body must carry a non-empty displayName.');
    }
    const folder = ctx.store.createChildFolder(mb, parent.id, body.displayName, body.isHidden === true);
    sendCreated(res, folderJson(mb, folder));
  });
  return r;
}
