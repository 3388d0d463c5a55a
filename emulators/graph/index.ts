export { startGraphEmulator, type GraphEmulator } from './server';
export type { FaultConfig, GraphEmulatorOptions, OnceFault } from './types';
export { IMPORT_KEY_PROPERTY_ID } from './constants';
