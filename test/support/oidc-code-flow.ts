import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';

/** What {@link signInWithCodeFlow} needs: the client and the user. */
export interface CodeFlowRequest {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly username: string;
  readonly password: string;
  readonly scope?: string;
  /** Send no PKCE challenge (to prove the provider requires one). */
  readonly withoutPkce?: boolean;
}

/** The token endpoint's answer, or where the flow stopped. */
export interface CodeFlowResult {
  readonly tokens?: { id_token: string; access_token: string; token_type: string; expires_in: number };
  /** The error the provider redirected or answered with, when there is no token. */
  readonly error?: string;
  /** Status of the login form post (401 for a wrong password). */
  readonly loginStatus?: number;
}

/** A minimal cookie jar: the provider's interaction cookies travel between its own paths. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * The authorization code flow with PKCE against a provider, as a browser and a confidential client do it,
 * over plain HTTP (redirects followed by hand): authorize, the login form, the code, the token endpoint.
 */
export async function signInWithCodeFlow(issuer: string, r: CodeFlowRequest): Promise<CodeFlowResult> {
  const jar = new Jar();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const auth = new URL('/auth', issuer);
  auth.search = new URLSearchParams({
    client_id: r.clientId,
    redirect_uri: r.redirectUri,
    response_type: 'code',
    scope: r.scope ?? 'openid profile email groups',
    state,
    ...(r.withoutPkce ? {} : { code_challenge: challenge, code_challenge_method: 'S256' }),
  }).toString();
  const get = async (url: string): Promise<Response> => {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  let res = await get(auth.href);
  let location = res.headers.get('location');
  if (!location) return { error: `authorize answered ${res.status}: ${await res.text()}` };
  // Follow the provider's redirects (login form, resume) until it sends the browser back to the client.
  let code: string | undefined;
  let loginStatus: number | undefined;
  for (let hops = 0; location && hops < 8; hops++) {
    const u = new URL(location, issuer);
    if (u.href.startsWith(r.redirectUri)) {
      const e = u.searchParams.get('error');
      if (e) return { error: `${e}: ${u.searchParams.get('error_description') ?? ''}` };
      if (u.searchParams.get('state') !== state) return { error: 'state mismatch' };
      code = u.searchParams.get('code') ?? undefined;
      break;
    }
    if (u.pathname.startsWith('/interaction/') && loginStatus === undefined) {
      await (await get(u.href)).text();
      const form = await fetch(u, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: r.username, password: r.password }).toString(),
      });
      jar.take(form);
      loginStatus = form.status;
      if (form.status === 401) return { loginStatus, error: 'login refused' };
      location = form.headers.get('location');
      continue;
    }
    res = await get(u.href);
    location = res.headers.get('location');
    if (!location) return { error: `${u.pathname} answered ${res.status}: ${await res.text()}` };
  }
  if (!code) return { error: `no code (last redirect ${location ?? 'none'})` };
  const token = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: r.clientId,
      client_secret: r.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: r.redirectUri,
      ...(r.withoutPkce ? {} : { code_verifier: verifier }),
    }).toString(),
  });
  const body = (await token.json()) as Record<string, unknown>;
  if (!token.ok) return { error: `${String(body.error)}: ${String(body.error_description)}` };
  return { tokens: body as unknown as NonNullable<CodeFlowResult['tokens']> };
}

/** The header and claims of a JWT whose RS256 signature verifies against one of the JWKS keys; throws otherwise. */
export async function verifyWithJwks(
  jwt: string,
  jwksUrl: string,
): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
  const { keys } = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] };
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no key ${String(header.kid)} in ${jwksUrl}`);
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s!, 'base64url'));
  if (!ok) throw new Error('signature does not verify');
  return { header, claims: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown> };
}
