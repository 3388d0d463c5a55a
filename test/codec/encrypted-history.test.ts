import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { dataConverterFromEnv } from '../../src/codec';
import { testServices, uniqueId } from '../setup/services';
import { decodedHistoryText } from '../support/history';
import { testKey } from './keys';
import type { ProbeActivities } from './workflows/codec-probe';

type Payload = temporal.api.common.v1.IPayload;

/** Every payload anywhere in the events: inputs, results, memos, headers, failure details and encoded attributes. */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (Array.isArray(value)) for (const v of value) payloadsIn(v, found);
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const o = value as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o) found.push(o);
    else for (const v of Object.values(o)) payloadsIn(v, found);
  }
  return found;
}

const CONNECTOR = 'acme-legal-hold-connector';
const NOTE = 'conversation text: please refund order 4711';
const ADDRESS = 'jane.doe@example.com';

describe('workflow history with payload encryption on (LPA_CODEC_KEYS), on the dev server', () => {
  const env = { LPA_CODEC_KEYS: testKey('test-k1') };
  const activities: ProbeActivities = {
    shout: (text) => Promise.resolve(text.toUpperCase()),
    refuse: (text) => Promise.reject(new Error(`mailbox ${ADDRESS} refused "${text}"`)),
  };
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;

  beforeAll(async () => {
    const { temporalAddress } = testServices();
    connection = await Connection.connect({ address: temporalAddress });
    nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    client = new Client({ connection, namespace: testServices().temporalNamespace, dataConverter: dataConverterFromEnv(env) });
  });
  afterAll(async () => {
    await connection?.close();
    await nativeConnection?.close();
  });

  it('holds only ciphertext (inputs, memo, results, failure messages) while clients and workflows with the key read everything', async () => {
    const taskQueue = uniqueId('tq');
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: testServices().temporalNamespace,
      taskQueue,
      workflowsPath: require.resolve('./workflows/codec-probe'),
      activities,
      dataConverter: dataConverterFromEnv(env),
    });
    const workflowId = uniqueId('codec-probe');
    const result = await worker.runUntil(
      client.workflow.execute('codecProbe', {
        taskQueue,
        workflowId,
        args: [{ connector: CONNECTOR, note: NOTE }],
        memo: { started: NOTE },
      }),
    );

    // Decrypted for the client; the workflow itself read the activity's failure message through the codec.
    expect(result).toEqual({ echo: NOTE.toUpperCase(), failure: `mailbox ${ADDRESS} refused "${NOTE}"` });
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.memo).toEqual({ started: NOTE, connector: CONNECTOR });

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const payloads = payloadsIn(history.events);
    expect(payloads.length).toBeGreaterThanOrEqual(8);
    for (const p of payloads) {
      expect(Buffer.from(p.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(p.metadata!['encryption-key-id']!).toString()).toBe('test-k1');
    }
    const text = decodedHistoryText(history.events ?? []);
    for (const plain of [CONNECTOR, 'refund order', 'REFUND ORDER', ADDRESS, 'json/plain', env.LPA_CODEC_KEYS.split(':')[1]!]) {
      expect(text).not.toContain(plain);
    }
    expect(text).toContain('Encoded failure'); // the failure's message lives in its encrypted attributes

    // A client without the key sees ciphertext it cannot convert.
    const blind = new Client({ connection, namespace: testServices().temporalNamespace });
    await expect(blind.workflow.getHandle(workflowId).result()).rejects.toThrow(/binary\/encrypted/);
  });
});
