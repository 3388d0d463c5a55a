import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PortInUseError } from '../../scripts/lib/errors';
import { assertPortFree, findFreePort, isPortFree, listenPortRange } from '../../scripts/lib/ports';

/** Holds a port the way another program would. */
async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('port checks of the local stack', () => {
  it('assertPortFree names the taken port, the service, how to find the process and the setting to change', async () => {
    const holder = await occupy();
    try {
      const attempt = assertPortFree(holder.port, 'Temporal frontend', { configKey: 'temporal.port' });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(
        `Port ${holder.port} (Temporal frontend) is already in use by another process. ` +
          `Stop it (e.g. \`lsof -i :${holder.port}\`) or change \`temporal.port\` in temporal-dev.yaml.`,
      );
      await expect(attempt).rejects.toMatchObject({ port: holder.port, what: 'Temporal frontend', configKey: 'temporal.port' });
    } finally {
      await holder.close();
    }
  });

  it('assertPortFree passes for a free port and leaves it free', async () => {
    const port = await findFreePort();
    await expect(assertPortFree(port, 'Azurite blob')).resolves.toBeUndefined();
    expect(await isPortFree(port)).toBe(true);
  });

  it('isPortFree is false while another process holds the port', async () => {
    const holder = await occupy();
    try {
      expect(await isPortFree(holder.port)).toBe(false);
    } finally {
      await holder.close();
    }
  });

  describe('free ports for listeners', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-ports-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    let files = 0;
    function rangeFile(text: string): string {
      const file = path.join(dir, `ip_local_port_range-${++files}`);
      fs.writeFileSync(file, text);
      return file;
    }

    it('lie below the ports the OS gives outgoing connections', () => {
      expect(listenPortRange(rangeFile('32768\t60999\n'))).toEqual({ low: 15000, high: 32767 });
      expect(listenPortRange(rangeFile('40000 65000\n'))).toEqual({ low: 15000, high: 39999 });
    });

    it('come from the OS when that range is unknown or leaves no room below it', () => {
      expect(listenPortRange(path.join(os.tmpdir(), 'lpa-no-such-range-file'))).toBeUndefined();
      expect(listenPortRange(rangeFile('15500 60999\n'))).toBeUndefined();
      expect(listenPortRange(rangeFile('garbage\n'))).toBeUndefined();
    });

    it('findFreePort hands out a bindable port outside the ephemeral range of this machine', async () => {
      const range = listenPortRange();
      const ports = await Promise.all(Array.from({ length: 20 }, () => findFreePort()));
      for (const port of ports) {
        if (range) {
          expect(port).toBeGreaterThanOrEqual(range.low);
          expect(port).toBeLessThanOrEqual(range.high);
        }
        expect(await isPortFree(port)).toBe(true);
      }
    });
  });
});
