import { Client, GraphError, type GraphRequest } from '@microsoft/microsoft-graph-client';
import {
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  IMPORT_FOLDER_NAME,
  IMPORT_KEY_PROPERTY_ID,
  MAILBOX_CONCURRENCY,
  MAILBOX_REQUEST_BUDGET,
  MAILBOX_REQUEST_WINDOW_MS,
  MAILBOX_UPLOAD_BUDGET_BYTES,
  MAILBOX_UPLOAD_WINDOW_MS,
} from './constants';
import { codeOf, statusOf, toGraphFailure, type CallContext } from './error-mapping';
import { GraphClientFailure, GraphMailboxError, GraphRequestError } from './errors';
import { MailboxLimiter } from './mailbox-limiter';
import { createRequestBody, planAttachments } from './message-json';
import { BearerAuthMiddleware } from './middleware/auth';
import { FailureSink } from './middleware/failure-sink';
import { MailboxThrottleMiddleware, type RetryPolicy } from './middleware/throttle';
import { UndiciHandler } from './middleware/undici-handler';
import { createTokenSource, type TokenSource } from './token';
import type { GraphClientOptions, GraphClientTuning, ImportMessage, UnmappedReason } from './types';
import { settleDuplicates, type KeyedItem } from './duplicate-race';
import { ItemAttachments } from './item-attachments';

/** A directory user found for an address. */
export interface FoundUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly via: 'mail' | 'proxy-address';
}

/** Result of `importMessage`. */
export interface ImportOutcome {
  readonly messageId: string;
  /** 'already-present': an earlier attempt had created it (found by import key); nothing was duplicated. */
  readonly outcome: 'created' | 'already-present';
  /** When the item found by key was created, by Graph's clock (ISO; 'already-present' only, when Graph says). */
  readonly createdDateTime?: string;
  /** Duplicates of this item a concurrent attempt had created, deleted after the create (see duplicate-race.ts). */
  readonly removedDuplicates?: number;
}

interface GraphUser {
  id: string;
  userPrincipalName: string;
  mail?: string | null;
}

/** Times a create whose outcome is unknown is checked-then-resent before giving up to the activity retry. */
const AMBIGUOUS_CREATE_ATTEMPTS = 3;

/** OData string literal: single quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const seg = encodeURIComponent;

/** True when a write may have taken effect although we got no success answer. */
function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof GraphError)) return false;
  const status = statusOf(err);
  return status === -1 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** A limiter with Outlook's per app + mailbox limits (or the tuning's). */
export function createMailboxLimiter(t: GraphClientTuning = {}): MailboxLimiter {
  return new MailboxLimiter({
    concurrency: t.mailboxConcurrency ?? MAILBOX_CONCURRENCY,
    requestBudget: t.mailboxRequestBudget ?? MAILBOX_REQUEST_BUDGET,
    requestWindowMs: MAILBOX_REQUEST_WINDOW_MS,
    uploadBudgetBytes: t.mailboxUploadBudgetBytes ?? MAILBOX_UPLOAD_BUDGET_BYTES,
    uploadWindowMs: t.mailboxUploadWindowMs ?? MAILBOX_UPLOAD_WINDOW_MS,
  });
}

/**
 * Which connectors share Outlook's per app + mailbox limits: the same app registration (tenant and client id)
 * against the same Graph service.
 */
export function graphLimiterKey(options: Pick<GraphClientOptions, 'auth' | 'baseUrl'>): string {
  return JSON.stringify([
    options.baseUrl ?? DEFAULT_GRAPH_BASE_URL,
    options.auth.tenantId.toLowerCase(),
    options.auth.clientId.toLowerCase(),
  ]);
}

/**
 * Microsoft Graph client for importing archive items into mailboxes. Built on
 * `@microsoft/microsoft-graph-client` with our own middleware chain (bearer auth → per-mailbox limiter and
 * bounded retries → undici's request()), so the same code runs against Graph and the local emulator.
 * Every method throws only `GraphClientFailure` subclasses.
 */
