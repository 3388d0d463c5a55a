import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { GraphConfigError, GraphMailboxError, GraphRequestError, GraphThrottledError } from '../../src/graph/errors';
import { LivePersonRequestError, LivePersonThrottledError } from '../../src/liveperson/errors';
import { errorKind } from '../../src/model';
import { toActivityFailure } from '../../src/runtime/error-interceptor';
import { BlobNotFoundError, StorageUnavailableError } from '../../src/storage/errors';
import { classifyFailure } from '../../src/workflows/failure-policy';

function asActivityFailure(failure: ApplicationFailure): ActivityFailure {
  return new ActivityFailure('activity failed', 'importPage', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'worker', failure);
}

describe('errors by kind: one interceptor converts them, the failure policy reads the kind back', () => {
  it('a configuration error stops quick retries and shows the connector as needing an operator', () => {
    const failure = toActivityFailure(
      new GraphConfigError('invalid_client', 'The app secret was refused.', 'renew the client secret'),
    ) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('GraphConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ kind: 'configuration' }]);
    expect(classifyFailure(asActivityFailure(failure)).kind).toBe('needs-credentials');
  });

  it('throttling retries no sooner than the service asked, and shows the connector as throttled', () => {
    const err = new LivePersonThrottledError('slow down', {
      accountId: '1',
      service: 'msgHist',
      status: 429,
      retryAfterMs: 7_000,
      reason: 'rate-limited',
    });
    const failure = toActivityFailure(err) as ApplicationFailure;
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(7_000);
    expect(classifyFailure(asActivityFailure(failure)).kind).toBe('throttled');
    expect(
      classifyFailure(
        asActivityFailure(toActivityFailure(new GraphThrottledError(429, 'TooManyRequests', 3_000, 'u1')) as ApplicationFailure),
      ).kind,
    ).toBe('throttled');
  });

  it('an outage retries quickly; a refused request does not, and both leave the connector failing (backing off)', () => {
    const outage = toActivityFailure(new StorageUnavailableError('http://blob', 'ECONNREFUSED')) as ApplicationFailure;
    expect(outage.nonRetryable).toBe(false);
    expect(outage.details).toEqual([{ kind: 'transient' }]);
    const refused = toActivityFailure(
      new LivePersonRequestError('bad request', { accountId: '1', service: 'msgHist', status: 400 }),
    ) as ApplicationFailure;
    expect(refused.nonRetryable).toBe(true);
    expect(refused.details).toEqual([{ kind: 'unexpected' }]);
    expect(classifyFailure(asActivityFailure(outage)).kind).toBe('failing');
    expect(classifyFailure(asActivityFailure(refused)).kind).toBe('failing');
  });

  it('an error says its own retryability when it knows better than its kind', () => {
    expect(errorKind(new GraphMailboxError('u', 'ErrorQuotaExceeded', 'quota-exceeded', 'full'))).toBe('item');
    expect(
      (toActivityFailure(new GraphMailboxError('u', 'ErrorQuotaExceeded', 'quota-exceeded', 'full')) as ApplicationFailure).nonRetryable,
    ).toBe(false);
    expect(errorKind(new GraphRequestError(503, 'x', 'down', true))).toBe('transient');
    expect(errorKind(new GraphRequestError(400, 'x', 'bad', false))).toBe('unexpected');
    expect(errorKind(new BlobNotFoundError('items', 'a/b', 'c'))).toBe('not-found');
  });

  it('redacts secrets before anything reaches history; errors that are not ours pass through', () => {
    const plain = new Error('token Bearer abc.def.ghi refused');
    expect(toActivityFailure(plain)).toBe(plain);
    expect(plain.message).not.toContain('abc.def.ghi');
    const ours = toActivityFailure(new GraphConfigError('x', 'client_secret=hunter22hunter refused.', 'rotate it')) as ApplicationFailure;
    expect(ours.message).not.toContain('hunter22hunter');
  });

  it('failures recorded before they carried a kind are still read by their type (replay of old histories)', () => {
    const old = ApplicationFailure.create({ type: 'LivePersonAuthError', message: 'refused', nonRetryable: true });
    expect(classifyFailure(asActivityFailure(old)).kind).toBe('needs-credentials');
    const oldThrottle = ApplicationFailure.create({ type: 'GraphThrottledError', message: 'slow' });
    expect(classifyFailure(asActivityFailure(oldThrottle)).kind).toBe('throttled');
    expect(classifyFailure(asActivityFailure(ApplicationFailure.create({ type: 'Whatever', message: 'x' }))).kind).toBe('failing');
  });
});
