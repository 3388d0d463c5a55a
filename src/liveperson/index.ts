export * from './types';
export * from './errors';
export { LivePersonClient, CONTENT_TO_RETRIEVE, MAX_PAGE_SIZE, type LivePersonClientTuning } from './client';
export { normalizeRecord, usersById, type NormalizeContext } from './normalize';
export { planQueries, ownerOf, MAX_QUERY_SPAN_MS, DEFAULT_MAX_CONVERSATION_AGE_MS, type SubQuery } from './search-plan';
export {
  downloadHostedFiles,
  hostedFileRefs,
  hostedFileContentType,
  hostedFileName,
  type HostedFileSource,
  type HostedFilesOutcome,
} from './hosted-files';
export * from './chat';
export { SOURCE_RECORD_RULES, type SourceRecordRules } from './record-rules';