export class GraphMailClient {
  private readonly sdk: Client;
  /**
   * Per-mailbox limiter of every request of this client (exposed for metrics and tests); shared with the
   * clients of other connectors that use the same Graph app, when the caller passes one (see `graphLimiterKey`).
   */
  readonly limiter: MailboxLimiter;
  private readonly policy: RetryPolicy;
  private readonly party: string | undefined;
  private readonly folders = new Map<string, Promise<string>>();
  private readonly settleAfterCreate: boolean;
  private readonly attachments: ItemAttachments;

  constructor(
    options: GraphClientOptions,
    deps: {
      readonly tokenSource?: TokenSource;
      /** Outlook's limits are per app + mailbox: the limiter of this app, shared by every connector using it. */
      readonly limiter?: MailboxLimiter;
      /** The connector this client works for (its fair share of a shared limiter's upload budgets). */
      readonly party?: string;
    } = {},
  ) {
    const t = options.tuning ?? {};
    this.limiter = deps.limiter ?? createMailboxLimiter(t);
    this.party = deps.party;
    this.settleAfterCreate = t.settleAfterCreate ?? true;
    this.policy = {
      maxRetries: t.maxRetries ?? 3,
      maxRetryWaitMs: t.maxRetryWaitMs ?? 30_000,
      requestTimeoutMs: t.requestTimeoutMs ?? 120_000,
      backoffBaseMs: t.backoffBaseMs ?? 1_000,
    };
    this.attachments = new ItemAttachments((ctx, fn) => this.call(ctx, fn), this.limiter, this.policy, this.party);
    const base = new URL(options.baseUrl ?? DEFAULT_GRAPH_BASE_URL);
    const tokens =
      deps.tokenSource ??
      createTokenSource(options.auth, {
        authorityHost: options.authorityHost ?? DEFAULT_AUTHORITY_HOST,
        trustedAuthority: options.trustedAuthority ?? false,
        // The scope names the Graph actually called: its cloud's, or a private Graph's origin.
        scope: options.scope ?? `${base.origin}/.default`,
      });
    const version = base.pathname.replace(/^\/+|\/+$/g, '') || 'v1.0';
    this.sdk = Client.initWithMiddleware({
      baseUrl: base.origin,
      defaultVersion: version,
      middleware: [
        new BearerAuthMiddleware(tokens),
        new MailboxThrottleMiddleware(this.limiter, this.policy, this.party),
        new UndiciHandler(),
      ],
    });
  }

  /** Runs SDK requests; a typed failure raised inside the middleware chain is rethrown as itself. */
  private async send<T>(fn: (api: (path: string) => GraphRequest) => Promise<T>): Promise<T> {
    const sink = new FailureSink();
    try {
      return await fn((path) => this.sdk.api(path).middlewareOptions([sink]));
    } catch (err) {
      throw sink.failure ?? err;
    }
  }

  /** `send`, with every failure mapped to a typed one. */
  private async call<T>(ctx: CallContext, fn: (api: (path: string) => GraphRequest) => Promise<T>): Promise<T> {
    try {
      return await this.send(fn);
    } catch (err) {
      throw toGraphFailure(err, ctx);
    }
  }

  /**
   * Preflight for `check`: signs in, reads the directory, and (given a user) probes that mailbox. Throws
   * `GraphConfigError` naming the missing permission or bad credential; resolves with the mailbox state.
   */
  async checkAccess(probeUserId?: string): Promise<'ok' | UnmappedReason | 'not-probed'> {
    await this.call({ op: 'preflight: read the directory' }, (api) => api('/users?$top=1&$select=id').get() as Promise<unknown>);
    return probeUserId === undefined ? 'not-probed' : this.probeMailbox(probeUserId);
  }

  /** The user whose `mail`, else one of whose `proxyAddresses`, is `address` (case-insensitive); undefined if none. */
  async findUserByAddress(address: string): Promise<FoundUser | undefined> {
    const a = address.trim();
    if (!/^[^@\s]+@[^@\s]+$/.test(a)) return undefined;
    const select = '$select=id,userPrincipalName,mail';
    const byMail = await this.call(
      { op: `find user by mail ${a}` },
      (api) => api(`/users?$filter=${seg(`mail eq ${odataString(a)}`)}&${select}`).get() as Promise<{ value: GraphUser[] }>,
    );
    const m = byMail.value[0];
    if (m) return { id: m.id, userPrincipalName: m.userPrincipalName, via: 'mail' };
    const byProxy = await this.call(
      { op: `find user by proxy address ${a}` },
      (api) =>
        api(`/users?$filter=${seg(`proxyAddresses/any(p:p eq ${odataString(`smtp:${a}`)})`)}&${select}`).get() as Promise<{
          value: GraphUser[];
        }>,
    );
    const p = byProxy.value[0];
    return p ? { id: p.id, userPrincipalName: p.userPrincipalName, via: 'proxy-address' } : undefined;
  }

