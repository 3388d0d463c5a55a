/**
 * `npx tsx bench/http-send.ts [requests]`: the CPU this process spends per Graph-create-sized POST (600 KB body, a
 * small JSON answer) and per 3 MB GET, sent with fetch() and with sendRequest (undici request()). The server is a
 * child process, so only the client's CPU is counted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { sendRequest } from '../src/graph/send-request';
import { formatTable } from './lib/table';

const SERVER = `
const big = Buffer.alloc(3_000_000, 'b');
const s = require('node:http').createServer((req, res) => {
  req.on('data', () => {}).on('end', () => {
    if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(big); return; }
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end('{"id":"AAMk1","createdDateTime":"2026-12-04T10:00:00Z"}');
  });
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;

type Send = (url: string, init: { method: string; body?: Buffer; headers?: Record<string, string> }) => Promise<Response>;

async function cpuPerCall(n: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await call(); // warm up
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(server.stdout, 'data')) as [Buffer];
  const base = `http://127.0.0.1:${line.toString().trim()}`;
  const body = Buffer.alloc(600_000, 'a');
  const senders: [string, Send][] = [
    ['fetch()', (url, init) => fetch(url, init)],
    ['sendRequest (undici request())', sendRequest],
  ];
  const rows = [];
  for (const round of [1, 2]) {
    for (const [name, send] of senders) {
      const post = await cpuPerCall(n, async () => {
        const r = await send(`${base}/v1.0/users/u/messages`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        await r.json();
      });
      const get = await cpuPerCall(Math.ceil(n / 3), async () => (await send(`${base}/x`, { method: 'GET' })).arrayBuffer());
      rows.push({
        metric: `${name}, round ${round}: CPU ms per 600 KB POST / per 3 MB GET`,
        value: `${post.toFixed(2)} / ${get.toFixed(2)}`,
      });
    }
  }
  server.kill();
  console.log(`command: npx tsx bench/http-send.ts ${n}`);
  console.log(formatTable(rows));
}

void main();
