import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendRequest } from '../../src/graph/send-request';

interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A server that records each request and answers as `reply` says for its path. */
async function server(reply: (path: string, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      reply(req.url ?? '', res);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

describe('sendRequest: a Graph call through undici request()', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server((path, res) => {
      if (path === '/created') {
        res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7', 'set-cookie': ['a=1', 'b=2'] });
        res.end(JSON.stringify({ id: 'AAMk1', createdDateTime: '2026-12-04T10:00:00Z' }));
      } else if (path === '/gone') {
        res.writeHead(204);
        res.end();
      } else if (path === '/moved') {
        res.writeHead(302, { location: '/created' });
        res.end();
      } else if (path === '/trickle') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"part":');
        setTimeout(() => res.end('"two"}'), 300);
      } else if (path === '/slow') {
        setTimeout(() => res.end('late'), 2_000);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  afterAll(() => s.close());

  it('sends the method, the headers in any of fetch’s forms and the body bytes unchanged', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const view = new Uint8Array(Buffer.from('xxABCxx')).subarray(2, 5);
    await sendRequest(`${s.base}/created`, { method: 'post', headers: new Headers({ 'X-One': '1' }), body: bytes });
    await sendRequest(`${s.base}/created`, { method: 'PUT', headers: [['X-Two', '2']], body: view });
    await sendRequest(`${s.base}/created`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"é":1}' });
    await sendRequest(`${s.base}/created`, { method: 'POST', body: new Uint8Array([9, 8]).buffer });

    expect(s.seen.map((x) => x.method)).toEqual(['POST', 'PUT', 'PATCH', 'POST']);
    expect(s.seen[0]?.body).toEqual(bytes);
    expect(s.seen[0]?.headers['x-one']).toBe('1');
    expect(s.seen[1]?.body.toString()).toBe('ABC');
    expect(s.seen[1]?.headers['x-two']).toBe('2');
    expect(s.seen[2]?.body.toString('utf8')).toBe('{"é":1}');
    expect(s.seen[2]?.headers['content-type']).toBe('application/json');
    expect([...(s.seen[3]?.body ?? [])]).toEqual([9, 8]);
  });

  it('hands the answer back as a fetch Response: status, headers (repeated ones too) and body', async () => {
    const r = await sendRequest(`${s.base}/created`, { method: 'POST', body: '{}' });

    expect(r.status).toBe(201);
    expect(r.ok).toBe(true);
    expect(r.statusText).toBe('Created');
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await r.json()).toEqual({ id: 'AAMk1', createdDateTime: '2026-12-04T10:00:00Z' });
  });

  it('returns only once the whole answer has arrived (the mailbox permit is held until then)', async () => {
    const t0 = Date.now();
    const r = await sendRequest(`${s.base}/trickle`);
    const waited = Date.now() - t0;

    expect(waited).toBeGreaterThanOrEqual(250);
    expect(await r.json()).toEqual({ part: 'two' });
  });

  it('gives a 204 an empty body and does not follow a redirect', async () => {
    const gone = await sendRequest(`${s.base}/gone`, { method: 'DELETE' });
    const moved = await sendRequest(`${s.base}/moved`);

    expect(gone.status).toBe(204);
    expect(gone.body).toBeNull();
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe('/created');
  });

  it('gives up when its signal says so, with the signal’s reason', async () => {
    const failure = await sendRequest(`${s.base}/slow`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);

    expect((failure as Error).name).toBe('TimeoutError');
  });

  it('refuses a body it cannot send as it is, naming what to send', async () => {
    await expect(sendRequest(`${s.base}/created`, { method: 'POST', body: { json: true } })).rejects.toThrow(
      /unsupported kind \(\[object Object\]\): send a string or bytes/,
    );
  });
});
