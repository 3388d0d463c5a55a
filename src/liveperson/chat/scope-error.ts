import { LivePersonScopeError } from '../errors';

/** The OAuth2 scope Engagement History requires (reference §2 and §3). */
export const ENGAGEMENT_HISTORY_SCOPE = 'data.services.enghist';

/**
 * The one error a credential without Engagement History access gets: it names the scope and where to add it.
 * With OAuth 1.0 keys the same API is reached with the key's Engagement History permission instead.
 */
export function engagementHistoryScopeError(
  accountId: string,
  setting: string,
  oauth1: boolean,
  what: string,
  detail: string | undefined,
): LivePersonScopeError {
  const fix = oauth1
    ? `give the API key in ${setting} the Engagement History permission (Campaign Builder → Data Sources → API), or move to OAuth 2.0 client credentials with the scope ${ENGAGEMENT_HISTORY_SCOPE}`
    : `add the scope ${ENGAGEMENT_HISTORY_SCOPE} to the OAuth app installation whose credentials are in ${setting} (its JSON schema's "scope"), then reinstall it; or drop 'chat' from liveperson.sources if this account has no legacy chat`;
  return new LivePersonScopeError(
    `LivePerson Engagement History (legacy chat) refused ${what} for account ${accountId} (HTTP 403${detail ? `: ${detail}` : ''}): the credentials lack the scope ${ENGAGEMENT_HISTORY_SCOPE}. To archive chats, ${fix}`,
    { accountId, service: 'engHistDomain', status: 403, setting, scope: ENGAGEMENT_HISTORY_SCOPE },
  );
}
