import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLpMetrics, LP_METRIC_NAMES, observeThrottling, serviceOf } from '../../src/observability';
import { RecordingMeter } from './recording-meter';

/** Answers each path with the status and Retry-After given in the query (`?status=429&after=2`). */
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const after = q.get('after');
    res.writeHead(Number(q.get('status') ?? 200), after ? { 'Retry-After': after } : {});
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('throttle observer (Node fetch diagnostics)', () => {
  it('counts 429/503 answers by service and adds up the Retry-After waits in whole seconds', async () => {
    const meter = new RecordingMeter();
    const stop = observeThrottling(createLpMetrics(meter));
    try {
      await fetch(`${base}/v1.0/users/u1/messages?status=429&after=2`);
      await fetch(`${base}/messaging_history/api/account/123/conversations/search?status=429&after=1`);
      await fetch(`${base}/messaging_history/api/account/123/conversations/search?status=503&after=0.5`);
      await fetch(`${base}/messaging_history/api/account/123/conversations/search?status=503&after=0.5`);
      await fetch(`${base}/v1.0/users/u1/messages?status=503`);
      await fetch(`${base}/v1.0/users/u1/messages?status=200`);
      await fetch(`${base}/devstoreaccount1/container?status=503&after=9`);
    } finally {
      stop();
    }
    expect(meter.sum(LP_METRIC_NAMES.throttledResponses, { service: 'graph', status: '429' })).toBe(1);
    expect(meter.sum(LP_METRIC_NAMES.throttledResponses, { service: 'graph', status: '503' })).toBe(1);
    expect(meter.sum(LP_METRIC_NAMES.throttledResponses, { service: 'liveperson' })).toBe(3);
    expect(meter.sum(LP_METRIC_NAMES.throttleWaitSeconds, { service: 'graph' })).toBe(2);
    // 1 s + 0.5 s + 0.5 s: the half seconds are carried, not lost.
    expect(meter.sum(LP_METRIC_NAMES.throttleWaitSeconds, { service: 'liveperson' })).toBe(2);
    // Neither service: not ours to count.
    expect(meter.records.filter((r) => r.tags.service === undefined)).toEqual([]);
  });

  it('stops counting once unsubscribed', async () => {
    const meter = new RecordingMeter();
    observeThrottling(createLpMetrics(meter))();
    await fetch(`${base}/v1.0/users/u1/messages?status=429&after=2`);
    expect(meter.records).toEqual([]);
  });

  it('tells the services apart by host, or by path on localhost emulators', () => {
    expect(serviceOf('https://graph.microsoft.com', '/v1.0/users')).toBe('graph');
    expect(serviceOf('https://login.microsoftonline.com', '/t/oauth2/v2.0/token')).toBe('graph');
    expect(serviceOf('https://va.msghist.liveperson.net', '/messaging_history/api/account/1/conversations/search')).toBe('liveperson');
    expect(serviceOf('http://127.0.0.1:1', '/sentinel/api/account/1/app/token')).toBe('liveperson');
    expect(serviceOf('http://127.0.0.1:1', '/api/account/1/configuration/le-users/users')).toBe('liveperson');
    expect(serviceOf('http://127.0.0.1:1', '/upload/AttachmentSessions/abc')).toBe('graph');
    expect(serviceOf('http://127.0.0.1:10000', '/devstoreaccount1/raw')).toBeUndefined();
  });
});
