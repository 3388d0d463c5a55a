/**
 * Microsoft's national clouds for Graph: each has its own Graph endpoint, Entra ID authority host and token
 * scope, which must agree (a token for another cloud's Graph is refused). Pure data and rules, shared by the
 * config schema (which refuses a mismatch) and the Graph client (which signs in with them).
 */

export const GRAPH_CLOUDS = ['global', 'usgov', 'usgov-dod', 'china'] as const;
export type GraphCloud = (typeof GRAPH_CLOUDS)[number];

/** Graph origin and authority host of each cloud (Microsoft's national cloud deployments table). */
export const GRAPH_CLOUD_ENDPOINTS: Readonly<Record<GraphCloud, { readonly graph: string; readonly authority: string }>> = {
  global: { graph: 'https://graph.microsoft.com', authority: 'https://login.microsoftonline.com' },
  usgov: { graph: 'https://graph.microsoft.us', authority: 'https://login.microsoftonline.us' },
  'usgov-dod': { graph: 'https://dod-graph.microsoft.us', authority: 'https://login.microsoftonline.us' },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', authority: 'https://login.chinacloudapi.cn' },
};

/**
 * Entra ID hosts Microsoft runs (with their aliases): MSAL validates them itself, so instance discovery must
 * never be turned off for them.
 */
const MICROSOFT_AUTHORITY_HOSTS: Readonly<Record<string, readonly GraphCloud[]>> = {
  'login.microsoftonline.com': ['global'],
  'login.microsoft.com': ['global'],
  'login.windows.net': ['global'],
  'sts.windows.net': ['global'],
  'login.microsoftonline.us': ['usgov', 'usgov-dod'],
  'login.usgovcloudapi.net': ['usgov', 'usgov-dod'],
  'login.chinacloudapi.cn': ['china'],
  'login.partner.microsoftonline.cn': ['china'],
};

/** What the Graph client needs to sign in and call Graph. */
export interface GraphEndpoints {
  /** Graph base URL with its version, e.g. `https://graph.microsoft.us/v1.0`. */
  readonly baseUrl: string;
  /** Entra ID authority host, e.g. `https://login.microsoftonline.us`. */
  readonly authorityHost: string;
  /** The `.default` scope of that Graph, e.g. `https://graph.microsoft.us/.default`. */
  readonly scope: string;
  /** Instance discovery off: the operator declared this (non-Microsoft) authority trusted. */
  readonly trustedAuthority: boolean;
}

/** The `graph` settings these rules read. */
export interface GraphCloudSettings {
  readonly cloud: GraphCloud;
  readonly baseUrl?: string;
  readonly authorityHost?: string;
  readonly trustedAuthority: boolean;
}

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url);
  return m?.[1]?.toLowerCase();
}

function originOf(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)/i.exec(url);
  return (m?.[1] ?? url).toLowerCase();
}

/** The cloud whose Graph host `url` has, if any. */
export function cloudOfGraphUrl(url: string): GraphCloud | undefined {
  const host = hostOf(url);
  return GRAPH_CLOUDS.find((c) => hostOf(GRAPH_CLOUD_ENDPOINTS[c].graph) === host);
}

/** The clouds a Microsoft authority host serves; undefined for a host Microsoft does not run. */
export function cloudsOfAuthority(url: string): readonly GraphCloud[] | undefined {
  const host = hostOf(url);
  return host === undefined ? undefined : MICROSOFT_AUTHORITY_HOSTS[host];
}

/**
 * The cloud of a `graph` section: the one it names, else the cloud of its Graph endpoint or of its authority
 * when that is Microsoft's, else global.
 */
export function resolveGraphCloud(g: {
  readonly cloud?: GraphCloud;
  readonly baseUrl?: string;
  readonly authorityHost?: string;
}): GraphCloud {
  if (g.cloud !== undefined) return g.cloud;
  const fromBase = g.baseUrl !== undefined ? cloudOfGraphUrl(g.baseUrl) : undefined;
  if (fromBase !== undefined) return fromBase;
  const fromAuthority = g.authorityHost !== undefined ? cloudsOfAuthority(g.authorityHost) : undefined;
  return fromAuthority?.[0] ?? 'global';
}

