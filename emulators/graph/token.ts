import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { authenticateClient, type AppRegistration } from './client-auth';
import { sendGraphError } from './errors';
import type { ResolvedEmulatorOptions } from './types';

interface TokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly appid: string;
  readonly tid: string;
  readonly roles: readonly string[];
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** Issues and checks JWT-shaped HS256 tokens, signed with a key that lives only as long as the emulator. */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  issued = 0;
  refused = 0;

  private readonly app: AppRegistration;

  /** `url` gives the emulator's own base URL once it listens (the token's audience and endpoints). */
  constructor(
    private readonly opts: ResolvedEmulatorOptions,
    private readonly url: () => string,
  ) {
    this.app = {
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      certificates: opts.clientCertificates,
      federatedCredentials: opts.federatedCredentials,
    };
  }

  issue(tenant: string): { token: string; expiresIn: number } {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      aud: this.url(),
      iss: `https://sts.windows.net/${tenant}/`,
      iat: now,
      nbf: now,
      exp: now + this.opts.tokenLifetimeSeconds,
      appid: this.opts.clientId,
      tid: tenant,
      roles: this.opts.roles,
    };
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'graph-emulator' }));
    const body = b64url(JSON.stringify({ ...claims, jti: randomUUID() }));
    const sig = b64url(createHmac('sha256', this.key).update(`${head}.${body}`).digest());
    this.issued++;
    return { token: `${head}.${body}.${sig}`, expiresIn: this.opts.tokenLifetimeSeconds };
  }

  /** The token's claims, or why it is refused (Graph's own messages). */
  verify(token: string): TokenClaims | string {
    const parts = token.split('.');
    if (parts.length !== 3) return 'IDX14100: JWT is not well formed, there are no dots (.).';
    const [head = '', body = '', sig = ''] = parts;
    const expected = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'Invalid signature.';
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return 'IDX14100: JWT is not well formed.';
    }
    if (claims.exp * 1000 <= Date.now()) return 'Lifetime validation failed, the token is expired.';
    return claims;
  }

  /**
   * `POST /{tenant}/oauth2/v2.0/token` (client credentials), answering like Microsoft Entra ID: the client
   * authenticates with its secret or a JWT assertion (its certificate, or a federated token), and the scope is
   * this Graph's own `/.default` (a token for another cloud's Graph is refused).
   */
  handleTokenRequest = (req: Request, res: Response): void => {
    const tenant = String(req.params.tenant ?? '');
    const form = (req.body ?? {}) as Record<string, unknown>;
    const field = (k: string): string => {
      const v = form[k];
      return typeof v === 'string' ? v : '';
    };
    const aadError = (status: number, error: string, aadsts: string, description: string): void => {
      this.refused++;
      res.status(status).json({
        error,
        error_description: `${aadsts}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
        error_codes: [Number(aadsts.replace('AADSTS', ''))],
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      });
    };
    if (!this.knowsTenant(tenant)) {
      aadError(400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
      return;
    }
    if (field('grant_type') !== 'client_credentials') {
      aadError(400, 'unsupported_grant_type', 'AADSTS70003', `The app requested an unsupported grant type '${field('grant_type')}'.`);
      return;
    }
    const refusal = authenticateClient(this.app, { field, tenant }, this.tokenEndpoint(tenant));
    if (refusal) {
      aadError(refusal.status, refusal.error, refusal.aadsts, refusal.description);
      return;
    }
    const scope = this.scope();
    if (
      field('scope')
        .split(' ')
        .every((s) => s.toLowerCase() !== scope.toLowerCase())
    ) {
      aadError(
        400,
        'invalid_scope',
        'AADSTS1002012',
        `The provided value for scope '${field('scope')}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (this Graph: ${scope}).`,
      );
      return;
    }
    const { token, expiresIn } = this.issue(tenant);
    res.json({ token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token });
  };

  /**
   * `GET /msi/token?api-version=2019-08-01&resource=…[&client_id=…]` with `X-IDENTITY-HEADER`: the managed
   * identity endpoint of Azure App Service, which hands the host's identity a token for `resource`.
   */
  handleManagedIdentityRequest = (req: Request, res: Response): void => {
    const mi = this.opts.managedIdentity;
    const q = (k: string): string => (typeof req.query[k] === 'string' ? req.query[k] : '');
    const refuse = (status: number, message: string): void => {
      this.refused++;
      res.status(status).json({ statusCode: status, message, correlationId: randomUUID() });
    };
    if (!mi) return refuse(404, 'No managed identity is assigned to this resource.');
    if (req.header('x-identity-header') !== mi.identityHeader) return refuse(401, 'The X-IDENTITY-HEADER header is missing or wrong.');
    if (q('api-version') !== '2019-08-01') return refuse(400, `Unsupported api-version '${q('api-version')}'.`);
    const clientId = q('client_id');
    if (clientId !== '' && !(mi.userAssignedClientIds ?? []).includes(clientId))
      return refuse(400, `No user-assigned identity with client id '${clientId}' is assigned to this resource.`);
    if (q('resource').replace(/\/+$/, '') !== this.url())
      return refuse(400, `AADSTS500011: The resource principal named ${q('resource')} was not found in the tenant.`);
    const { token, expiresIn } = this.issue(this.opts.tenantId ?? 'managed-identity-tenant');
    res.json({
      access_token: token,
      expires_on: String(Math.floor(Date.now() / 1000) + expiresIn),
      resource: q('resource'),
      token_type: 'Bearer',
      client_id: clientId || 'system-assigned',
    });
  };

  /** `GET /{tenant}/v2.0/.well-known/openid-configuration`: the tenant discovery document MSAL reads first. */
  handleOpenIdConfiguration = (req: Request, res: Response): void => {
    const tenant = String(req.params.tenant ?? '');
    if (!this.knowsTenant(tenant)) {
      res.status(400).json({
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${tenant}' not found. Trace ID: ${randomUUID()}`,
        error_codes: [90002],
      });
      return;
    }
    const base = `${this.url()}/${encodeURIComponent(tenant)}`;
    res.json({
      token_endpoint: this.tokenEndpoint(tenant),
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url()}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid'],
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(this.url()).host,
      cloud_graph_host_name: new URL(this.url()).host,
      msgraph_host: new URL(this.url()).host,
    });
  };

  private knowsTenant(tenant: string): boolean {
    return this.opts.tenantId === undefined || tenant === this.opts.tenantId;
  }

  private tokenEndpoint(tenant: string): string {
    return `${this.url()}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
  }

  /** This Graph's `.default` scope: its origin, as `https://graph.microsoft.com/.default` is Graph's. */
  private scope(): string {
    return `${this.url()}/.default`;
  }

  /** Every Graph call needs a valid bearer token. */
  requireBearer = (req: Request, res: Response, next: NextFunction): void => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) {
      sendGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      return;
    }
    const claims = this.verify(match[1].trim());
    if (typeof claims === 'string') {
      sendGraphError(res, 401, 'InvalidAuthenticationToken', claims);
      return;
    }
    res.locals.roles = claims.roles;
    next();
  };
}
