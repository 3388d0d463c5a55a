import { consoleUserOf } from '../../src/console/roles';
import { consoleSettingsFromEnv } from '../../src/console/settings';

const complete = {
  LPA_CONSOLE_OIDC_ISSUER: 'https://login.microsoftonline.com/0000/v2.0',
  LPA_CONSOLE_OIDC_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  LPA_CONSOLE_OIDC_CLIENT_SECRET: 'secret-value',
  LPA_CONSOLE_PUBLIC_URL: 'https://console.contoso.com/',
  LPA_CONSOLE_OPERATORS: 'LpArchive.Operator',
  LPA_CONSOLE_READERS: 'LpArchive.Reader, 7f1c0000-aaaa-bbbb-cccc-000000000001',
  LPA_CONSOLE_SESSION_SECRET: 'x'.repeat(32),
};
type Key = keyof typeof complete;
const without = (k: Key) => Object.fromEntries(Object.entries(complete).filter(([n]) => n !== k));

describe('console settings from the environment', () => {
  it('refuses to start without issuer, client, secret, roles or session secret, naming the variable and the fix', () => {
    expect(() => consoleSettingsFromEnv(without('LPA_CONSOLE_OIDC_ISSUER'))).toThrow(
      /LPA_CONSOLE_OIDC_ISSUER: is not set.*login\.microsoftonline\.com/,
    );
    expect(() => consoleSettingsFromEnv(without('LPA_CONSOLE_OIDC_CLIENT_ID'))).toThrow(/LPA_CONSOLE_OIDC_CLIENT_ID: is not set/);
    expect(() => consoleSettingsFromEnv(without('LPA_CONSOLE_OIDC_CLIENT_SECRET'))).toThrow(/LPA_CONSOLE_OIDC_CLIENT_SECRET: is not set/);
    expect(() => consoleSettingsFromEnv({ ...without('LPA_CONSOLE_OPERATORS'), LPA_CONSOLE_READERS: '' })).toThrow(
      /LPA_CONSOLE_OPERATORS \/ LPA_CONSOLE_READERS: neither is set/,
    );
    expect(() => consoleSettingsFromEnv(without('LPA_CONSOLE_SESSION_SECRET'))).toThrow(/LPA_CONSOLE_SESSION_SECRET: is not set/);
    expect(() => consoleSettingsFromEnv({ ...complete, LPA_CONSOLE_SESSION_SECRET: 'short' })).toThrow(/shorter than 32/);
  });

  it('refuses plain http off this machine (cookies could not be Secure), and an http issuer elsewhere', () => {
    expect(() => consoleSettingsFromEnv({ ...complete, LPA_CONSOLE_PUBLIC_URL: 'http://console.contoso.com' })).toThrow(
      /serve the console over https/,
    );
    expect(() => consoleSettingsFromEnv({ ...complete, LPA_CONSOLE_OIDC_ISSUER: 'http://idp.contoso.com' })).toThrow(/must be https/);
  });

  it('makes cookies Secure over https, and takes the defaults of Entra ID claims', () => {
    const s = consoleSettingsFromEnv(complete);
    expect(s).toMatchObject({
      port: 8090,
      host: '127.0.0.1',
      publicUrl: 'https://console.contoso.com',
      secureCookies: true,
      oidc: { scopes: 'openid profile email' },
      claims: { groupClaims: ['groups', 'roles'] },
      sessionMaxAgeMs: 8 * 3_600_000,
    });
    const local = consoleSettingsFromEnv({ ...without('LPA_CONSOLE_PUBLIC_URL'), LPA_CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:4103' });
    expect(local).toMatchObject({ publicUrl: 'http://127.0.0.1:8090', secureCookies: false });
  });
});

describe('console roles from ID token claims', () => {
  const settings = consoleSettingsFromEnv(complete);

  it('makes app role or group members operators or readers, and everyone else nothing', () => {
    expect(consoleUserOf({ name: 'Olivia', preferred_username: 'olivia@contoso.com', roles: ['LpArchive.Operator'] }, settings)).toEqual({
      name: 'Olivia',
      username: 'olivia@contoso.com',
      role: 'operator',
    });
    expect(consoleUserOf({ preferred_username: 'carl@contoso.com', groups: ['7F1C0000-AAAA-BBBB-CCCC-000000000001'] }, settings).role).toBe(
      'reader',
    );
    // An operator who is also a reader acts.
    expect(consoleUserOf({ roles: ['LpArchive.Reader', 'LpArchive.Operator'], sub: 's' }, settings).role).toBe('operator');
    const nobody = consoleUserOf({ preferred_username: 'nina@contoso.com', groups: ['staff'] }, settings);
    expect(nobody.role).toBeUndefined();
    expect(nobody.username).toBe('nina@contoso.com');
  });
});