/**
 * Endpoints of a connector's Graph: the cloud's, unless `baseUrl` / `authorityHost` name a private or test
 * endpoint; the scope always follows the Graph origin actually called.
 */
export function graphEndpointsOf(g: Omit<GraphCloudSettings, 'cloud'> & { readonly cloud?: GraphCloud }): GraphEndpoints {
  const cloud = GRAPH_CLOUD_ENDPOINTS[resolveGraphCloud(g)];
  const baseUrl = g.baseUrl ?? `${cloud.graph}/v1.0`;
  return {
    baseUrl,
    authorityHost: g.authorityHost ?? cloud.authority,
    scope: `${originOf(baseUrl)}/.default`,
    trustedAuthority: g.trustedAuthority,
  };
}

/**
 * Where cloud, Graph endpoint and authority disagree, one problem per field, each with the fix: a Graph
 * endpoint or authority of another national cloud, a declared-trusted authority that is Microsoft's, or a
 * non-Microsoft authority that is not declared (MSAL's instance discovery would refuse it).
 */
export function graphCloudProblems(g: GraphCloudSettings): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const baseCloud = g.baseUrl !== undefined ? cloudOfGraphUrl(g.baseUrl) : undefined;
  if (baseCloud !== undefined && baseCloud !== g.cloud)
    out.push({
      field: 'baseUrl',
      message: `is the Graph endpoint of the ${baseCloud} cloud, but graph.cloud is ${g.cloud}: set graph.cloud: ${baseCloud} (and remove graph.baseUrl), or remove graph.baseUrl to use ${GRAPH_CLOUD_ENDPOINTS[g.cloud].graph}`,
    });
  const authorityClouds = g.authorityHost !== undefined ? cloudsOfAuthority(g.authorityHost) : undefined;
  if (g.authorityHost !== undefined && authorityClouds !== undefined) {
    if (!authorityClouds.includes(g.cloud))
      out.push({
        field: 'authorityHost',
        message: `is the Entra ID authority of the ${authorityClouds.join('/')} cloud, but graph.cloud is ${g.cloud}: remove graph.authorityHost (the cloud sets ${GRAPH_CLOUD_ENDPOINTS[g.cloud].authority}), or set graph.cloud to match`,
      });
    else if (baseCloud === undefined && g.baseUrl !== undefined)
      out.push({
        field: 'baseUrl',
        message: `is not a Microsoft Graph endpoint, so the token scope would be ${originOf(g.baseUrl)}/.default, which Microsoft Entra ID does not issue: remove graph.baseUrl, or point graph.authorityHost at the authority of that Graph`,
      });
    if (g.trustedAuthority)
      out.push({
        field: 'trustedAuthority',
        message: `must not be set for Microsoft's own authority ${g.authorityHost}: MSAL validates it through instance discovery; remove graph.trustedAuthority`,
      });
  } else if (g.authorityHost !== undefined && !g.trustedAuthority) {
    out.push({
      field: 'authorityHost',
      message: `${g.authorityHost} is not a Microsoft Entra ID host, so sign-in would fail its instance discovery: if you run this authority (a private or test token service), declare it with graph.trustedAuthority: true; else remove graph.authorityHost`,
    });
  } else if (g.authorityHost === undefined && g.trustedAuthority) {
    out.push({
      field: 'trustedAuthority',
      message: `applies only to an authority you run: set graph.authorityHost to it, or remove graph.trustedAuthority (instance discovery stays on for ${GRAPH_CLOUD_ENDPOINTS[g.cloud].authority})`,
    });
  }
  if (g.authorityHost !== undefined && !/^https:\/\//i.test(g.authorityHost))
    out.push({
      field: 'authorityHost',
      message: 'must be an https URL: Microsoft Entra ID sign-in (MSAL) refuses a plain-http authority',
    });
  return out;
}
