import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenSource } from '../token';
import { rethrowTyped } from './failure-sink';
import { setHeader } from './http';

/**
 * Always sets `Authorization: Bearer …`. The SDK's own AuthenticationHandler attaches the token only for
 * https Graph hosts, so it would send none to a local emulator; this one behaves the same everywhere.
 * On a 401 it refreshes the token once and resends: a token revoked or expired early.
 */
export class BearerAuthMiddleware implements Middleware {
  private nextMiddleware: Middleware | undefined;

  constructor(private readonly tokens: TokenSource) {}

  async execute(context: Context): Promise<void> {
    if (!this.nextMiddleware) throw new Error('BearerAuthMiddleware needs a next middleware.');
    setHeader(context, 'Authorization', `Bearer ${await this.token(context)}`);
    await this.nextMiddleware.execute(context);
    if (context.response?.status === 401) {
      this.tokens.invalidate();
      setHeader(context, 'Authorization', `Bearer ${await this.token(context)}`);
      await this.nextMiddleware.execute(context);
    }
  }

  private async token(context: Context): Promise<string> {
    try {
      return await this.tokens.getToken();
    } catch (err) {
      rethrowTyped(context, err);
    }
  }

  setNext(next: Middleware): void {
    this.nextMiddleware = next;
  }
}
