import { isAllowed, principalOf } from '../auth/principal';
import type { ConsoleSettings } from './settings';

/** What a signed-in user may do: operators act and read; readers (the compliance officer) read and download. */
export type ConsoleRole = 'operator' | 'reader';

/** The signed-in user as the session keeps it (no token: the console calls no API as the user). */
export interface ConsoleUser {
  readonly name: string;
  readonly username: string;
  /** Undefined: signed in, but in no allowed group (every page answers 403). */
  readonly role?: ConsoleRole;
}

/** The user and role of verified ID token claims. */
export function consoleUserOf(
  claims: Readonly<Record<string, unknown>>,
  settings: Pick<ConsoleSettings, 'claims' | 'operators' | 'readers'>,
): ConsoleUser {
  const principal = principalOf(claims, settings.claims);
  const role: ConsoleRole | undefined = isAllowed(principal, settings.operators)
    ? 'operator'
    : isAllowed(principal, settings.readers)
      ? 'reader'
      : undefined;
  const name = typeof claims.name === 'string' ? claims.name : principal.display;
  return { name, username: principal.display, ...(role ? { role } : {}) };
}
