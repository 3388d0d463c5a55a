/** The console's client at the dev provider (its secret is a dev value, printed by the stack). */
export const DEV_CONSOLE_CLIENT = { clientId: 'lp-archive-console', clientSecret: 'lp-archive-console-dev-secret' } as const;
/** `aud` of the dev provider's access tokens, and what the local codec server and console expect. */
export const DEV_API_AUDIENCE = 'api://lp-archive';
