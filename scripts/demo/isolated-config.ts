import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort } from '../lib/ports';
import type { StackConfig } from '../lib/stack-config';

/** A stack config plus the throw-away folder its data lives in. */
export interface IsolatedStack {
  readonly config: StackConfig;
  /** Temporary folder holding the SQLite file and Azurite's data; remove it when done. */
  readonly dataDir: string;
}

/**
 * The same stack as `config`, but on free ports and with its SQLite file and Azurite data in a new temporary
 * folder, so `demo --check` starts from nothing every time and can run beside a developer's stack.
 */
export async function isolatedStackConfig(config: StackConfig): Promise<IsolatedStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-archive-demo-check-'));
  const ports: number[] = [];
  // Distinct ports: findFreePort releases each port at once, so ask until six different ones came back.
  while (ports.length < 6) {
    const p = await findFreePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const [temporal, ui, azurite, lp, graph, metrics] = ports as [number, number, number, number, number, number];
  return {
    dataDir,
    config: {
      ...config,
      temporal: { ...config.temporal, port: temporal, uiPort: ui, dbFile: path.join(dataDir, 'temporal.sqlite') },
      azurite: { ...config.azurite, port: azurite, location: path.join(dataDir, 'azurite') },
      emulators: {
        liveperson: { ...config.emulators.liveperson, port: lp },
        graph: { ...config.emulators.graph, port: graph },
      },
      worker: { ...config.worker, metricsPort: metrics },
      // The check needs no sign-in: no dev identity provider and no console (their fixed ports stay free).
      console: undefined,
    },
  };
}