  /** A user by object id or UPN; undefined when the directory has no such user. */
  async getUser(
    idOrUpn: string,
  ): Promise<{ readonly id: string; readonly userPrincipalName: string; readonly mail: string | null } | undefined> {
    try {
      const u = await this.send((api) => api(`/users/${seg(idOrUpn)}?$select=id,userPrincipalName,mail`).get() as Promise<GraphUser>);
      return { id: u.id, userPrincipalName: u.userPrincipalName, mail: u.mail ?? null };
    } catch (err) {
      if (statusOf(err) === 404 && codeOf(err) === 'Request_ResourceNotFound') return undefined;
      throw toGraphFailure(err, { op: `get user ${idOrUpn}` });
    }
  }

  /** Whether the user has a mailbox we may write to: 'ok', or why not. */
  async probeMailbox(userId: string): Promise<'ok' | UnmappedReason> {
    try {
      await this.call(
        { op: 'probe mailbox', userId },
        (api) => api(`/users/${seg(userId)}/mailFolders/inbox?$select=id`).get() as Promise<unknown>,
      );
      return 'ok';
    } catch (err) {
      if (err instanceof GraphMailboxError && err.reason !== 'quota-exceeded') return err.reason;
      throw err;
    }
  }

  /**
   * Id of `Inbox/{displayName}`, created when missing. Concurrent callers share one lookup; a create that
   * loses a race (`ErrorFolderExists`) looks the folder up again. Cached per user.
   */
  ensureImportFolder(userId: string, displayName: string = IMPORT_FOLDER_NAME): Promise<string> {
    const key = `${userId.toLowerCase()}\n${displayName.toLowerCase()}`;
    let p = this.folders.get(key);
    if (!p) {
      p = this.findOrCreateFolder(userId, displayName);
      this.folders.set(key, p);
      p.catch(() => this.folders.delete(key));
    }
    return p;
  }

  /** Forgets a cached folder id (e.g. after `ErrorItemNotFound`: the user deleted the folder). */
  forgetFolder(userId: string, folderId: string): void {
    const prefix = `${userId.toLowerCase()}\n`;
    for (const [k, v] of this.folders) {
      if (!k.startsWith(prefix)) continue;
      v.then(
        (id) => {
          if (id === folderId && this.folders.get(k) === v) this.folders.delete(k);
        },
        () => undefined,
      );
    }
  }

  private async findFolder(userId: string, displayName: string): Promise<string | undefined> {
    const list = await this.call(
      { op: `find folder '${displayName}'`, userId },
      (api) =>
        api(
          `/users/${seg(userId)}/mailFolders/inbox/childFolders?$filter=${seg(`displayName eq ${odataString(displayName)}`)}&$select=id,displayName`,
        ).get() as Promise<{ value: { id: string; displayName: string }[] }>,
    );
    return list.value.find((f) => f.displayName.toLowerCase() === displayName.toLowerCase())?.id;
  }

  private async findOrCreateFolder(userId: string, displayName: string): Promise<string> {
    const found = await this.findFolder(userId, displayName);
    if (found) return found;
    try {
      const created = await this.send(
        (api) =>
          api(`/users/${seg(userId)}/mailFolders/inbox/childFolders`).post({ displayName, isHidden: false }) as Promise<{ id: string }>,
      );
      return created.id;
    } catch (err) {
      // Lost a race with another worker, or our own create went through but its answer was lost.
      if (codeOf(err) !== 'ErrorFolderExists' && !outcomeUnknown(err))
        throw toGraphFailure(err, { op: `create folder '${displayName}'`, userId });
      const again = await this.findFolder(userId, displayName);
      if (again) return again;
      throw toGraphFailure(err, { op: `create folder '${displayName}'`, userId });
    }
  }

