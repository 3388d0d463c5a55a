import { createHash, randomBytes } from 'node:crypto';
import { WELL_KNOWN_FOLDERS, type WellKnownFolder } from './constants';
import type { DirectoryUser } from './directory';
import { GraphHttpError } from './errors';

export interface Recipient {
  readonly emailAddress: { readonly name?: string; readonly address: string };
}

export interface StoredFolder {
  readonly id: string;
  readonly displayName: string;
  readonly parentFolderId: string | null;
  readonly isHidden: boolean;
  readonly wellKnownName?: WellKnownFolder;
}

export interface StoredAttachment {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly isInline: boolean;
  readonly contentId?: string;
  readonly bytes: Buffer;
  readonly lastModifiedDateTime: string;
}

export interface StoredExtendedProperty {
  readonly id: string;
  readonly value: string;
}

export interface StoredMessage {
  readonly id: string;
  folderId: string;
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
  readonly subject: string;
  readonly body: { readonly contentType: 'html' | 'text'; readonly content: string };
  readonly from: Recipient | null;
  readonly sender: Recipient | null;
  readonly toRecipients: readonly Recipient[];
  readonly ccRecipients: readonly Recipient[];
  readonly bccRecipients: readonly Recipient[];
  readonly replyTo: readonly Recipient[];
  readonly internetMessageId: string;
  readonly internetMessageHeaders: readonly { readonly name: string; readonly value: string }[];
  readonly isDraft: boolean;
  readonly isRead: boolean;
  readonly receivedDateTime: string;
  readonly sentDateTime: string | null;
  readonly importance: string;
  readonly conversationId: string;
  /** Keyed by the normalised property id. */
  readonly extendedProperties: Map<string, StoredExtendedProperty>;
  readonly attachments: StoredAttachment[];
  /** Set for items created from MIME. */
  readonly mime?: string;
}

export interface UploadSession {
  readonly id: string;
  readonly userId: string;
  readonly messageId: string;
  readonly name: string;
  readonly contentType: string;
  readonly isInline: boolean;
  readonly contentId?: string;
  readonly size: number;
  readonly buffer: Buffer;
  nextOffset: number;
  readonly expiresAt: number;
}

export interface Mailbox {
  readonly user: DirectoryUser;
  readonly folders: Map<string, StoredFolder>;
  readonly wellKnown: Map<WellKnownFolder, string>;
  readonly messages: Map<string, StoredMessage>;
  sizeBytes: number;
}

/** Exchange-looking opaque ids (case-sensitive, base64url). */
export function newItemId(prefix = 'AAMkAG'): string {
  return `${prefix}${randomBytes(30).toString('base64url')}`;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function messageSize(m: StoredMessage): number {
  return Buffer.byteLength(m.body.content) + m.attachments.reduce((n, a) => n + a.bytes.length, 0) + 1024;
}

/**
 * All mailboxes of the emulated tenant, in memory. Every mutation is synchronous, so a check-and-insert
 * (folder names, upload-session completion) is atomic under Node's single thread.
 */
export class MailboxStore {
  private readonly mailboxes = new Map<string, Mailbox>();
  readonly uploadSessions = new Map<string, UploadSession>();
  /** Per-mailbox quotas set at run time (`POST /_emulator/users/:userRef/mailbox`), by user id. */
  private readonly quotas = new Map<string, number>();

  constructor(
    users: readonly DirectoryUser[],
    private readonly quotaBytes: number,
  ) {
    for (const user of users) if (user.mailbox === 'ok') this.mailboxes.set(user.id, this.emptyMailbox(user));
  }

  private emptyMailbox(user: DirectoryUser): Mailbox {
    const mb: Mailbox = { user, folders: new Map(), wellKnown: new Map(), messages: new Map(), sizeBytes: 0 };
    const rootId = newItemId('AAMkAGroot');
    mb.folders.set(rootId, {
      id: rootId,
      displayName: WELL_KNOWN_FOLDERS.msgfolderroot,
      parentFolderId: null,
      isHidden: false,
      wellKnownName: 'msgfolderroot',
    });
    mb.wellKnown.set('msgfolderroot', rootId);
    for (const name of Object.keys(WELL_KNOWN_FOLDERS) as WellKnownFolder[]) {
      if (name === 'msgfolderroot') continue;
      const id = newItemId();
      mb.folders.set(id, { id, displayName: WELL_KNOWN_FOLDERS[name], parentFolderId: rootId, isHidden: false, wellKnownName: name });
      mb.wellKnown.set(name, id);
    }
    return mb;
  }

  all(): Mailbox[] {
    return [...this.mailboxes.values()];
  }

  get(userId: string): Mailbox | undefined {
    return this.mailboxes.get(userId);
  }

  /**
   * A mailbox for a user the directory generated without one (the user is licensed at run time); the
   * existing one otherwise.
   */
  ensure(user: DirectoryUser): Mailbox {
    let mb = this.mailboxes.get(user.id);
    if (!mb) {
      mb = this.emptyMailbox(user);
      this.mailboxes.set(user.id, mb);
    }
    return mb;
  }

  /** Sets (or with undefined, clears) one mailbox's quota in bytes; the emulator-wide quota applies otherwise. */
  setQuota(userId: string, bytes: number | undefined): void {
    if (bytes === undefined) this.quotas.delete(userId);
    else this.quotas.set(userId, bytes);
  }

  quotaOf(userId: string): number {
    return this.quotas.get(userId) ?? this.quotaBytes;
  }

  /** Empties every mailbox (keeps the directory). */
  reset(): void {
    for (const [id, mb] of this.mailboxes) this.mailboxes.set(id, this.emptyMailbox(mb.user));
    this.uploadSessions.clear();
  }

  folder(mb: Mailbox, idOrWellKnown: string): StoredFolder {
    const wk = mb.wellKnown.get(idOrWellKnown.toLowerCase() as WellKnownFolder);
    const folder = mb.folders.get(wk ?? idOrWellKnown);
    if (!folder) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return folder;
  }

  childFolders(mb: Mailbox, parentId: string): StoredFolder[] {
    return [...mb.folders.values()].filter((f) => f.parentFolderId === parentId);
  }

  /** Atomic: a sibling with the same name (case-insensitive) means `ErrorFolderExists`. */
  createChildFolder(mb: Mailbox, parentId: string, displayName: string, isHidden: boolean): StoredFolder {
    const lower = displayName.toLowerCase();
    if (this.childFolders(mb, parentId).some((f) => f.displayName.toLowerCase() === lower)) {
      throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
    }
    const folder: StoredFolder = { id: newItemId(), displayName, parentFolderId: parentId, isHidden };
    mb.folders.set(folder.id, folder);
    return folder;
  }

  message(mb: Mailbox, id: string): StoredMessage {
    const m = mb.messages.get(id);
    if (!m) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return m;
  }

  private checkQuota(mb: Mailbox, extra: number): void {
    if (mb.sizeBytes + extra > this.quotaOf(mb.user.id)) {
      throw new GraphHttpError(400, 'ErrorQuotaExceeded', 'The mailbox quota has been exceeded; the item cannot be saved.');
    }
  }

  addMessage(mb: Mailbox, m: StoredMessage): void {
    const size = messageSize(m);
    this.checkQuota(mb, size);
    mb.messages.set(m.id, m);
    mb.sizeBytes += size;
  }

  addAttachment(mb: Mailbox, m: StoredMessage, a: StoredAttachment): void {
    this.checkQuota(mb, a.bytes.length);
    m.attachments.push(a);
    m.lastModifiedDateTime = new Date().toISOString();
    mb.sizeBytes += a.bytes.length;
  }
}
