import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes: opaque values only (never personal data: they bypass the payload codec).
 * The local stack registers them; in production run `temporal operator search-attribute create` once.
 */
export const LP_CONNECTOR_NAME = defineSearchAttributeKey('LpConnectorName', SearchAttributeType.KEYWORD);
export const LP_CONNECTOR_STATE = defineSearchAttributeKey('LpConnectorState', SearchAttributeType.KEYWORD);
export const LP_CURSOR_TIME = defineSearchAttributeKey('LpCursorTime', SearchAttributeType.DATETIME);

export const SEARCH_ATTRIBUTE_FLAGS = ['LpConnectorName=Keyword', 'LpConnectorState=Keyword', 'LpCursorTime=Datetime'] as const;
