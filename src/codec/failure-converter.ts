/**
 * Loaded by path (DataConverter.failureConverterPath) in the client and inside the workflow bundle, so it
 * imports only @temporalio/common. With encryption on, failure messages and stack traces go into the
 * failure's encoded attributes, which the payload codec encrypts: an error that quotes an address or a
 * subject is not plain text in history.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