  /** The id of the item in `folderId` whose import-key property equals `key`, if any. */
  async findByImportKey(userId: string, folderId: string, key: string): Promise<string | undefined> {
    return (await this.listByImportKey(userId, folderId, key, 1))[0]?.id;
  }

  /** Every item in `folderId` whose import-key property equals `key` (normally one). */
  async listByImportKey(userId: string, folderId: string, key: string, top = 10): Promise<KeyedItem[]> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(IMPORT_KEY_PROPERTY_ID)} and ep/value eq ${odataString(key)})`;
    const list = await this.call(
      { op: 'find item by import key', userId },
      (api) =>
        api(
          `/users/${seg(userId)}/mailFolders/${seg(folderId)}/messages?$filter=${seg(filter)}&$select=id,createdDateTime&$top=${top}`,
        ).get() as Promise<{ value: KeyedItem[] }>,
    );
    return list.value;
  }

  /** Deletes an item; one already gone is not an error (another attempt may have deleted it). */
  async deleteMessage(userId: string, messageId: string): Promise<void> {
    try {
      await this.call(
        { op: 'delete a duplicate item', userId },
        (api) => api(`/users/${seg(userId)}/messages/${seg(messageId)}`).delete() as Promise<unknown>,
      );
    } catch (err) {
      if (err instanceof GraphRequestError && err.statusCode === 404) return;
      throw err;
    }
  }

  /**
   * Creates the item (one JSON create with everything that fits), then adds larger attachments. When the
   * create's outcome is unknown (lost answer, 5xx), it looks the item up by import key before resending, so
   * a create is never doubled. Returns the message id.
   */
  async createMessage(userId: string, folderId: string, msg: ImportMessage): Promise<string> {
    const plan = planAttachments(msg);
    for (let attempt = 1; ; attempt++) {
      try {
        // Built per attempt and not kept: the large attachments that follow need the memory.
        const created = await this.send(
          (api) =>
            api(`/users/${seg(userId)}/mailFolders/${seg(folderId)}/messages`).post(createRequestBody(msg, plan.inline)) as Promise<{
              id: string;
            }>,
        );
        await this.attachments.add(userId, created.id, [...plan.posted, ...plan.uploaded]);
        return created.id;
      } catch (err) {
        if (err instanceof GraphClientFailure) throw err;
        const failure = toGraphFailure(err, { op: 'create message', userId });
        if (codeOf(err) === 'ErrorItemNotFound') this.forgetFolder(userId, folderId);
        if (!outcomeUnknown(err) || statusOf(err) === 429) throw failure;
        const existing = await this.findByImportKey(userId, folderId, msg.importKey);
        if (existing) {
          await this.attachments.complete(userId, existing, plan);
          return existing;
        }
        if (attempt >= AMBIGUOUS_CREATE_ATTEMPTS) throw failure;
      }
    }
  }

  /**
   * Exactly-once import: looks the item up by import key first (a previous attempt may have created it),
   * completes its attachments if that attempt stopped half-way, else creates it.
   */
  async importMessage(userId: string, folderId: string, msg: ImportMessage): Promise<ImportOutcome> {
    const [existing] = await this.listByImportKey(userId, folderId, msg.importKey, 1);
    if (existing) {
      await this.attachments.complete(userId, existing.id, planAttachments(msg));
      return {
        messageId: existing.id,
        outcome: 'already-present',
        ...(existing.createdDateTime ? { createdDateTime: existing.createdDateTime } : {}),
      };
    }
    return this.createSettled(userId, folderId, msg);
  }

  /**
   * Creates the item, then (unless `tuning.settleAfterCreate` is false) looks its import key up again and leaves
   * exactly one item with it: a concurrent attempt may have created the same item (see duplicate-race.ts). When
   * the other attempt's item is the one kept, its attachments are completed from ours.
   */
  async createSettled(userId: string, folderId: string, msg: ImportMessage): Promise<ImportOutcome> {
    const created = await this.createMessage(userId, folderId, msg);
    if (!this.settleAfterCreate) return { messageId: created, outcome: 'created' };
    const { kept, removed } = await settleDuplicates(this, userId, folderId, msg.importKey, created);
    if (kept !== created) await this.attachments.complete(userId, kept, planAttachments(msg));
    return { messageId: kept, outcome: 'created', ...(removed.length > 0 ? { removedDuplicates: removed.length } : {}) };
  }
}
