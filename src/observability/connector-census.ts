import type { Client } from '@temporalio/client';
import { CONNECTOR_STATES, LP_CONNECTOR_NAME, LP_CONNECTOR_STATE, LP_CURSOR_TIME, type ConnectorState } from '../model';
import type { LpMetrics } from './metrics';

/** Running connector workflows; the task queue is matched on the answers (no quoting of names in the query). */
export const RUNNING_CONNECTORS_QUERY = "WorkflowType = 'connectorWorkflow' AND ExecutionStatus = 'Running'";

/** One connector as visibility shows it. */
export interface CensusEntry {
  readonly connector: string;
  readonly state?: ConnectorState;
  readonly cursorMs?: number;
}

/** Options of {@link ConnectorCensus}. */
export interface ConnectorCensusOptions {
  readonly client: Pick<Client, 'workflow'>;
  /** Only connectors whose workflows run on this task queue (the ones this pool of workers serves). */
  readonly taskQueue: string;
  readonly metrics: Pick<LpMetrics, 'connectorState' | 'cursor'>;
  readonly intervalMs: number;
  /** Says when reading visibility fails, and when it works again. */
  readonly warn?: (message: string) => void;
  readonly info?: (message: string) => void;
}

const isState = (v: string | undefined): v is ConnectorState => (CONNECTOR_STATES as readonly (string | undefined)[]).includes(v);

/**
 * Every `intervalMs`, reads the state and cursor of every running connector from Temporal visibility (the
 * search attributes the workflow keeps: `LpConnectorState`, `LpCursorTime`) and sets the
 * `lp_connector_state` and `lp_connector_cursor_timestamp_seconds` gauges.
 *
 * Why visibility and not the workflow or the activities: a connector's workflow moves between workers, and a
 * gauge a worker set last stays on its endpoint after the connector has left it; every worker reading the same
 * source exports the same values, so alerts take `max by (connector)` and a stale value never fires one. A
 * connector that stops (or is deleted) gets 0 on every state; its cursor gauge keeps its last value, which the
 * alerts join with a state of 1.
 */
export class ConnectorCensus {
  private timer: NodeJS.Timeout | undefined;
  private known = new Set<string>();
  private failing = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ConnectorCensusOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
    void this.refresh();
  }

  /** Stops the timer and waits for a read in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One read and update (no overlap with a read in progress); failures are logged, never thrown. */
  refresh(): Promise<void> {
    this.running ??= this.readAndSet().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The running connectors of this task queue, newest run per workflow id. */
  async read(): Promise<CensusEntry[]> {
    const latest = new Map<string, { start: number; entry: CensusEntry }>();
    for await (const w of this.options.client.workflow.list({ query: RUNNING_CONNECTORS_QUERY })) {
      if (w.taskQueue !== this.options.taskQueue) continue;
      const connector = w.typedSearchAttributes.get(LP_CONNECTOR_NAME);
      if (connector === undefined) continue;
      const state = w.typedSearchAttributes.get(LP_CONNECTOR_STATE);
      const cursor = w.typedSearchAttributes.get(LP_CURSOR_TIME);
      const entry: CensusEntry = {
        connector,
        ...(isState(state) ? { state } : {}),
        ...(cursor ? { cursorMs: cursor.getTime() } : {}),
      };
      const prior = latest.get(w.workflowId);
      if (!prior || prior.start < w.startTime.getTime()) latest.set(w.workflowId, { start: w.startTime.getTime(), entry });
    }
    return [...latest.values()].map((v) => v.entry);
  }

  private async readAndSet(): Promise<void> {
    let entries: CensusEntry[];
    try {
      entries = await this.read();
    } catch (err) {
      if (!this.failing)
        this.options.warn?.(
          `Cannot read the connectors' state from Temporal visibility (${err instanceof Error ? err.message : String(err)}): ` +
            'the lp_connector_state and lp_connector_cursor_timestamp_seconds gauges keep their last values until it works again; ' +
            'check that the search attributes LpConnectorName, LpConnectorState and LpCursorTime are registered in the namespace.',
        );
      this.failing = true;
      return;
    }
    if (this.failing) this.options.info?.('Reading the connectors’ state from Temporal visibility works again');
    this.failing = false;
    const seen = new Set<string>();
    for (const e of entries) {
      seen.add(e.connector);
      this.options.metrics.connectorState(e.connector, e.state);
      if (e.cursorMs !== undefined) this.options.metrics.cursor(e.connector, e.cursorMs);
    }
    for (const gone of this.known) if (!seen.has(gone)) this.options.metrics.connectorState(gone, undefined);
    this.known = seen;
  }
}
