/**
 * Time stamps for the transcript. Built from `formatToParts` rather than a locale string so the text does
 * not change with the ICU version of the Node build (golden files compare byte for byte).
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-11-25 14:20:05 UTC` */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/** `2026-11-25 14:20 UTC`, for the subject. */
export function formatUtcMinutes(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

// Creating a DateTimeFormat costs far more than using one; conversations share few zones.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'shortOffset',
      });
    } catch {
      f = null; // not an IANA zone this Node knows
    }
    if (formatters.size > 1000) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/** `2026-11-25 15:20:05 GMT+1` in the zone, or undefined when the zone is unknown. */
export function formatInZone(ms: number, timeZone: string): string | undefined {
  const f = formatterFor(timeZone);
  if (f === null) return undefined;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const { year = '', month = '', day = '', hour = '', minute = '', second = '', timeZoneName = '' } = parts;
  return `${year}-${month}-${day} ${hour}:${minute}:${second} ${timeZoneName}`;
}
