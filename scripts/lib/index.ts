/** Reusable helpers for the local stack, the test harness and CI. */
export * from './errors';
export * from './paths';
export * from './ports';
export * from './process';
export * from './wait';
export * from './temporal-cli';
export * from './go-tool';
export * from './helm';
export * from './toxiproxy';
export * from './temporal-server';
export * from './azurite';
export * from './emulators';
export * from './stack-config';
export * from './stack';
export * from './local-ca';
