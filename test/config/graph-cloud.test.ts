import { parseConnectorConfig } from '../../src/config/connector-schema';
import { graphEndpointsOf, upgradeConfig, type ConfigOfAnyAge } from '../../src/model';
import { CONFIG_NOW, problemsOf, validConnectorFile } from '../support/config-fixtures';

const withGraph = (graph: Record<string, unknown>): Record<string, unknown> => ({
  ...validConnectorFile(),
  graph: { credentialsRef: 'GRAPH_EMEA', ...graph },
});
const endpointsOf = (graph: Record<string, unknown>) => graphEndpointsOf(parseConnectorConfig(withGraph(graph), CONFIG_NOW).graph);

describe('graph.cloud: national clouds set endpoint, authority and scope together', () => {
  it.each([
    ['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgov-dod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
  ])('%s: Graph %s, authority %s, scope of that Graph', (cloud, graph, authority) => {
    expect(endpointsOf({ cloud })).toEqual({
      baseUrl: `${graph}/v1.0`,
      authorityHost: authority,
      scope: `${graph}/.default`,
      trustedAuthority: false,
    });
  });

  it('defaults to the global cloud, or to the cloud of a Microsoft Graph endpoint given as baseUrl', () => {
    expect(parseConnectorConfig(validConnectorFile(), CONFIG_NOW).graph.cloud).toBe('global');
    const china = endpointsOf({ baseUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0' });
    expect(china).toMatchObject({
      authorityHost: 'https://login.chinacloudapi.cn',
      scope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    });
  });

  it('refuses a Graph endpoint of another cloud, naming the cloud to set', () => {
    expect(problemsOf(withGraph({ cloud: 'usgov', baseUrl: 'https://graph.microsoft.com/v1.0' }))).toEqual([
      'graph.baseUrl: is the Graph endpoint of the global cloud, but graph.cloud is usgov: set graph.cloud: global (and remove graph.baseUrl), or remove graph.baseUrl to use https://graph.microsoft.us',
    ]);
  });

  it('refuses a china Graph (and so a china scope) with the global authority', () => {
    const problems = problemsOf(
      withGraph({ baseUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0', authorityHost: 'https://login.microsoftonline.com' }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^graph\.authorityHost: is the Entra ID authority of the global cloud, but graph\.cloud is china: remove graph\.authorityHost/,
      ),
    ]);
  });

  it('a private Graph and token service: the scope follows baseUrl, and the authority must be declared trusted', () => {
    const privateGraph = { baseUrl: 'https://graph.internal.example:8443/v1.0', authorityHost: 'https://sts.internal.example' };
    expect(problemsOf(withGraph(privateGraph))).toEqual([
      expect.stringMatching(
        /^graph\.authorityHost: https:\/\/sts\.internal\.example is not a Microsoft Entra ID host.*graph\.trustedAuthority: true/,
      ),
    ]);
    expect(endpointsOf({ ...privateGraph, trustedAuthority: true })).toEqual({
      baseUrl: 'https://graph.internal.example:8443/v1.0',
      authorityHost: 'https://sts.internal.example',
      scope: 'https://graph.internal.example:8443/.default',
      trustedAuthority: true,
    });
  });

  it('never turns instance discovery off for Microsoft hosts, nor without an authority of your own', () => {
    expect(problemsOf(withGraph({ authorityHost: 'https://login.microsoftonline.com', trustedAuthority: true }))).toEqual([
      expect.stringMatching(/^graph\.trustedAuthority: must not be set for Microsoft's own authority/),
    ]);
    expect(problemsOf(withGraph({ trustedAuthority: true }))).toEqual([
      expect.stringMatching(/^graph\.trustedAuthority: applies only to an authority you run/),
    ]);
  });

  it('refuses a plain-http authority (MSAL signs in over https only)', () => {
    expect(problemsOf(withGraph({ authorityHost: 'http://127.0.0.1:4102', trustedAuthority: true }))).toEqual([
      'graph.authorityHost: must be an https URL: Microsoft Entra ID sign-in (MSAL) refuses a plain-http authority',
    ]);
  });

  it('a running connector started before graph.cloud gets the cloud of its endpoint and discovery on', () => {
    const current = parseConnectorConfig(withGraph({ cloud: 'usgov' }), CONFIG_NOW);
    const { cloud: _cloud, trustedAuthority: _trusted, ...oldGraph } = current.graph;
    const old: ConfigOfAnyAge = { ...current, graph: { ...oldGraph, baseUrl: 'https://dod-graph.microsoft.us/v1.0' } };
    expect(upgradeConfig(old).graph).toMatchObject({ cloud: 'usgov-dod', trustedAuthority: false });
  });
});
