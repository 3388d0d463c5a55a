/** What the global setup started, handed to the global teardown (both run in jest's main context). */
export interface StartedService {
  readonly name: string;
  stop(): Promise<void>;
}

const KEY = Symbol.for('lp-archive.test.started-services');

type WithServices = typeof globalThis & { [KEY]?: StartedService[] };

export function setStartedServices(services: StartedService[]): void {
  (globalThis as WithServices)[KEY] = services;
}

export function takeStartedServices(): StartedService[] {
  const g = globalThis as WithServices;
  const services = g[KEY] ?? [];
  delete g[KEY];
  return services;
}
