import { createHash, X509Certificate } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { FederatedCredential } from './types';

/** The form field and value of a JWT client assertion (RFC 7523), as Entra ID expects them. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What Entra answers when it refuses a client: the HTTP status, OAuth error, AADSTS code and description. */
export interface ClientAuthRefusal {
  readonly status: number;
  readonly error: string;
  readonly aadsts: string;
  readonly description: string;
}

/** The app registration the emulator knows: its id, secret, certificates and federated credentials. */
export interface AppRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM certificates whose keys may sign client assertions. */
  readonly certificates: readonly string[];
  readonly federatedCredentials: readonly FederatedCredential[];
}

/** Entra's default audience of a federated token. */
export const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange';

/** Entra accepts a little clock skew on assertion times. */
const CLOCK_SKEW_SECONDS = 300;

interface AssertionClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | string[];
  readonly nbf?: number;
  readonly exp?: number;
}

const refuse = (status: number, error: string, aadsts: string, description: string): ClientAuthRefusal => ({
  status,
  error,
  aadsts,
  description,
});

const thumbprints = (pem: string): { cert: X509Certificate; x5t: string; x5tS256: string } => {
  const cert = new X509Certificate(pem);
  return {
    cert,
    x5t: createHash('sha1').update(cert.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
  };
};

function audiences(aud: AssertionClaims['aud']): string[] {
  return aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
}

/** nbf/exp as Entra checks them (AADSTS700024), with its skew. */
function timeWindowRefusal(claims: AssertionClaims, what: string): ClientAuthRefusal | undefined {
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number')
    return refuse(400, 'invalid_client', 'AADSTS50027', `JWT token is invalid or malformed: the ${what} has no exp claim.`);
  const from = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (claims.exp + CLOCK_SKEW_SECONDS <= now || (from !== undefined && from - CLOCK_SKEW_SECONDS > now)) {
    const iso = (s: number | undefined): string => (s === undefined ? 'unspecified' : new Date(s * 1000).toISOString());
    return refuse(
      400,
      'invalid_client',
      'AADSTS700024',
      `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(from)}, expiry time of assertion ${iso(claims.exp)}.`,
    );
  }
  return undefined;
}

/** Verifies the JWT's signature only (RS256 or PS256); times and claims are checked apart, for Entra's own codes. */
function signatureValid(assertion: string, key: string): boolean {
  try {
    jwt.verify(assertion, key, { algorithms: ['RS256', 'PS256'], ignoreExpiration: true, ignoreNotBefore: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * A client assertion signed with one of the app's certificates: header `x5t` or `x5t#S256` names the
 * certificate, `aud` is the token endpoint, `iss` = `sub` = the client id, within `nbf`/`exp`.
 */
function verifyCertificateAssertion(
  app: AppRegistration,
  assertion: string,
  header: jwt.JwtHeader & { 'x5t#S256'?: string },
  claims: AssertionClaims,
  tokenEndpoint: string,
): ClientAuthRefusal | undefined {
  const given = header['x5t#S256'] || header.x5t;
  if (!given)
    return refuse(
      401,
      'invalid_client',
      'AADSTS700027',
      'Client assertion contains an invalid signature. [Reason - The key was not found., the assertion header names no certificate thumbprint (x5t or x5t#S256).]',
    );
  const registered = app.certificates.map(thumbprints).find((c) => c.x5t === given || c.x5tS256 === given);
  const hex = Buffer.from(given, 'base64url').toString('hex').toUpperCase();
  if (!registered)
    return refuse(
      401,
      'invalid_client',
      'AADSTS700027',
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${hex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
    );
  if (Date.parse(registered.cert.validTo) <= Date.now())
    return refuse(
      401,
      'invalid_client',
      'AADSTS700027',
      `The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired., Thumbprint of key used by client: '${hex}', Found key 'Start=${registered.cert.validFrom}, End=${registered.cert.validTo}']`,
    );
  if (!signatureValid(assertion, registered.cert.publicKey.export({ type: 'spki', format: 'pem' }).toString()))
    return refuse(401, 'invalid_client', 'AADSTS700027', 'Client assertion failed signature validation.');
  if (!audiences(claims.aud).includes(tokenEndpoint))
    return refuse(
      400,
      'invalid_client',
      'AADSTS50013',
      `Assertion failed audience validation: the aud claim '${audiences(claims.aud).join(' ')}' is not the token endpoint '${tokenEndpoint}'.`,
    );
  return timeWindowRefusal(claims, 'client assertion');
}

/** A federated token (workload identity) from an issuer the app trusts: issuer, subject, audience, signature, time. */
function verifyFederatedAssertion(app: AppRegistration, assertion: string, claims: AssertionClaims): ClientAuthRefusal | undefined {
  const record = app.federatedCredentials.find(
    (f) => f.issuer === claims.iss && f.subject === claims.sub && audiences(claims.aud).includes(f.audience ?? FEDERATED_AUDIENCE),
  );
  if (!record)
    return refuse(
      400,
      'invalid_request',
      'AADSTS70021',
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss ?? ''}'. Assertion Subject: '${claims.sub ?? ''}'. Assertion Audience: '${audiences(claims.aud).join(' ')}'.`,
    );
  if (!signatureValid(assertion, record.signingKey))
    return refuse(401, 'invalid_client', 'AADSTS700027', 'Client assertion failed signature validation.');
  return timeWindowRefusal(claims, 'federated token');
}

/**
 * Authenticates the client of a token request as Entra ID does: a client secret, or a JWT client assertion
 * (the app's certificate, or a federated token from a trusted issuer). Undefined when the client is
 * authenticated, else the refusal to answer.
 */
export function authenticateClient(
  app: AppRegistration,
  form: { readonly field: (k: string) => string; readonly tenant: string },
  tokenEndpoint: string,
): ClientAuthRefusal | undefined {
  const { field, tenant } = form;
  if (field('client_id') !== app.clientId)
    return refuse(
      400,
      'unauthorized_client',
      'AADSTS700016',
      `Application with identifier '${field('client_id')}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  const assertion = field('client_assertion');
  if (assertion === '') {
    if (field('client_secret') === '')
      return refuse(
        401,
        'invalid_client',
        'AADSTS7000218',
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    if (field('client_secret') !== app.clientSecret)
      return refuse(
        401,
        'invalid_client',
        'AADSTS7000215',
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    return undefined;
  }
  if (field('client_assertion_type') !== JWT_BEARER_ASSERTION)
    return refuse(
      400,
      'invalid_request',
      'AADSTS50027',
      `JWT token is invalid or malformed: client_assertion_type must be '${JWT_BEARER_ASSERTION}'.`,
    );
  const decoded = jwt.decode(assertion, { complete: true });
  if (!decoded || typeof decoded.payload === 'string')
    return refuse(400, 'invalid_request', 'AADSTS50027', 'JWT token is invalid or malformed.');
  const claims = decoded.payload as AssertionClaims;
  if (!['RS256', 'PS256'].includes(decoded.header.alg))
    return refuse(
      401,
      'invalid_client',
      'AADSTS700027',
      `Client assertion failed signature validation: algorithm ${decoded.header.alg} is not accepted.`,
    );
  // The app's own assertion names itself as issuer and subject; anything else is a federated token.
  if (claims.iss === app.clientId || claims.sub === app.clientId) {
    if (claims.iss !== app.clientId || claims.sub !== app.clientId)
      return refuse(
        400,
        'invalid_client',
        'AADSTS700021',
        `Client assertion application identifier doesn't match 'client_id' parameter: iss '${claims.iss ?? ''}', sub '${claims.sub ?? ''}', client_id '${app.clientId}'.`,
      );
    return verifyCertificateAssertion(app, assertion, decoded.header, claims, tokenEndpoint);
  }
  return verifyFederatedAssertion(app, assertion, claims);
}
