import type { NextFunction, Request, Response } from 'express';
import type { DirectoryUser } from './directory';
import { GraphHttpError } from './errors';
import type { MailboxLimits } from './limits';
import type { Mailbox, MailboxStore } from './store';
import type { TokenIssuer } from './token';
import type { ResolvedEmulatorOptions } from './types';

/** Everything the routes share. */
export interface EmulatorContext {
  readonly opts: ResolvedEmulatorOptions;
  readonly users: readonly DirectoryUser[];
  readonly store: MailboxStore;
  readonly limits: MailboxLimits;
  readonly tokens: TokenIssuer;
  /**
   * Mailbox states changed at run time (`POST /_emulator/users/:userRef/mailbox`), by user id: a user who
   * loses their licence mid-run, or gets it back. Wins over the directory's generated state.
   */
  readonly mailboxStates: Map<string, DirectoryUser['mailbox']>;
  /** Base URL the server listens on (for upload URLs and nextLinks). */
  url: string;
}

/** Users by lower-cased object id and UPN, built once per directory (copies make it thousands of users). */
const userIndexes = new WeakMap<readonly DirectoryUser[], ReadonlyMap<string, DirectoryUser>>();

function userIndex(users: readonly DirectoryUser[]): ReadonlyMap<string, DirectoryUser> {
  let index = userIndexes.get(users);
  if (!index) {
    const m = new Map<string, DirectoryUser>();
    for (const u of users) for (const k of [u.id.toLowerCase(), u.userPrincipalName.toLowerCase()]) if (!m.has(k)) m.set(k, u);
    userIndexes.set(users, (index = m));
  }
  return index;
}

/** Finds a user by object id or UPN, case-insensitively, as `/users/{id | userPrincipalName}` does. */
export function findUser(ctx: EmulatorContext, ref: string): DirectoryUser | undefined {
  return userIndex(ctx.users).get(ref.toLowerCase());
}

function hasRole(res: Response, ...roles: string[]): boolean {
  const granted = (res.locals.roles as readonly string[] | undefined) ?? [];
  return roles.some((r) => granted.includes(r));
}

/** Directory reads need User.Read.All (proxyAddresses is not a basic property). */
export function requireDirectoryRead(_req: Request, res: Response, next: NextFunction): void {
  if (!hasRole(res, 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All')) {
    next(new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    return;
  }
  next();
}

/**
 * Resolves `/users/{ref}/…` mail paths to a mailbox, answering as Exchange Online does for users without a
 * usable one: unknown → `ErrorInvalidUser`, unlicensed → `MailboxNotEnabledForRESTAPI`, outside the app's
 * access policy → `ErrorAccessDenied`.
 */
export function mailboxResolver(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ref = String(req.params.userRef ?? '');
    const user = findUser(ctx, ref);
    if (!user) {
      next(new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${ref}' is invalid.`));
      return;
    }
    const write = req.method !== 'GET';
    if (!hasRole(res, 'Mail.ReadWrite', ...(write ? [] : ['Mail.Read']))) {
      next(new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
      return;
    }
    const state = ctx.mailboxStates.get(user.id) ?? user.mailbox;
    if (state === 'no-mailbox') {
      next(
        new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'),
      );
      return;
    }
    if (state === 'blocked-by-policy') {
      next(
        new GraphHttpError(
          403,
          'ErrorAccessDenied',
          'Access to OData is disabled: Blocked by tenant configured AppOnly AccessPolicy settings.',
        ),
      );
      return;
    }
    const mailbox = ctx.store.get(user.id);
    if (!mailbox) {
      next(new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'REST API is not yet supported for this mailbox.'));
      return;
    }
    res.locals.mailbox = mailbox;
    next();
  };
}

export function mailboxOf(res: Response): Mailbox {
  return res.locals.mailbox as Mailbox;
}

/** `$top` / `$skip` paging with an `@odata.nextLink`, as Graph lists do. */
export function page<T>(req: Request, items: readonly T[], defaultTop: number, ctx: EmulatorContext): { value: T[]; nextLink?: string } {
  const top = Math.min(Math.max(Number(req.query.$top ?? defaultTop) || defaultTop, 1), 1000);
  const skip = Math.max(Number(req.query.$skip ?? 0) || 0, 0);
  const value = items.slice(skip, skip + top);
  if (skip + top >= items.length) return { value };
  const url = new URL(req.originalUrl, ctx.url);
  url.searchParams.set('$skip', String(skip + top));
  url.searchParams.set('$top', String(top));
  return { value, nextLink: url.toString() };
}
