import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { GRAPH_DEFAULT_SCOPE } from './constants';
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

  constructor(private readonly opts: ResolvedEmulatorOptions) {}

  issue(tenant: string): { token: string; expiresIn: number } {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      aud: 'https://graph.microsoft.com',
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

  /** `POST /{tenant}/oauth2/v2.0/token` (client credentials), answering like Microsoft Entra ID. */
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
    if (this.opts.tenantId !== undefined && tenant !== this.opts.tenantId) {
      aadError(400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
      return;
    }
    if (field('grant_type') !== 'client_credentials') {
      aadError(400, 'unsupported_grant_type', 'AADSTS70003', `The app requested an unsupported grant type '${field('grant_type')}'.`);
      return;
    }
    if (
      field('scope')
        .split(' ')
        .every((s) => s.toLowerCase() !== GRAPH_DEFAULT_SCOPE)
    ) {
      aadError(
        400,
        'invalid_scope',
        'AADSTS1002012',
        `The provided value for scope '${field('scope')}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
      );
      return;
    }
    if (field('client_id') !== this.opts.clientId) {
      aadError(
        401,
        'invalid_client',
        'AADSTS700016',
        `Application with identifier '${field('client_id')}' was not found in the directory '${tenant}'.`,
      );
      return;
    }
    if (field('client_secret') !== this.opts.clientSecret) {
      aadError(
        401,
        'invalid_client',
        'AADSTS7000215',
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.opts.clientId}'.`,
      );
      return;
    }
    const { token, expiresIn } = this.issue(tenant);
    res.json({ token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token });
  };

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
