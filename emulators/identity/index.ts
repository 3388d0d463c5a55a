export { DEV_API_AUDIENCE, DEV_CONSOLE_CLIENT } from './constants';
export { startIdentityProvider, type IdentityProvider, type IdentityProviderOptions } from './server';
export { DEV_GROUPS, DEV_USERS, findDevUser, type DevUser } from './users';
export type { DevClient } from './provider';
