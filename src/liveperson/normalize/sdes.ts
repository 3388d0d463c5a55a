import { asEmail, asList, cleanBool, cleanNumber, cleanText, isObject, parseLpTime } from './lenient';

/** What PERSONAL_INFO SDEs say about the consumer: the newest e-mail and name. */
export interface PersonalInfo {
  readonly email?: string;
  readonly name?: string;
}

/**
 * Reads PERSONAL_INFO events of an `sdes` / `unAuthSdes` section. The wrapping is not uniform (a second
 * `personalInfo` level, or flat), the e-mail sits in `contacts[].personalContact.email` or directly in `email`,
 * and events are not sorted; the newest event with an address wins.
 */
export function personalInfo(sdes: unknown, wantAuthenticated: boolean): PersonalInfo {
  const events = isObject(sdes) ? asList(sdes.events) : asList(sdes);
  let best: { at: number; email?: string; name?: string } | undefined;
  let bestName: string | undefined;
  for (const [i, ev] of events.entries()) {
    if (!isObject(ev) || cleanText(ev.sdeType) !== 'PERSONAL_INFO') continue;
    // Events inside `unAuthSdes` carry isAuthenticated:false; an event marked so never counts as authenticated.
    if (wantAuthenticated && cleanBool(ev.isAuthenticated) === false) continue;
    const outer = isObject(ev.personalInfo) ? ev.personalInfo : {};
    const inner = isObject(outer.personalInfo) ? outer.personalInfo : outer;
    const at = timestamp(ev.serverTimeStamp) ?? timestamp(outer.serverTimeStamp) ?? i;
    const email = contactEmail(inner) ?? asEmail(inner.email) ?? asEmail(outer.email);
    const first = cleanText(inner.name);
    const last = cleanText(inner.surname);
    const name = [first, last].filter(Boolean).join(' ') || undefined;
    if (name) bestName = name;
    if (email && (!best || at >= best.at)) best = { at, email, name };
  }
  return { ...(best?.email ? { email: best.email } : {}), ...((best?.name ?? bestName) ? { name: best?.name ?? bestName } : {}) };
}

function contactEmail(info: Record<string, unknown>): string | undefined {
  for (const c of asList(info.contacts)) {
    if (!isObject(c)) continue;
    const pc = isObject(c.personalContact) ? c.personalContact : c;
    const e = asEmail(pc.email);
    if (e) return e;
  }
  return undefined;
}

function timestamp(v: unknown): number | undefined {
  return cleanNumber(v) ?? parseLpTime(v);
}
