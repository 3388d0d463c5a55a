import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { sendRequest } from '../send-request';
import { contextUrl } from './http';

/**
 * The last middleware of our chain, in place of the SDK's HTTPMessageHandler (fetch): see sendRequest. It returns
 * once the whole answer has arrived, which the throttle middleware's mailbox permits rely on.
 */
export class UndiciHandler implements Middleware {
  async execute(context: Context): Promise<void> {
    context.response = await sendRequest(contextUrl(context), context.options ?? {});
  }
}
