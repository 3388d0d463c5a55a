import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as LezerPromql from '@prometheus-io/lezer-promql' with { 'resolution-mode': 'require' };
import { parse as parseYaml } from 'yaml';

// The package is ESM with a CommonJS build; TypeScript (node16, CommonJS here) only lets us require it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as typeof LezerPromql;

const ROOT = path.resolve(__dirname, '../..');
export const ALERT_RULES_FILE = path.join(ROOT, 'deploy', 'prometheus', 'lp-archive-alerts.yaml');
export const DASHBOARD_FILE = path.join(ROOT, 'deploy', 'grafana', 'lp-archive.json');

/** One alerting rule as written in the rules file. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Every rule of every group of the alert rules file. */
export function alertRules(): AlertRule[] {
  const doc = parseYaml(fs.readFileSync(ALERT_RULES_FILE, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

/** A PromQL expression of the dashboard and where it is. */
export interface DashboardQuery {
  readonly where: string;
  readonly expr: string;
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** The dashboard's panel queries (rows included); template variables' `label_values(metric, label)` become `metric`. */
export function dashboardQueries(): DashboardQuery[] {
  const dash = JSON.parse(fs.readFileSync(DASHBOARD_FILE, 'utf8')) as {
    panels: Panel[];
    templating?: { list: { name: string; query?: string | { query?: string } }[] };
  };
  const out: DashboardQuery[] = [];
  const walk = (panels: readonly Panel[]): void => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ where: `panel "${p.title ?? '?'}"`, expr: t.expr });
      walk(p.panels ?? []);
    }
  };
  walk(dash.panels);
  for (const v of dash.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    const metric = q ? /^label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(q)?.[1] : undefined;
    if (metric) out.push({ where: `variable "${v.name}"`, expr: metric });
  }
  return out;
}

/**
 * The metric names a PromQL expression selects, from Prometheus's own grammar (lezer-promql). Grafana's
 * `$variable` placeholders are replaced by a regex first, as Grafana does before it sends the query.
 *
 * @throws Error naming the position of a syntax error
 */
export function metricNamesIn(expr: string): string[] {
  const promql = expr.replace(/\$\{?\w+\}?/g, '.*');
  const tree = parser.parse(promql);
  const names: string[] = [];
  let error: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) error ??= node.from;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.push(promql.slice(node.from, node.to));
    },
  });
  if (error !== undefined) throw new Error(`PromQL syntax error at ${error} in: ${expr}`);
  return names;
}

/** The sample names of a Prometheus text exposition (`name{labels} value`), e.g. `x_bucket` for a histogram. */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{|\s)/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}
