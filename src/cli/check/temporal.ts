import { SEARCH_ATTRIBUTE_FLAGS } from '../../model';
import { connectClient, type TemporalOverrides } from '../temporal-client';
import type { CliEnv } from '../io';
import type { CheckRecorder } from './types';

/** Temporal: the server answers, our search attributes are registered, a worker polls the task queue. */
export async function checkTemporal(overrides: TemporalOverrides, env: CliEnv, rec: CheckRecorder): Promise<void> {
  const c = await rec.step(
    'temporal',
    'server',
    async () => {
      const conn = await connectClient(overrides, env);
      return { value: conn, detail: `${conn.address}, namespace ${conn.namespace}` };
    },
    'start the local stack (npm run stack writes .stack/env, which this command reads), pass --env-file <file>, or set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (or --address / --namespace)',
  );
  if (!c) {
    rec.skip('temporal', 'search attributes', 'Temporal is not reachable');
    rec.skip('temporal', 'worker', 'Temporal is not reachable');
    return;
  }
  try {
    await rec.step(
      'temporal',
      'search attributes',
      async () => {
        const r = await c.client.connection.operatorService.listSearchAttributes({ namespace: c.namespace });
        const have = new Set(Object.keys(r.customAttributes ?? {}));
        const missing = SEARCH_ATTRIBUTE_FLAGS.filter((f) => !have.has(f.split('=')[0] ?? ''));
        if (missing.length > 0) {
          const err = new Error(`namespace ${c.namespace} lacks ${missing.map((m) => m.split('=')[0]).join(', ')}`) as Error & {
            fix: string;
          };
          err.fix = missing
            .map(
              (m) =>
                `temporal operator search-attribute create --namespace ${c.namespace} --name ${m.split('=')[0]} --type ${m.split('=')[1]}`,
            )
            .join('; ');
          throw err;
        }
        return { value: true, detail: SEARCH_ATTRIBUTE_FLAGS.join(', ') };
      },
      'register the search attributes with `temporal operator search-attribute create`',
    );
    await rec.step(
      'temporal',
      'worker',
      async () => {
        const r = await c.client.workflowService.describeTaskQueue({
          namespace: c.namespace,
          // Type unspecified = the workflow task queue (the server's default), where every worker polls.
          taskQueue: { name: c.taskQueue },
        });
        const pollers = r.pollers?.length ?? 0;
        return {
          value: pollers,
          detail: `${pollers} worker(s) polling task queue ${c.taskQueue}`,
          ...(pollers === 0
            ? { warn: `start a worker (npm run worker) with LPA_TASK_QUEUE=${c.taskQueue}; connectors wait until one runs` }
            : {}),
        };
      },
      'check the task queue name (LPA_TASK_QUEUE / --task-queue)',
    );
  } finally {
    await c.close();
  }
}
