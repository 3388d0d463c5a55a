import type { Command } from 'commander';
import { CONNECTOR_STATES, LP_CONNECTOR_STATE, type ConnectorState } from '../../model';
import { SIGNAL_VERBS } from '../connector-control';
import { controlOutcome, type ConnectorNow, type ControlVerb } from '../control-outcome';
import { findRunningConnector, readStatus, type ConnectorHandle } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { CliError } from '../errors';
import { println } from '../io';
import { withClient, type ConnectedClient } from '../temporal-client';
import { isoTime, timeFormatOf, timeFormatter, type FormatTime } from '../time-format';

export { SIGNAL_VERBS } from '../connector-control';

/** How long a control command waits for the status query before it goes by the search attribute alone. */
const STATE_QUERY_TIMEOUT_MS = 5_000;

/** The connector's state, from its status query (with the window in progress), else from its search attribute. */
async function connectorNow(c: ConnectedClient, found: ConnectorHandle, time: FormatTime): Promise<ConnectorNow> {
  try {
    const s = await readStatus(c, found.name, STATE_QUERY_TIMEOUT_MS, found);
    return { state: s.state, inWindow: s.currentWindow !== undefined, cursor: time(s.cursor) };
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    const state = found.description.typedSearchAttributes.get(LP_CONNECTOR_STATE);
    return (CONNECTOR_STATES as readonly string[]).includes(state ?? '') ? { state: state as ConnectorState } : {};
  }
}

/** `connector pause|resume|stop|run-now <name>`: says what will really happen in the connector's state, then does it. */
export function registerConnectorSignals(connector: Command, ctx: CliContext): void {
  for (const [verb, v] of Object.entries(SIGNAL_VERBS) as [ControlVerb, (typeof SIGNAL_VERBS)[ControlVerb]][]) {
    connector
      .command(verb)
      .argument('<name>', 'connector name')
      .description(v.description)
      .action(async (name: string, _opts: unknown, cmd: Command) => {
        const format = outputFormat(cmd, ['text', 'json']);
        // JSON answers keep ISO 8601 UTC; text follows --time-format.
        const time = format === 'json' ? isoTime : timeFormatter(timeFormatOf(cmd, ctx.io.env), ctx.io.env);
        await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
          const found = await findRunningConnector(c, name);
          const now = await connectorNow(c, found, time);
          const outcome = controlOutcome(verb, name, now);
          if (outcome.send) await found.handle.signal(v.signal);
          if (!outcome.ok) ctx.exitCode = 1;
          const line = `Connector "${name}" ${outcome.effect}`;
          if (format === 'json') {
            println(
              ctx.io.stdout,
              JSON.stringify(
                {
                  ok: outcome.ok,
                  connector: name,
                  workflowId: found.handle.workflowId,
                  verb,
                  state: now.state ?? null,
                  sent: outcome.send,
                  effect: line,
                },
                null,
                2,
              ),
            );
          } else
            println(outcome.ok ? ctx.io.stdout : ctx.io.stderr, outcome.send ? `Sent ${verb}. ${line}` : `Did not send ${verb}. ${line}`);
        });
      });
  }
}
