import * as fs from 'node:fs';
import { LP_METRIC_NAMES } from '../../src/observability';
import { alertRules, dashboardQueries, DASHBOARD_FILE, metricNamesIn } from '../support/monitoring-files';

/** Our metric names, and the SDK's (Temporal's core exports them with this prefix). */
const known = (name: string): boolean => (Object.values(LP_METRIC_NAMES) as string[]).includes(name) || /^temporal_\w+$/.test(name);

describe('alert rules (deploy/prometheus/lp-archive-alerts.yaml)', () => {
  const rules = alertRules();

  it('alerts on each condition of the production guide', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(
      [
        'LpArchiveConnectorFailing',
        'LpArchiveConnectorLagHigh',
        'LpArchiveConnectorNeedsCredentials',
        'LpArchiveConnectorStalled',
        'LpArchiveConnectorThrottled',
        'LpArchiveDayIncomplete',
        'LpArchiveFailedItemsRising',
        'LpArchiveNoWorkerPolling',
        'LpArchiveWorkerNotReady',
      ].sort(),
    );
  });

  it.each(rules.map((r) => [r.alert, r] as const))(
    '%s parses as PromQL, names only exported metrics, and says what to do',
    (_name, rule) => {
      const names = metricNamesIn(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !known(n))).toEqual([]);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect((rule.annotations?.description ?? '').length).toBeGreaterThan(60);
    },
  );

  it('reads connector state through max by (connector): every worker exports the same gauges', () => {
    for (const r of rules.filter((x) => x.expr.includes(LP_METRIC_NAMES.connectorState))) expect(r.expr).toMatch(/max by \(connector\)/);
  });
});

describe('Grafana dashboard (deploy/grafana/lp-archive.json)', () => {
  const dash = JSON.parse(fs.readFileSync(DASHBOARD_FILE, 'utf8')) as {
    uid: string;
    panels: { id: number; datasource?: { uid?: string } }[];
  };

  it('has unique panel ids and takes its Prometheus from a variable, not a hard-coded data source', () => {
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dash.panels) if (p.datasource) expect(p.datasource.uid).toBe('${datasource}');
  });

  it('queries parse as PromQL and name only exported metrics', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    const unknown = queries.flatMap((q) =>
      metricNamesIn(q.expr)
        .filter((n) => !known(n))
        .map((n) => `${n} in ${q.where}`),
    );
    expect(unknown).toEqual([]);
  });

  it('finds a syntax error when there is one (the parser is not lenient)', () => {
    expect(() => metricNamesIn('sum by (connector (lp_worker_ready)')).toThrow(/PromQL syntax error/);
  });
});
