import * as net from 'node:net';
import { ToxiproxyServer } from '../../scripts/lib/toxiproxy';

/** Sends `text` through `address` and resolves with the echo, or with the socket's error code / 'silence'. */
function echoThrough(address: string, text: string, waitMs = 1_500): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('silence');
    }, waitMs);
    const done = (answer: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => socket.write(text));
    socket.once('data', (d) => done(d.toString()));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.once('end', () => done('closed'));
  });
}

describe('toxiproxy (the pinned server, driven over its HTTP API)', () => {
  let toxiproxy: ToxiproxyServer;
  let echo: net.Server;
  let upstream: string;

  beforeAll(async () => {
    toxiproxy = await ToxiproxyServer.start();
    // The proxy resets its own side too: the echo server sees ECONNRESET, which is expected here.
    echo = net.createServer((s) => s.on('error', () => undefined).pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    upstream = `127.0.0.1:${(echo.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await toxiproxy.stop();
    await new Promise((r) => echo.close(r));
  });

  it('passes traffic, then black-holes, resets and recovers as toxics are added and removed', async () => {
    const proxy = await toxiproxy.createProxy('echo', upstream);
    expect(proxy.listen).not.toBe(upstream);
    expect(await echoThrough(proxy.listen, 'hello')).toBe('hello');

    await toxiproxy.addToxic('echo', 'black-hole', { type: 'timeout', attributes: { timeout: 0 } }, 'upstream');
    expect(await echoThrough(proxy.listen, 'lost')).toBe('silence');
    await toxiproxy.removeToxic('echo', 'black-hole');

    await toxiproxy.addToxic('echo', 'reset', { type: 'reset_peer', attributes: { timeout: 0 } }, 'upstream');
    expect(await echoThrough(proxy.listen, 'reset')).toMatch(/ECONNRESET|closed/);
    await toxiproxy.reset();

    expect(await echoThrough(proxy.listen, 'again')).toBe('again');
    await toxiproxy.removeToxic('echo', 'never-added');
  });
});
