import { LpArchiveError } from '../model/errors';

/** Why a conversation could not become an archive item, or a sealed item could not be read back. */
export const CONVERT_ERROR_CODES = [
  /** A field the message cannot be built without is missing or unusable (ids, times). */
  'INVALID_CONVERSATION',
  /** An option given by the caller (e.g. `messageIdDomain`) is unusable. */
  'INVALID_OPTION',
  /** The source record cannot be serialised to JSON (cycle, BigInt). */
  'UNSERIALISABLE_SOURCE',
] as const;
export type ConvertErrorCode = (typeof CONVERT_ERROR_CODES)[number];

/** A conversation that cannot be converted; the message names the field and what to do. */
export class ConvertError extends LpArchiveError {
  readonly kind = 'item';
  constructor(
    readonly code: ConvertErrorCode,
    readonly conversationId: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A sealed archive item that does not parse back into what `conversationToEml` writes. */
export class ArchiveItemParseError extends LpArchiveError {
  readonly kind = 'unexpected';
  constructor(
    /** The header or part that is missing or broken, e.g. `Message-ID`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
