/** Error types an activity raises that no retry can fix: the connector waits for an operator. */
export const CONFIG_ERROR_TYPES = [
  'LivePersonAuthError',
  // A credential without a scope an API needs (Engagement History's data.services.enghist): an operator adds it.
  'LivePersonScopeError',
  'LivePersonAccountError',
  'GraphConfigError',
  'MissingSecretError',
  'ConfigError',
] as const;
export type ConfigErrorType = (typeof CONFIG_ERROR_TYPES)[number];
