import { OAuth2Authorizer } from '../../liveperson/auth/oauth2';
import { CsdsResolver } from '../../liveperson/csds';
import type { ConnectorConfig } from '../../model';
import { CLI_REQUEST_TIMEOUT_MS, livePersonAuth, livePersonClient, livePersonSettingNames } from '../clients';
import type { CliEnv } from '../io';
import { checkFileDownload } from './liveperson-files';
import { settingFix, type CheckRecorder } from './types';

const DEFAULT_CSDS = 'https://api.liveperson.net';

/**
 * LivePerson: credentials in the environment, domain lookup, OAuth token, one tiny search, the Users API, one hosted
 * file. Returns the agents' e-mail addresses (none when a step failed), from which the Graph check samples a mailbox.
 */
export async function checkLivePerson(config: ConnectorConfig, env: CliEnv, rec: CheckRecorder, now = Date.now()): Promise<string[]> {
  const lp = config.liveperson;
  const settings = livePersonSettingNames(config);
  const auth = await rec.step(
    'liveperson',
    'credentials',
    () => {
      const a = livePersonAuth(config, env);
      return Promise.resolve({ value: a, detail: `${a.kind === 'oauth2' ? settings.clientCredentials : settings.oauth1Keys} are set` });
    },
    settingFix(settings.clientCredentials),
  );
  if (!auth) return skipAfter(rec, 'credentials', 'no LivePerson credentials');

  const csds = new CsdsResolver({
    accountId: lp.accountId,
    csdsBaseUrl: lp.csdsBaseUrl ?? DEFAULT_CSDS,
    scheme: lp.serviceScheme,
    timeoutMs: CLI_REQUEST_TIMEOUT_MS,
    settings,
  });
  const hosts = await rec.step(
    'liveperson',
    'domain lookup (CSDS)',
    async () => {
      const msgHist = await csds.baseUrl('msgHist');
      const users = await csds.baseUrl('accountConfigReadOnly');
      return { value: true, detail: `account ${lp.accountId}: Messaging Interactions at ${msgHist}, Users API at ${users}` };
    },
    `check liveperson.accountId (${lp.accountId})${lp.csdsBaseUrl ? ` and liveperson.csdsBaseUrl (${lp.csdsBaseUrl})` : ''}`,
  );
  if (!hosts) return skipAfter(rec, 'domain lookup (CSDS)', 'the domain lookup failed');

  if (auth.kind === 'oauth2') {
    const token = await rec.step(
      'liveperson',
      'OAuth 2.0 token',
      async () => {
        const authorizer = new OAuth2Authorizer({
          accountId: lp.accountId,
          clientId: auth.clientId,
          clientSecret: auth.clientSecret,
          sentinelBaseUrl: () => csds.baseUrl('sentinel'),
          timeoutMs: CLI_REQUEST_TIMEOUT_MS,
          setting: settings.clientCredentials,
          accountSetting: settings.accountId,
          now: Date.now,
        });
        await authorizer.header();
        return { value: true, detail: `Sentinel issued a token to client ${auth.clientId}` };
      },
      `check ${settings.clientCredentials} (an API key of type OAuth 2.0 client credentials, for account ${lp.accountId})`,
    );
    if (!token) return skipAfter(rec, 'OAuth 2.0 token', 'no token');
  }

  const client = livePersonClient(config, env);
  const window = { from: now - 30 * 60_000, to: now - 20 * 60_000 };
  await rec.step(
    'liveperson',
    'conversation search',
    async () => {
      const page = await client.searchClosed(window, 0, 1);
      return {
        value: true,
        detail: `Messaging Interactions answered: ${page.count} conversation(s) closed between ${iso(window.from)} and ${iso(window.to)}`,
      };
    },
    'give the API key the Messaging Interactions (Engagement History) read permission',
  );
  const users = await rec.step(
    'liveperson',
    'Users API',
    async () => {
      const users = await client.listUsers();
      const withMail = users.filter((u) => u.email).length;
      return {
        value: users.filter((u) => u.email).map((u) => u.email!),
        detail: `${users.length} users, ${withMail} with an e-mail address`,
        ...(withMail === 0 ? { warn: 'no LivePerson user has an e-mail address: agents can only be routed through the mapping CSV' } : {}),
      };
    },
    'give the API key the Users (Account Configuration) read permission: agent e-mail addresses come from it',
  );
  await checkFileDownload(auth, client, lp.accountId, settings.clientCredentials, rec, now);
  return users ?? [];
}

const STEPS = ['credentials', 'domain lookup (CSDS)', 'OAuth 2.0 token', 'conversation search', 'Users API', 'file download'] as const;

/** Records the steps after `failed` as skipped, so the report always lists every step. */
function skipAfter(rec: CheckRecorder, failed: (typeof STEPS)[number], because: string): string[] {
  for (const name of STEPS.slice(STEPS.indexOf(failed) + 1)) rec.skip('liveperson', name, because);
  return [];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
