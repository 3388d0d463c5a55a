export { connectorWorkflow } from './connector-workflow';
export type { ConnectorWorkflowInput, CarriedState } from './connector-workflow';
export { reimportWorkflow } from './reimport-workflow';
export { retentionCleanupWorkflow } from './cleanup-workflow';
export type { RetentionCleanupInput, RetentionCleanupResult } from './cleanup-workflow';
