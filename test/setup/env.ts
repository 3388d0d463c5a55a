/**
 * Environment variables through which the jest global setup publishes its services to test files.
 * Set them yourself (e.g. to a running `npm run stack`) and the setup reuses them instead of starting its own.
 */
export const TEST_ENV = {
  /** `host:port` of a Temporal frontend with the LP search attributes registered. */
  temporalAddress: 'TEMPORAL_TEST_ADDRESS',
  /** Namespace on that server; default `default`. */
  temporalNamespace: 'TEMPORAL_TEST_NAMESPACE',
  /** Connection string of an Azure Blob (Azurite) account. */
  azuriteConnectionString: 'AZURITE_CONNECTION_STRING',
} as const;
