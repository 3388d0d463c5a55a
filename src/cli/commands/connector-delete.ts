import type { Command } from 'commander';
import { cleanupScheduleId, connectorWorkflowId } from '../../model';
import { stopSignal } from '../../workflows/messages';
import { deleteCleanupSchedule } from '../cleanup-schedule';
import { findConnector } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { ConnectorNotFoundError } from '../errors';
import { println } from '../io';
import { withClient, type ConnectedClient } from '../temporal-client';

const KEPT =
  'No archived data was deleted: sealed items, manifests and logs stay in blob storage, and imported items stay in the mailboxes.';

/** `connector delete <name>`: stop the connector if it runs and delete its cleanup schedule; archived data stays. */
export function registerConnectorDelete(connector: Command, ctx: CliContext): void {
  connector
    .command('delete')
    .argument('<name>', 'connector name')
    .description(
      'Stop a connector (after its current window) and delete its retention cleanup schedule. It never deletes archived data: ' +
        'sealed items, manifests and logs stay in blob storage (no cleanup runs for them any more) and imported items stay in the mailboxes. ' +
        '"connector start <config>" brings it back, from its cursor',
    )
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const stop = await stopIfRunning(c, name);
        const scheduleDeleted = await deleteCleanupSchedule(c.client, name);
        if (stop === 'not-found' && !scheduleDeleted) throw new ConnectorNotFoundError(name, connectorWorkflowId(name), c.namespace);
        if (format === 'json') {
          println(
            ctx.io.stdout,
            JSON.stringify(
              { connector: name, stop, scheduleId: cleanupScheduleId(name), scheduleDeleted, archivedDataDeleted: false },
              null,
              2,
            ),
          );
          return;
        }
        const stopped =
          stop === 'sent'
            ? 'stop sent (it completes after its current window)'
            : stop === 'not-running'
              ? 'was not running'
              : 'has no workflow';
        const schedule = scheduleDeleted
          ? `retention cleanup schedule ${cleanupScheduleId(name)} deleted`
          : `no retention cleanup schedule to delete`;
        println(ctx.io.stdout, `Deleted connector "${name}": ${stopped}; ${schedule}. ${KEPT}`);
      });
    });
}

async function stopIfRunning(c: ConnectedClient, name: string): Promise<'sent' | 'not-running' | 'not-found'> {
  try {
    const { handle, description } = await findConnector(c, name);
    if (description.status.name !== 'RUNNING') return 'not-running';
    await handle.signal(stopSignal);
    return 'sent';
  } catch (err) {
    if (err instanceof ConnectorNotFoundError) return 'not-found';
    throw err;
  }
}
