import { Connection } from '@temporalio/client';
import { BlobServiceClient } from '@azure/storage-blob';
import { startExtraTemporalServer, testServices, uniqueId } from './services';

/** The custom search attributes with their server-side enum values (Keyword = 2, Datetime = 5). */
async function customSearchAttributes(address: string, namespace: string): Promise<Record<string, unknown>> {
  const connection = await Connection.connect({ address });
  try {
    const response = await connection.operatorService.listSearchAttributes({ namespace });
    return { ...response.customAttributes };
  } finally {
    await connection.close();
  }
}

describe('test harness services (global setup)', () => {
  it('publishes a Temporal dev server with the connector search attributes registered', async () => {
    const { temporalAddress, temporalNamespace } = testServices();
    const attributes = await customSearchAttributes(temporalAddress, temporalNamespace);
    expect(Object.keys(attributes)).toEqual(expect.arrayContaining(['LpConnectorName', 'LpConnectorState', 'LpCursorTime']));
  });

  it('publishes an Azurite blob service that accepts container writes', async () => {
    const service = BlobServiceClient.fromConnectionString(testServices().azuriteConnectionString);
    const container = service.getContainerClient(uniqueId('harness'));
    await container.create();
    expect(await container.exists()).toBe(true);
    await container.delete();
  });

  it('starts an extra private dev server (e.g. with a low continue-as-new threshold) and stops it', async () => {
    const server = await startExtraTemporalServer({ suggestContinueAsNewAfterEvents: 40 });
    try {
      expect(server.address).not.toBe(testServices().temporalAddress);
      const attributes = await customSearchAttributes(server.address, server.namespace);
      expect(Object.keys(attributes)).toContain('LpConnectorName');
    } finally {
      await server.stop();
    }
    expect(server.process.exitInfo()).toBeDefined();
  });

  it('gives unique lowercase ids usable as container prefixes', () => {
    const a = uniqueId('t');
    expect(a).toMatch(/^t[0-9a-f]{10}$/);
    expect(uniqueId('t')).not.toBe(a);
  });
});
