/**
 * The small part of OData `$filter` the importer uses. Anything else is refused with the error Graph gives,
 * so a client that drifts from the supported queries fails here first, not on a real tenant.
 */

export type UserFilterClause =
  | { readonly kind: 'eq'; readonly property: 'mail' | 'userPrincipalName' | 'id' | 'displayName'; readonly value: string }
  | { readonly kind: 'startswith'; readonly property: 'mail' | 'userPrincipalName' | 'displayName'; readonly value: string }
  | { readonly kind: 'proxyAddress'; readonly value: string };

export type MessageFilter =
  | { readonly kind: 'extendedProperty'; readonly propertyId: string; readonly value: string }
  | { readonly kind: 'internetMessageId'; readonly value: string };

export class FilterError extends Error {}

const STRING = String.raw`'((?:[^']|'')*)'`;
const unquote = (s: string): string => s.replace(/''/g, "'");

/** Splits on a keyword (` or `) that is outside string literals and parentheses. */
function splitTopLevel(text: string, keyword: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  const lower = text.toLowerCase();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      if (inString && text[i + 1] === "'") {
        i++;
        continue;
      }
      inString = !inString;
    } else if (!inString && c === '(') depth++;
    else if (!inString && c === ')') depth--;
    else if (!inString && depth === 0 && lower.startsWith(keyword, i)) {
      parts.push(text.slice(start, i));
      start = i + keyword.length;
      i += keyword.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

const USER_EQ = new RegExp(String.raw`^(mail|userPrincipalName|id|displayName)\s+eq\s+${STRING}$`, 'i');
const USER_STARTS = new RegExp(String.raw`^startswith\(\s*(mail|userPrincipalName|displayName)\s*,\s*${STRING}\s*\)$`, 'i');
const USER_PROXY = new RegExp(String.raw`^proxyAddresses/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+${STRING}\s*\)$`, 'i');

const canonicalUserProperty = (p: string): 'mail' | 'userPrincipalName' | 'id' | 'displayName' => {
  const lower = p.toLowerCase();
  if (lower === 'userprincipalname') return 'userPrincipalName';
  if (lower === 'displayname') return 'displayName';
  return lower === 'id' ? 'id' : 'mail';
};

/** `mail eq '…'`, `userPrincipalName eq '…'`, `proxyAddresses/any(p:p eq '…')`, `startswith(…)`, joined by `or`. */
export function parseUserFilter(filter: string): UserFilterClause[] {
  return splitTopLevel(filter.trim(), ' or ').map((clause) => {
    let m = USER_EQ.exec(clause);
    if (m) return { kind: 'eq', property: canonicalUserProperty(m[1] ?? ''), value: unquote(m[2] ?? '') };
    m = USER_STARTS.exec(clause);
    if (m) return { kind: 'startswith', property: canonicalUserProperty(m[1] ?? '') as 'mail', value: unquote(m[2] ?? '') };
    m = USER_PROXY.exec(clause);
    if (m && m[1] === m[2]) return { kind: 'proxyAddress', value: unquote(m[3] ?? '') };
    throw new FilterError(`Unsupported or invalid query filter clause specified for property '${clause}' of resource 'User'.`);
  });
}

const EXT_PROP = new RegExp(
  String.raw`^singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*(\w+)/id\s+eq\s+${STRING}\s+and\s+(\w+)/value\s+eq\s+${STRING}\s*\)$`,
  'i',
);
const MSG_ID = new RegExp(String.raw`^internetMessageId\s+eq\s+${STRING}$`, 'i');

export function parseMessageFilter(filter: string): MessageFilter {
  const text = filter.trim();
  const m = EXT_PROP.exec(text);
  if (m && m[1] === m[2] && m[1] === m[4]) {
    return { kind: 'extendedProperty', propertyId: unquote(m[3] ?? ''), value: unquote(m[5] ?? '') };
  }
  const id = MSG_ID.exec(text);
  if (id) return { kind: 'internetMessageId', value: unquote(id[1] ?? '') };
  throw new FilterError(
    `Invalid filter clause: '${text}' is not supported by the emulator (supported: singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…'), internetMessageId eq '…').`,
  );
}

const DISPLAY_NAME = new RegExp(String.raw`^displayName\s+eq\s+${STRING}$`, 'i');

export function parseFolderFilter(filter: string): { readonly displayName: string } {
  const m = DISPLAY_NAME.exec(filter.trim());
  if (!m) throw new FilterError(`Invalid filter clause: '${filter}' is not supported by the emulator (supported: displayName eq '…').`);
  return { displayName: unquote(m[1] ?? '') };
}

/** `$select=a,b` as a list; undefined when absent. */
export function parseSelect(select: unknown): string[] | undefined {
  if (typeof select !== 'string' || select.trim() === '') return undefined;
  return select
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Keeps only the selected properties (case-insensitive names, as Graph does), plus `id`. */
export function project(obj: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (!select) return obj;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (wanted.has(k.toLowerCase()) || k === 'id' || k.startsWith('@odata')) out[k] = v;
  }
  return out;
}

/**
 * Normalises an extended property id for comparison: the type and GUID are case-insensitive, the `Name`
 * part is case-sensitive, tags compare as numbers.
 */
export function normalisePropertyId(id: string): string {
  const named = /^(\w+)\s+\{([0-9a-f-]{36})\}\s+Name\s+(.+)$/i.exec(id.trim());
  if (named) return `${(named[1] ?? '').toLowerCase()} {${(named[2] ?? '').toLowerCase()}} Name ${named[3] ?? ''}`;
  const numbered = /^(\w+)\s+\{([0-9a-f-]{36})\}\s+Id\s+(0x[0-9a-f]+|\d+)$/i.exec(id.trim());
  if (numbered) return `${(numbered[1] ?? '').toLowerCase()} {${(numbered[2] ?? '').toLowerCase()}} Id ${Number(numbered[3])}`;
  const tag = /^(\w+)\s+(0x[0-9a-f]{1,4})$/i.exec(id.trim());
  if (tag) return `${(tag[1] ?? '').toLowerCase()} ${Number(tag[2])}`;
  throw new FilterError(`The extended property id '${id}' is not valid.`);
}
