import { EnvHttpProxyAgent, setGlobalDispatcher, type Dispatcher } from 'undici';

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy variables, as curl, undici and the Azure SDK read them (the lower-case ones win when both are set). */
function proxySettings(env: Env): { httpProxy?: string; httpsProxy?: string; noProxy?: string } {
  const pick = (name: string): string | undefined => env[name.toLowerCase()] || env[name] || undefined;
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  const noProxy = pick('NO_PROXY');
  return { ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), ...(noProxy ? { noProxy } : {}) };
}

/**
 * Routes Node's `fetch` (LivePerson, Microsoft Graph, file downloads) through HTTPS_PROXY / HTTP_PROXY, except for
 * the hosts in NO_PROXY, as `@azure/identity` and the Blob client already do on their own. Node's `fetch` ignores
 * these variables: without this, tokens and storage would go through a corporate proxy and the data calls would
 * not. Returns a line for the log (credentials in the proxy address hidden), or undefined when no proxy is set.
 * `install` is for tests, which must not change the process-wide dispatcher of other tests.
 */
export function installOutboundProxy(env: Env = process.env, install: (d: Dispatcher) => void = setGlobalDispatcher): string | undefined {
  const s = proxySettings(env);
  if (!s.httpProxy && !s.httpsProxy) return undefined;
  install(new EnvHttpProxyAgent(s));
  const shown = (u: string | undefined): string => (u ? u.replace(/\/\/[^@/]*@/, '//***@') : 'none');
  return `outbound HTTP through proxies: https ${shown(s.httpsProxy ?? s.httpProxy)}, http ${shown(s.httpProxy)}; not for NO_PROXY ${s.noProxy ?? '(unset)'}`;
}
