import { AmbiguousCredentialsError, graphAuthFromEnv, MissingSecretError } from '../../src/config/secrets';

const base = { G_TENANT_ID: 'contoso-tenant', G_CLIENT_ID: 'app-id' };

describe('graph credentials: the kind is chosen by the variables set for the credentialsRef', () => {
  it('reads each kind from its own variable', () => {
    expect(graphAuthFromEnv('G', { ...base, G_CLIENT_SECRET: 's' })).toMatchObject({ kind: 'client-secret', clientSecret: 's' });
    expect(graphAuthFromEnv('G', { ...base, G_CLIENT_CERTIFICATE_PATH: '/c.pfx', G_CLIENT_CERTIFICATE_PASSWORD: 'p' })).toEqual({
      kind: 'certificate',
      ref: 'G',
      tenantId: 'contoso-tenant',
      clientId: 'app-id',
      certificatePath: '/c.pfx',
      certificatePassword: 'p',
    });
    expect(graphAuthFromEnv('G', { ...base, G_FEDERATED_TOKEN_FILE: '/t' })).toMatchObject({
      kind: 'workload-identity',
      tokenFilePath: '/t',
    });
    expect(graphAuthFromEnv('G', { G_TENANT_ID: 't', G_MANAGED_IDENTITY: 'system' })).toMatchObject({
      kind: 'managed-identity',
      userAssigned: false,
    });
    expect(graphAuthFromEnv('G', { G_TENANT_ID: 't', G_CLIENT_ID: 'mi', G_MANAGED_IDENTITY: 'user-assigned' })).toMatchObject({
      kind: 'managed-identity',
      userAssigned: true,
      clientId: 'mi',
    });
  });

  it('two credentials set is a configuration error naming both variables', () => {
    const read = (): unknown => graphAuthFromEnv('G', { ...base, G_CLIENT_SECRET: 's', G_CLIENT_CERTIFICATE_PATH: '/c.pem' });
    expect(read).toThrow(AmbiguousCredentialsError);
    expect(read).toThrow(/sets G_CLIENT_SECRET and G_CLIENT_CERTIFICATE_PATH: each selects a different Microsoft Graph credential/);
    expect(() => graphAuthFromEnv('G', { ...base, G_CLIENT_SECRET: 's', G_MANAGED_IDENTITY: 'system' })).toThrow(
      expect.objectContaining({ kind: 'configuration', variables: ['G_CLIENT_SECRET', 'G_MANAGED_IDENTITY'] }),
    );
  });

  it('no credential names every variable that would select one', () => {
    expect(() => graphAuthFromEnv('G', base)).toThrow(MissingSecretError);
    expect(() => graphAuthFromEnv('G', base)).toThrow(
      /G_CLIENT_SECRET .*or instead G_CLIENT_CERTIFICATE_PATH, G_FEDERATED_TOKEN_FILE or G_MANAGED_IDENTITY/,
    );
  });

  it('a managed identity setting other than system or user-assigned says what it takes', () => {
    expect(() => graphAuthFromEnv('G', { G_TENANT_ID: 't', G_MANAGED_IDENTITY: 'yes' })).toThrow(/"system" .* or "user-assigned"/);
  });
});
