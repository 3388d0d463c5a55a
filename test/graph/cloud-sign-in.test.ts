import type { AccessToken } from '@azure/identity';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { graphAuthFromEnv } from '../../src/config/secrets';
import { createTokenSource } from '../../src/graph/token';
import { GRAPH_CLOUDS, graphEndpointsOf, type GraphCloud } from '../../src/model';
import { CONFIG_NOW, validConnectorFile } from '../support/config-fixtures';

/** What each @azure/identity credential was built with and asked for (Microsoft's clouds cannot be reached here). */
const seen: { credential: string; options: Record<string, unknown>; scopes: string[] }[] = [];

jest.mock('@azure/identity', () => {
  const actual = jest.requireActual<typeof import('@azure/identity')>('@azure/identity');
  const recording = (name: string, optionsAt: (args: unknown[]) => unknown) =>
    class {
      private readonly entry: (typeof seen)[number];
      constructor(...args: unknown[]) {
        this.entry = { credential: name, options: (optionsAt(args) ?? {}) as Record<string, unknown>, scopes: [] };
        seen.push(this.entry);
      }
      getToken(scopes: string | string[]): Promise<AccessToken> {
        this.entry.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
        return Promise.resolve({ token: 'recorded', expiresOnTimestamp: Date.now() + 3_600_000 });
      }
    };
  return {
    ...actual,
    ClientSecretCredential: recording('ClientSecretCredential', (a) => a[3]),
    WorkloadIdentityCredential: recording('WorkloadIdentityCredential', (a) => a[0]),
  };
});

describe('national clouds: the authority each credential signs in at and the scope it asks for', () => {
  beforeEach(() => {
    seen.length = 0;
  });

  const env = (credential: Record<string, string>): Record<string, string> => ({
    GRAPH_EMEA_TENANT_ID: 'contoso.onmicrosoft.us',
    GRAPH_EMEA_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
    ...credential,
  });
  const signIn = async (cloud: GraphCloud, credential: Record<string, string>): Promise<(typeof seen)[number]> => {
    const config = parseConnectorConfig({ ...validConnectorFile(), graph: { credentialsRef: 'GRAPH_EMEA', cloud } }, CONFIG_NOW);
    await createTokenSource(graphAuthFromEnv('GRAPH_EMEA', env(credential)), graphEndpointsOf(config.graph)).getToken();
    expect(seen).toHaveLength(1);
    return seen[0]!;
  };

  const expected: Record<GraphCloud, { authority: string; scope: string }> = {
    global: { authority: 'https://login.microsoftonline.com', scope: 'https://graph.microsoft.com/.default' },
    usgov: { authority: 'https://login.microsoftonline.us', scope: 'https://graph.microsoft.us/.default' },
    'usgov-dod': { authority: 'https://login.microsoftonline.us', scope: 'https://dod-graph.microsoft.us/.default' },
    china: { authority: 'https://login.chinacloudapi.cn', scope: 'https://microsoftgraph.chinacloudapi.cn/.default' },
  };

  it.each(GRAPH_CLOUDS)(
    '%s: a client secret signs in at the cloud authority, with instance discovery on, for that Graph',
    async (cloud) => {
      const s = await signIn(cloud, { GRAPH_EMEA_CLIENT_SECRET: 'secret-value' });
      expect(s.credential).toBe('ClientSecretCredential');
      expect(s.options).toMatchObject({ authorityHost: expected[cloud].authority, disableInstanceDiscovery: false });
      expect(s.scopes).toEqual([expected[cloud].scope]);
    },
  );

  it.each(GRAPH_CLOUDS)('%s: workload identity signs in at the same authority for the same scope', async (cloud) => {
    const s = await signIn(cloud, { GRAPH_EMEA_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' });
    expect(s.credential).toBe('WorkloadIdentityCredential');
    expect(s.options).toMatchObject({
      authorityHost: expected[cloud].authority,
      disableInstanceDiscovery: false,
      tokenFilePath: '/var/run/secrets/azure/tokens/azure-identity-token',
    });
    expect(s.scopes).toEqual([expected[cloud].scope]);
  });
});
