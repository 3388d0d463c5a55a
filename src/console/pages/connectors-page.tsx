import type { ConnectorOverview } from '../connector-data';
import type { ConsoleUser } from '../roles';
import { Layout, StateLabel, formatLag, formatTime } from './layout';

/** The list of connectors: state, last import, lag and today's counts. */
export function ConnectorsPage(props: { user: ConsoleUser; csrf: string; connectors: readonly ConnectorOverview[] }) {
  return (
    <Layout title="Connectors" user={props.user} csrf={props.csrf}>
      <h1>Connectors</h1>
      {props.connectors.length === 0 ? (
        <p>
          No connectors yet. Start one with <code>npm run starter -- connector start &lt;config-file&gt;</code>.
        </p>
      ) : (
        <table data-testid="connectors">
          <thead>
            <tr>
              <th>Connector</th>
              <th>State</th>
              <th>Last import</th>
              <th>Archived up to</th>
              <th>Lag</th>
              <th>Today: for import</th>
              <th>imported</th>
              <th>failed</th>
            </tr>
          </thead>
          <tbody>
            {props.connectors.map((c) => (
              <tr key={c.name} data-connector={c.name}>
                <td>
                  <a href={`/connectors/${encodeURIComponent(c.name)}`}>{c.name}</a>
                </td>
                <td>
                  <StateLabel state={c.state} />
                  {c.workflowStatus !== 'RUNNING' ? <span className="muted"> ({c.workflowStatus.toLowerCase()})</span> : null}
                  {c.problem ? <div className="muted">{c.problem}</div> : null}
                </td>
                <td>{formatTime(c.lastImport)}</td>
                <td>{formatTime(c.cursor)}</td>
                <td className="num">{formatLag(c.lagSeconds)}</td>
                <td className="num">{c.today?.forImport ?? 0}</td>
                <td className="num">{c.today?.imported ?? 0}</td>
                <td className="num">{c.today?.failed ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
