import type { z } from 'zod';
import { fieldAt, keyOf, type ConfigField } from './config-fields';

/** Edit distance, for "did you mean" (keys are short: the quadratic table is fine). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known key nearest to a mistyped one, when it is near enough to be what was meant. */
export function nearestKey(typed: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = key.toLowerCase() === typed.toLowerCase() ? 0 : editDistance(typed, key);
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.key : undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function example(field: ConfigField | undefined): string {
  if (!field) return '';
  if (field.values) return ` (one of: ${field.values.join(', ')})`;
  return field.doc?.example !== undefined ? `, e.g. ${keyOf(field)}: ${field.doc.example}` : '';
}

function expected(field: ConfigField | undefined): string {
  return field?.doc ? ` ${field.doc.description.replace(/\.$/, '')}` : '';
}

/**
 * One line for one zod issue: the field, what is wrong, and the fix — "did you mean" for a mistyped key, what
 * the field is and an example for a missing or wrong one.
 */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const at = issue.path.join('.') || '(file)';
  if (issue.code === 'unrecognized_keys') {
    const known = (fieldAt(issue.path)?.fields ?? []).map(keyOf);
    return issue.keys.map((key) => {
      const where = issue.path.length > 0 ? `${at}.${key}` : key;
      const near = nearestKey(key, known);
      return near ? `${where}: unknown key; did you mean ${near}?` : `${where}: unknown key; the keys allowed here are ${known.join(', ')}`;
    });
  }
  const field = fieldAt(issue.path);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && valueAt(input, issue.path) === undefined) {
    return [`${at}: is required:${expected(field) || ' see docs/configuration.md'}${example(field)}`];
  }
  if (issue.code === 'invalid_type') {
    const got = JSON.stringify(valueAt(input, issue.path)) ?? String(valueAt(input, issue.path));
    return [
      `${at}: expected ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}, got ${got}.${expected(field)}${example(field)}`,
    ];
  }
  if (issue.code === 'invalid_value' && field?.values) {
    return [`${at}: expected one of ${field.values.join(', ')}, got ${JSON.stringify(valueAt(input, issue.path))}`];
  }
  return [`${at}: ${issue.message}`];
}
