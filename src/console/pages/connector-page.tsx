import type { ConnectorDetail } from '../connector-data';
import type { ConsoleUser } from '../roles';
import { Layout, StateLabel, formatLag, formatTime } from './layout';

/** Operator actions offered for each connector state (a stopped workflow takes no signal). */
const ACTIONS = [
  { verb: 'pause', label: 'Pause' },
  { verb: 'resume', label: 'Resume' },
  { verb: 'run-now', label: 'Run now' },
] as const;

function ActionForm(props: { name: string; csrf: string; verb: string; label: string; children?: React.ReactNode }) {
  return (
    <form method="post" action={`/connectors/${encodeURIComponent(props.name)}/actions/${props.verb}`}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
      <button className="action" type="submit" data-action={props.verb}>
        {props.label}
      </button>
    </form>
  );
}

/** One connector: status, actions (operators), the day log with Download log, recent failures, unmapped participants. */
export function ConnectorPage(props: { user: ConsoleUser; csrf: string; detail: ConnectorDetail; flash?: string; error?: string }) {
  const { detail: d, user } = props;
  const o = d.overview;
  const name = o.name;
  const running = o.workflowStatus === 'RUNNING';
  return (
    <Layout title={name} user={user} csrf={props.csrf}>
      <p className="muted">
        <a href="/">Connectors</a> / {name}
      </p>
      <h1>
        {name} <StateLabel state={o.state} />
      </h1>
      {props.flash ? (
        <div className="flash" role="status">
          {props.flash}
        </div>
      ) : null}
      {props.error ? (
        <div className="error" role="alert">
          {props.error}
        </div>
      ) : null}
      <table>
        <tbody>
          <tr>
            <th>Workflow</th>
            <td>{o.workflowStatus}</td>
          </tr>
          <tr>
            <th>Archived up to</th>
            <td data-testid="cursor">{formatTime(o.cursor)}</td>
          </tr>
          <tr>
            <th>Lag</th>
            <td>{formatLag(o.lagSeconds)}</td>
          </tr>
          <tr>
            <th>Last import</th>
            <td>{formatTime(o.lastImport)}</td>
          </tr>
          {d.status?.lastError ? (
            <tr>
              <th>Last error</th>
              <td>{d.status.lastError}</td>
            </tr>
          ) : null}
          {o.problem ? (
            <tr>
              <th>Status</th>
              <td>{o.problem}</td>
            </tr>
          ) : null}
        </tbody>
      </table>

      {user.role === 'operator' && running ? (
        <section className="actions" data-testid="actions">
          <h2>Actions</h2>
          {ACTIONS.map((a) => (
            <ActionForm key={a.verb} name={name} csrf={props.csrf} verb={a.verb} label={a.label} />
          ))}
          <ActionForm name={name} csrf={props.csrf} verb="retry-failed" label="Retry failed items">
            <input type="hidden" name="fromDay" value={d.from} />
            <input type="hidden" name="toDay" value={d.to} />
          </ActionForm>
          <span className="muted">
            Retry covers the failed items of {d.from} to {d.to}.
          </span>
        </section>
      ) : null}

      <h2>Day log</h2>
      <form method="get" action={`/connectors/${encodeURIComponent(name)}`}>
        <label>
          From <input type="date" name="from" defaultValue={d.from} required />
        </label>{' '}
        <label>
          to <input type="date" name="to" defaultValue={d.to} required />
        </label>{' '}
        <button className="action" type="submit">
          Show
        </button>{' '}
        <button className="download" type="submit" formAction={`/connectors/${encodeURIComponent(name)}/log.csv`} data-testid="download">
          Download log
        </button>
      </form>
      <table data-testid="days">
        <thead>
          <tr>
            <th>Day (UTC)</th>
            <th>Import completed</th>
            <th>For import</th>
            <th>Imported</th>
            <th>Partial</th>
            <th>Duplicates skipped</th>
            <th>Failed</th>
            <th>External (logged)</th>
          </tr>
        </thead>
        <tbody>
          {[...d.days].reverse().map((day) => (
            <tr key={day.day}>
              <td>{day.day}</td>
              <td>{formatTime(day.completedAt)}</td>
              <td className="num">{day.counts.forImport}</td>
              <td className="num">{day.counts.imported}</td>
              <td className="num">{day.counts.partial}</td>
              <td className="num">{day.counts.skippedDuplicate}</td>
              <td className="num">{day.counts.failed}</td>
              <td className="num">{day.counts.external}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Unmapped participants ({d.unmapped.length})</h2>
      <p className="muted">
        Counted as failed, as Microsoft&apos;s log does: map them in the mapping CSV, or license their mailbox, then retry the failed items.
      </p>
      {d.unmapped.length > 0 ? (
        <table data-testid="unmapped">
          <thead>
            <tr>
              <th>Source user id</th>
              <th>Items</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {d.unmapped.map((u) => (
              <tr key={u.sourceUser}>
                <td>{u.sourceUser}</td>
                <td className="num">{u.items}</td>
                <td>{u.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>Recent failures ({d.recentFailures.length})</h2>
      {d.recentFailures.length > 0 ? (
        <table data-testid="failures">
          <thead>
            <tr>
              <th>Day</th>
              <th>Item id</th>
              <th>Source user id</th>
              <th>Microsoft 365 user id</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {d.recentFailures.map((f, i) => (
              <tr key={`${f.itemId}-${i}`}>
                <td>{f.day}</td>
                <td>{f.itemId}</td>
                <td>{f.sourceUser}</td>
                <td>{f.m365User}</td>
                <td>{f.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>None.</p>
      )}
    </Layout>
  );
}
