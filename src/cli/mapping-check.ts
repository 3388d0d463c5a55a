import { parse } from 'csv-parse/sync';
import { MappingCsvError, parseMappingCsv } from '../graph/mapping-csv';

/** The mapping CSV columns (same as src/graph/mapping-csv.ts reads). */
export const MAPPING_COLUMNS = ['lpUser', 'm365User'] as const;

/** A template operators fill in: LivePerson user (agent id, login name or e-mail) → Microsoft 365 user (UPN or object id). */
export const MAPPING_TEMPLATE = [
  '# lp-archive mapping CSV: one LivePerson user per line, tried before the directory lookup by e-mail.',
  '# lpUser: LivePerson agent id, login name or e-mail. m365User: user principal name or Entra object id.',
  '# Lines starting with # are comments.',
  'lpUser,m365User',
  '1000000,ava.adams@contoso.com',
  'jane.doe,jane.doe@contoso.com',
  'night-shift@contoso-bpo.example,7f1c2a44-2b0e-4c55-9a1e-5d3f0c8b9e21',
].join('\n');

export interface MappingIssue {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

export interface MappingReport {
  /** Usable mapping rows. */
  readonly rows: number;
  /** Each makes the worker refuse the file (or misfile records): must be fixed. */
  readonly errors: readonly MappingIssue[];
  /** Harmless but probably unintended. */
  readonly warnings: readonly MappingIssue[];
}

const UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a mapping CSV and reports every bad row with its line (the worker's parser stops at the first).
 * Whatever passes here is also accepted by the worker's `parseMappingCsv`.
 */
export function checkMappingCsv(text: string): MappingReport {
  const errors: MappingIssue[] = [];
  const warnings: MappingIssue[] = [];
  const records = parse(text, {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    comment: '#',
    info: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (err) errors.push({ line: Number(err.lines) || 1, message: `not valid CSV: ${err.message}. Fix the quoting of this line.` });
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...rows] = records;
  if (!head)
    return {
      rows: 0,
      errors: errors.length > 0 ? errors : [{ line: 1, message: 'the file is empty. Fix: start with the header lpUser,m365User.' }],
      warnings,
    };
  const lower = head.record.map((h) => h.toLowerCase());
  const [lpIdx, m365Idx] = MAPPING_COLUMNS.map((c) => lower.indexOf(c.toLowerCase())) as [number, number];
  if (lpIdx < 0 || m365Idx < 0) {
    errors.push({
      line: head.info.lines,
      message: `the header is "${head.record.join(',')}". Fix: the first line must name the columns lpUser and m365User.`,
    });
    return { rows: 0, errors, warnings };
  }
  const seen = new Map<string, { m365User: string; line: number }>();
  let usable = 0;
  for (const { record, info } of rows) {
    const line = info.lines;
    const lpUser = record[lpIdx] ?? '';
    const m365User = record[m365Idx] ?? '';
    if (lpUser === '' || m365User === '') {
      errors.push({ line, message: `empty ${lpUser === '' ? 'lpUser' : 'm365User'}. Fix: fill both columns or delete the line.` });
      continue;
    }
    if (!UPN.test(m365User) && !OBJECT_ID.test(m365User)) {
      errors.push({
        line,
        message: `m365User "${m365User}" is neither a user principal name (name@domain) nor an Entra object id. Fix the value.`,
      });
      continue;
    }
    const key = lpUser.toLowerCase();
    const prior = seen.get(key);
    if (prior && prior.m365User.toLowerCase() !== m365User.toLowerCase()) {
      errors.push({
        line,
        message: `"${lpUser}" is already mapped to "${prior.m365User}" on line ${prior.line}, here to "${m365User}". Fix: keep one (either choice could misfile records).`,
      });
      continue;
    }
    if (prior) {
      warnings.push({ line, message: `"${lpUser}" repeats line ${prior.line} (same user); the line can go.` });
      continue;
    }
    seen.set(key, { m365User, line });
    usable++;
  }
  if (errors.length === 0) {
    try {
      parseMappingCsv(text); // the worker's own reader must agree
    } catch (err) {
      if (!(err instanceof MappingCsvError)) throw err;
      errors.push({ line: err.line ?? 1, message: err.message });
    }
  }
  if (errors.length === 0 && usable === 0)
    warnings.push({ line: head.info.lines, message: 'the file maps nobody: only the directory lookup by e-mail will be used.' });
  return { rows: usable, errors: errors.sort((a, b) => a.line - b.line), warnings };
}
