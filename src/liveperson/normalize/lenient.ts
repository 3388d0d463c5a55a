import { z } from 'zod';

/**
 * Lenient readers for MI fields. LivePerson leaves unknown values out, but also writes the literal strings
 * "undefined" and "null", sends numbers as strings now and then, and uses singular and plural section names.
 */

const MISSING = new Set(['', 'undefined', 'null', 'NaN']);

export function cleanText(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return MISSING.has(t) ? undefined : v;
}

export function cleanNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function cleanBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** zod field types built on the readers above: never fail, yield undefined when missing. */
export const text = z.unknown().transform(cleanText).optional();
export const num = z.unknown().transform(cleanNumber).optional();
export const bool = z.unknown().transform(cleanBool).optional();

/** `2016-08-29 14:30:24.565+0000` (LivePerson's string time) → epoch ms. */
export function parseLpTime(v: unknown): number | undefined {
  const s = cleanText(v);
  if (!s) return undefined;
  const iso = s
    .trim()
    .replace(' ', 'T')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `xL` epoch field with the string field `x` as fallback. */
export function timeOf(o: Record<string, unknown>, key: string): number | undefined {
  const l = cleanNumber(o[`${key}L`]);
  if (l !== undefined && l > 0) return l;
  return parseLpTime(o[key]);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A section as a list: arrays as they are, a lone object as a one-item list, anything else as empty. */
export function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return [v];
  return [];
}

/** The first present of several section names (plural first: that is what the real API sends). */
export function section(record: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (record[n] !== undefined && record[n] !== null) return record[n];
  return undefined;
}

/** A pragmatic e-mail check: one @, a dot in the domain, no spaces. Rejects "n/a", "undefined", phone numbers. */
export function asEmail(v: unknown): string | undefined {
  const s = cleanText(v)?.trim();
  return s && /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(s) ? s : undefined;
}

/** Parses a JSON string field (rich content, quick replies); objects pass through; undefined when unreadable. */
export function jsonField(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}
