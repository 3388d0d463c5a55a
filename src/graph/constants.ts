/**
 * The named extended property stamped on every item we create: its value is the import key
 * (`importKey()` in src/model/keys.ts). One fixed property name with per-item values, never a new name per
 * item (mailboxes have a named-property quota). The GUID is ours; never change it, or dedupe breaks.
 */
export const IMPORT_KEY_PROPERTY_ID = 'String {5d6c5b7a-3f0e-4b8e-9a43-6c1e0b2f7a11} Name LpArchiveImportKey';

/** PR_MESSAGE_FLAGS: without the unsent bit (0x8) the item is not a draft; 0x1 = read. */
export const PR_MESSAGE_FLAGS = 'Integer 0x0E07';
/** MSGFLAG_READ only: a received, read, non-draft item. */
export const MESSAGE_FLAGS_RECEIVED_READ = '1';
/** PR_MESSAGE_DELIVERY_TIME: drives `receivedDateTime`. */
export const PR_MESSAGE_DELIVERY_TIME = 'SystemTime 0x0E06';
/** PR_CLIENT_SUBMIT_TIME: drives `sentDateTime`. */
export const PR_CLIENT_SUBMIT_TIME = 'SystemTime 0x0039';

/** Folder under Inbox that the commercial connector uses; we use the same name. */
export const IMPORT_FOLDER_NAME = 'LivePerson Conversational Cloud DataParser';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

const MB = 1024 * 1024;
/** Keep one JSON create below this (Graph refuses ~4 MB requests); leaves room for headers and encoding. */
export const MAX_CREATE_REQUEST_BYTES = 3.5 * MB;
/** `POST …/attachments` accepts files below this; larger ones go through an upload session. */
export const MAX_POSTED_ATTACHMENT_BYTES = 3 * MB;
/** Upload sessions take 3 MB – 150 MB per file. */
export const MAX_UPLOAD_SESSION_BYTES = 150 * MB;
/** Outlook upload-session chunk limit. */
export const UPLOAD_CHUNK_BYTES = 4 * MB;

/** Outlook per app + mailbox limits. */
export const MAILBOX_CONCURRENCY = 4;
export const MAILBOX_REQUEST_BUDGET = 10_000;
export const MAILBOX_REQUEST_WINDOW_MS = 10 * 60_000;
export const MAILBOX_UPLOAD_BUDGET_BYTES = 150 * MB;
export const MAILBOX_UPLOAD_WINDOW_MS = 5 * 60_000;
