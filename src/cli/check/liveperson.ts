import { OAuth2Authorizer } from '../../liveperson/auth/oauth2';
import { ENGAGEMENT_HISTORY_SCOPE, EngagementHistoryClient } from '../../liveperson/chat';
import { CsdsResolver } from '../../liveperson/csds';
import type { ConnectorConfig } from '../../model';
import { CLI_REQUEST_TIMEOUT_MS, livePersonAuth, livePersonClient, livePersonSettingNames } from '../clients';
import type { CliEnv } from '../io';
import { checkFileDownload } from './liveperson-files';
import { settingFix, type CheckRecorder } from './types';

const DEFAULT_CSDS = 'https://api.liveperson.net';

/**
 * LivePerson: credentials in the environment, domain lookup, OAuth token, one tiny search (and one of legacy chats when
 * the connector collects them), the Users API, one hosted file. Returns the agents' e-mail addresses (none when a step failed), from which the Graph check samples a mailbox.
 */
export async function checkLivePerson(config: ConnectorConfig, env: CliEnv, rec: CheckRecorder, now = Date.now()): Promise<string[]> {
  const lp = config.liveperson;
  const settings = livePersonSettingNames(config);
  const skipAfter = (failed: Step, because: string): string[] => skipStepsAfter(rec, stepsOf(config), failed, because);
  const auth = await rec.step(
    'liveperson',
    'credentials',
    () => {
      const a = livePersonAuth(config, env);
      return Promise.resolve({ value: a, detail: `${a.kind === 'oauth2' ? settings.clientCredentials : settings.oauth1Keys} are set` });
    },
    settingFix(settings.clientCredentials),
  );
  if (!auth) return skipAfter('credentials', 'no LivePerson credentials');

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
  if (!hosts) return skipAfter('domain lookup (CSDS)', 'the domain lookup failed');

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
    if (!token) return skipAfter('OAuth 2.0 token', 'no token');
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
  if (lp.sources.includes('chat')) {
    await rec.step(
      'liveperson',
      'legacy chat search',
      async () => {
        const chats = new EngagementHistoryClient(client, { maxChatDurationMs: lp.maxChatDurationMs });
        const page = await chats.searchClosed(window, 0, 1);
        return {
          value: true,
          detail: `Engagement History answered: ${page.count} chat(s) around ${iso(window.from)} to ${iso(window.to)} (liveperson.sources names chat)`,
        };
      },
      auth.kind === 'oauth2'
        ? `add the scope ${ENGAGEMENT_HISTORY_SCOPE} to the OAuth app installation of ${settings.clientCredentials} and reinstall it, or drop chat from liveperson.sources`
        : 'give the API key the Engagement History read permission, or drop chat from liveperson.sources',
    );
  }
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

const STEPS = [
  'credentials',
  'domain lookup (CSDS)',
  'OAuth 2.0 token',
  'conversation search',
  'legacy chat search',
  'Users API',
  'file download',
] as const;
type Step = (typeof STEPS)[number];

/** The steps this connector's check runs (the chat search only when it collects chats). */
function stepsOf(config: ConnectorConfig): Step[] {
  return STEPS.filter((s) => s !== 'legacy chat search' || config.liveperson.sources.includes('chat'));
}

/** Records the steps after `failed` as skipped, so the report always lists every step. */
function skipStepsAfter(rec: CheckRecorder, steps: readonly Step[], failed: Step, because: string): string[] {
  for (const name of steps.slice(steps.indexOf(failed) + 1)) rec.skip('liveperson', name, because);
  return [];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
