export * from './types';
export * from './constants';
export * from './errors';
export { GraphMailClient, odataString, type FoundUser, type ImportOutcome } from './client';
export { MailboxResolver, type MailboxDirectory, type MailboxResolverOptions, type ResolverParticipant } from './resolve-mailbox';
export { MappingCsvError, parseMappingCsv, type MappingRow } from './mapping-csv';
export { createTokenSource, type TokenSource } from './token';
export { MailboxLimiter } from './mailbox-limiter';
