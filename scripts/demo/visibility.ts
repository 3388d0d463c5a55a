import type { Client } from '@temporalio/client';

/** The visibility query that finds a connector's workflow runs by name (a custom search attribute). */
export function connectorQuery(name: string): string {
  return `LpConnectorName="${name}"`;
}

/** Web UI link listing the connector's workflow: the UI keeps a visibility query in `?query=`. */
export function webUiWorkflowsLink(uiUrl: string, namespace: string, name: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(connectorQuery(name))}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Workflow ids that visibility lists for the connector. Visibility is eventually consistent, so an empty
 * answer is asked again a few times.
 */
export async function listConnectorWorkflows(client: Client, name: string, attempts = 10): Promise<string[]> {
  for (let i = 0; ; i++) {
    const ids = new Set<string>();
    for await (const wf of client.workflow.list({ query: connectorQuery(name) })) ids.add(wf.workflowId);
    if (ids.size > 0 || i + 1 >= attempts) return [...ids];
    await sleep(500);
  }
}

/**
 * The same query through the Web UI server's HTTP API (what the UI page itself calls), proving the workflow is
 * visible there. Returns why it could not ask instead of throwing.
 */
export async function listConnectorWorkflowsInUi(uiUrl: string, namespace: string, name: string): Promise<string[] | string> {
  const url = `${uiUrl}/api/v1/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(connectorQuery(name))}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return `GET ${url} answered ${res.status}`;
    const body = (await res.json()) as { executions?: { execution?: { workflowId?: string } }[] };
    return [...new Set((body.executions ?? []).flatMap((e) => (e.execution?.workflowId ? [e.execution.workflowId] : [])))];
  } catch (err) {
    return `GET ${url} failed: ${(err as Error).message}`;
  }
}
