import { redactError, redactSecrets } from '../../src/codec';

describe('redactSecrets', () => {
  const env = {
    LP_PROD_CLIENT_SECRET: 's3cr3t-lp-value',
    LP_PROD_CLIENT_ID: 'lp-client-id-123',
    LPA_CODEC_KEYS: 'k1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=',
    AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc123==;EndpointSuffix=core.windows.net',
  };

  it.each([
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [REDACTED]'],
    ['grant_type=client_credentials&client_secret=p4ss&scope=x', 'grant_type=client_credentials&client_secret=[REDACTED]&scope=x'],
    ['{"access_token":"tok-123","expires_in":3600}', '{"access_token":"[REDACTED]","expires_in":3600}'],
    ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl ok', 'token [REDACTED] ok'],
    ['conn AccountName=acct;AccountKey=Zm9vYmFy==;x', 'conn AccountName=acct;AccountKey=[REDACTED];x'],
    [
      'GET https://a.blob.core.windows.net/c/b?sv=2022&sig=abc%2Bdef&se=1',
      'GET https://a.blob.core.windows.net/c/b?sv=2022&sig=[REDACTED]&se=1',
    ],
  ])('hides credential shapes: %s', (input, expected) => {
    expect(redactSecrets(input, {})).toBe(expected);
  });

  it('hides the values of secret environment variables, each codec key on its own, but keeps ids and ordinary text', () => {
    const text =
      'LivePerson refused client lp-client-id-123 with secret s3cr3t-lp-value; key QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU= ' +
      `failed; status code: 429; ${env.AZURE_STORAGE_CONNECTION_STRING}`;
    const out = redactSecrets(text, env);
    expect(out).not.toContain('s3cr3t-lp-value');
    expect(out).not.toContain('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=');
    expect(out).not.toContain('abc123==');
    expect(out).toContain('lp-client-id-123');
    expect(out).toContain('status code: 429');
  });

  it('redacts an error in place, with its stack and cause, as they go into workflow history', () => {
    const cause = new Error('token endpoint said: invalid client_secret=s3cr3t-lp-value');
    const err = new Error('auth failed for Bearer abcdef', { cause });
    expect(redactError(err, env)).toBe(err);
    expect(err.message).toBe('auth failed for Bearer [REDACTED]');
    expect(err.stack).not.toContain('abcdef');
    expect(cause.message).not.toContain('s3cr3t');
  });
});
