import type { FaultRunReport } from './scenario';

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The faults injected and whether the run survived them, then every check, as Markdown tables. */
export function formatFaultReport(r: FaultRunReport, command: string): string {
  const survived = r.passed ? 'yes' : 'NO';
  const t = r.finalStatus?.totals;
  return [
    `Fault run, seed ${r.seed} (${command}): ${r.passed ? 'PASSED' : 'FAILED'} in ${Math.round(r.elapsedMs / 1000)} s`,
    '',
    table(
      ['fault', 'injected', 'survived'],
      r.faults.map((f) => [f.fault, f.injected, survived]),
    ),
    '',
    t
      ? `connector totals: ${t.fromSource} from source, ${t.forImport} for import, ${t.imported} imported, ${t.partial} partial, ${t.skippedDuplicate} duplicates, ${t.failed} failed; ${r.finalStatus?.windowsDone} windows, ${r.finalStatus?.runsSoFar} runs`
      : '',
    '',
    table(
      ['check', 'result', 'detail'],
      r.verdicts.map((v) => [v.check, v.pass ? 'pass' : 'FAIL', v.detail]),
    ),
  ].join('\n');
}
