import { parse } from 'csv-parse/sync';
import { LpArchiveError } from '../model/errors';

/** One row of the mapping CSV: a LivePerson user (agent id, login name or e-mail) → a Microsoft 365 user. */
export interface MappingRow {
  readonly lpUser: string;
  readonly m365User: string;
  /** 1-based line in the CSV file, for messages. */
  readonly line: number;
}

/** The mapping CSV is unusable; names the line and the fix. Thrown at start, never mid-run. */
export class MappingCsvError extends LpArchiveError {
  readonly kind = 'configuration';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const COLUMNS = ['lpUser', 'm365User'] as const;

/**
 * Parses the mapping CSV (header `lpUser,m365User`, header names case-insensitive). Keys are compared
 * case-insensitively; a key mapped twice to different users is refused, since either choice could misfile
 * records.
 */
export function parseMappingCsv(text: string): ReadonlyMap<string, MappingRow> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      comment: '#',
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new MappingCsvError(
      `The mapping CSV cannot be parsed: ${err instanceof Error ? err.message : String(err)}. Fix: save it as plain CSV with the header lpUser,m365User.`,
    );
  }
  const [first, ...rows] = records;
  if (!first) return new Map();
  const header = first.record;
  const index = COLUMNS.map((c) => header.findIndex((h) => h.toLowerCase() === c.toLowerCase()));
  const [lpIdx, m365Idx] = index as [number, number];
  if (lpIdx < 0 || m365Idx < 0) {
    throw new MappingCsvError(
      `The mapping CSV header is '${header.join(',')}'. Fix: the first line must name the columns lpUser and m365User.`,
      first.info.lines,
    );
  }
  const out = new Map<string, MappingRow>();
  rows.forEach(({ record: cells, info }) => {
    const line = info.lines;
    const lpUser = cells[lpIdx] ?? '';
    const m365User = cells[m365Idx] ?? '';
    if (lpUser === '' || m365User === '') {
      throw new MappingCsvError(
        `Mapping CSV line ${line} has an empty ${lpUser === '' ? 'lpUser' : 'm365User'}. Fix: fill both columns or delete the line.`,
        line,
      );
    }
    const key = lpUser.toLowerCase();
    const prior = out.get(key);
    if (prior && prior.m365User.toLowerCase() !== m365User.toLowerCase()) {
      throw new MappingCsvError(
        `Mapping CSV maps '${lpUser}' twice: to '${prior.m365User}' on line ${prior.line} and to '${m365User}' on line ${line}. Fix: keep one.`,
        line,
      );
    }
    if (!prior) out.set(key, { lpUser, m365User, line });
  });
  return out;
}
