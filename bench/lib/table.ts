/** One result line: what was measured, the value, the target (if any) and whether it was met. */
export interface Row {
  readonly metric: string;
  readonly value: string;
  readonly target?: string;
  /** undefined: no target. */
  readonly ok?: boolean;
}

/** A plain-text table (fits a terminal and a closing note). */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.metric, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'met' : 'MISSED']);
  const head = ['metric', 'value', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The q-quantile (0..1) of the samples, by linear interpolation. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
