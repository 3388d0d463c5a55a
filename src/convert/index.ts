export { conversationToEml, archiveMessageId, X_LP_HEADERS, DEFAULT_MESSAGE_ID_DOMAIN } from './to-eml';
export type { ConversationToEmlOptions, ConvertedItem, XLpHeader } from './to-eml';
export { parseArchiveItem } from './parse-item';
export type { ArchiveItemView, ArchiveAddress, ArchiveAttachment } from './parse-item';
export { ConvertError, ArchiveItemParseError, CONVERT_ERROR_CODES } from './errors';
export type { ConvertErrorCode } from './errors';
