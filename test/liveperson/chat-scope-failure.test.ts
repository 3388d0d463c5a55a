import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { toActivityFailure } from '../../src/runtime/error-interceptor';
import { engagementHistoryScopeError } from '../../src/liveperson/chat';
import { classifyFailure } from '../../src/workflows/failure-policy';

describe('a credential without the Engagement History scope', () => {
  const err = engagementHistoryScopeError('12345678', 'LP_CLIENT_ID / LP_CLIENT_SECRET', false, 'a chat search', 'Forbidden');

  it('becomes a non-retryable activity failure that keeps its type and message', () => {
    const failure = toActivityFailure(err) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('LivePersonScopeError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('add the scope data.services.enghist');
  });

  it('shows the connector as needs-credentials, with the message, until an operator acts', () => {
    const failure = toActivityFailure(err) as ApplicationFailure;
    const wrapped = new ActivityFailure('activity failed', 'fetchPage', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, failure);
    expect(classifyFailure(wrapped)).toEqual({ kind: 'needs-credentials', message: failure.message, type: 'LivePersonScopeError' });
  });

  it('names the API-key permission instead when the credential is an OAuth 1.0 key', () => {
    const oauth1 = engagementHistoryScopeError('12345678', 'LP_CONSUMER_KEY / …', true, 'a chat search', undefined);
    expect(oauth1.message).toContain('give the API key in LP_CONSUMER_KEY / … the Engagement History permission');
  });
});
