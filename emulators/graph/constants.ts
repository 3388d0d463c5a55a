/**
 * Values the Graph emulator shares with the real service. The import-key property id is duplicated from
 * `src/graph/constants.ts` on purpose (emulators import only their own code); a test asserts both are equal.
 */
export const IMPORT_KEY_PROPERTY_ID = 'String {5d6c5b7a-3f0e-4b8e-9a43-6c1e0b2f7a11} Name LpArchiveImportKey';

/** Well-known folder names usable in place of an id (locale-independent), with their display names. */
export const WELL_KNOWN_FOLDERS = {
  msgfolderroot: 'Top of Information Store',
  inbox: 'Inbox',
  drafts: 'Drafts',
  sentitems: 'Sent Items',
  deleteditems: 'Deleted Items',
  archive: 'Archive',
  junkemail: 'Junk Email',
  outbox: 'Outbox',
} as const;
export type WellKnownFolder = keyof typeof WELL_KNOWN_FOLDERS;

export const MB = 1024 * 1024;

export const DEFAULT_LIMITS = {
  /** Outlook: concurrent requests per app + mailbox. */
  mailboxConcurrency: 4,
  /** Outlook: requests per app + mailbox per window. */
  requestBudget: 10_000,
  requestWindowMs: 10 * 60_000,
  /** Outlook: bytes uploaded (POST/PUT/PATCH bodies) per app + mailbox per window. */
  uploadBudgetBytes: 150 * MB,
  uploadWindowMs: 5 * 60_000,
  /**
   * Single write request body: "about 4 MB". A 3 MB attachment POST is ~4 MB of base64 plus its JSON, and
   * Graph accepts it, so the cut is a little above 4 MiB.
   */
  maxRequestBytes: 4 * MB + 256 * 1024,
  /** `POST …/attachments` accepts files below this; larger ones need an upload session. */
  maxPostedAttachmentBytes: 3 * MB,
  /** Upload sessions accept files from `maxPostedAttachmentBytes` to this. */
  maxUploadSessionBytes: 150 * MB,
  /** Upload session chunk. */
  maxChunkBytes: 4 * MB,
} as const;
