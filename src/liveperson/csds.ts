import { z } from 'zod';
import { LivePersonAccountError, type LivePersonService, type LivePersonSettingNames } from './errors';
import { parseJson, requestError, send, throttleError } from './http';

/** CSDS service names this client uses. */
export const CSDS_SERVICE_NAMES = ['msgHist', 'engHistDomain', 'sentinel', 'accountConfigReadOnly', 'swift', 'fms'] as const;
export type CsdsServiceName = (typeof CSDS_SERVICE_NAMES)[number];

const baseUrisSchema = z.object({
  baseURIs: z.array(z.object({ service: z.string(), baseURI: z.string().min(1) })),
});

export interface CsdsOptions {
  readonly accountId: string;
  readonly csdsBaseUrl: string;
  readonly scheme: 'https' | 'http';
  readonly timeoutMs: number;
  readonly settings: LivePersonSettingNames;
}

/**
 * Domain lookup. One call lists every service of the account; the answer is cached for the life of the
 * client, as LivePerson's SDKs do (hosts change only on account migration, and then a worker restart is fine).
 */
export class CsdsResolver {
  private hosts?: Promise<ReadonlyMap<string, string>>;

  constructor(private readonly o: CsdsOptions) {}

  /** `https://{baseURI}` of a service; throws `LivePersonAccountError` for an unknown account or a missing service. */
  async baseUrl(service: CsdsServiceName): Promise<string> {
    this.hosts ??= this.load().catch((e: unknown) => {
      this.hosts = undefined; // a failed lookup is not cached
      throw e;
    });
    const host = (await this.hosts).get(service);
    if (!host) {
      throw new LivePersonAccountError(
        `LivePerson account ${this.o.accountId} has no '${service}' service in the domain API (CSDS). The feature may not be enabled for this account; check ${this.o.settings.accountId} or ask LivePerson support to enable it`,
        { accountId: this.o.accountId, service: 'csds', setting: this.o.settings.accountId },
      );
    }
    return `${this.o.scheme}://${host.replace(/\/+$/, '')}`;
  }

  private async load(): Promise<ReadonlyMap<string, string>> {
    const acct = encodeURIComponent(this.o.accountId);
    const url = `${this.o.csdsBaseUrl.replace(/\/+$/, '')}/api/account/${acct}/service/baseURI.json?version=1.0`;
    const ctx = { accountId: this.o.accountId, service: 'csds' as LivePersonService, what: 'the domain lookup' };
    const answer = await send({ method: 'GET', url, headers: { Accept: 'application/json' }, timeoutMs: this.o.timeoutMs }, ctx);
    const throttled = throttleError(answer, ctx);
    if (throttled) throw throttled;
    if (answer.status === 404 || answer.status === 401 || answer.status === 403) {
      throw new LivePersonAccountError(
        `LivePerson does not know account ${this.o.accountId} (domain API answered HTTP ${answer.status}). Fix ${this.o.settings.accountId} in the worker's environment`,
        { accountId: this.o.accountId, service: 'csds', status: answer.status, setting: this.o.settings.accountId },
      );
    }
    if (answer.status !== 200) throw requestError(answer, ctx);
    const parsed = baseUrisSchema.safeParse(parseJson(answer, ctx));
    if (!parsed.success) {
      throw new LivePersonAccountError(
        `The LivePerson domain API returned no service list for account ${this.o.accountId}; check ${this.o.settings.accountId}`,
        { accountId: this.o.accountId, service: 'csds', status: answer.status, setting: this.o.settings.accountId },
      );
    }
    return new Map(parsed.data.baseURIs.map((b) => [b.service, b.baseURI]));
  }
}
