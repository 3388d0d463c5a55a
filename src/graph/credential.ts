import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { assertCertificateCurrent, readAppCertificate, type AppCertificate } from './certificate-file';
import type { GraphAuth } from './types';

/** Where and how the app signs in. */
export interface SignInSettings {
  readonly authorityHost: string;
  /** Instance discovery off: only for an authority the operator declared trusted (never Microsoft's hosts). */
  readonly trustedAuthority: boolean;
}

/** The environment variable holding a credential part, named after the connector's `credentialsRef`. */
export function credentialVariable(auth: GraphAuth, suffix: string): string {
  return `${auth.ref ?? '<graph.credentialsRef>'}_${suffix}`;
}

/**
 * Signs in with the app's certificate file (PEM with key, or PFX) through `ClientCertificateCredential`. The
 * file is read at every token request, so a certificate rotated in place is used from the next token on, and
 * an expired one is refused here with the fix instead of Entra's AADSTS700027.
 */
class CertificateFileCredential implements TokenCredential {
  private current: { readonly pem: string; readonly credential: ClientCertificateCredential } | undefined;

  constructor(
    private readonly auth: Extract<GraphAuth, { kind: 'certificate' }>,
    private readonly settings: SignInSettings,
  ) {}

  /** The certificate as it is on disk now (for `check`, and before each sign-in). */
  read(): Promise<AppCertificate> {
    return readAppCertificate(this.auth.certificatePath, this.auth.certificatePassword, {
      path: credentialVariable(this.auth, 'CLIENT_CERTIFICATE_PATH'),
      password: credentialVariable(this.auth, 'CLIENT_CERTIFICATE_PASSWORD'),
    });
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const cert = await this.read();
    assertCertificateCurrent(cert, this.auth.certificatePath, credentialVariable(this.auth, 'CLIENT_CERTIFICATE_PATH'));
    if (this.current?.pem !== cert.pem) {
      this.current = {
        pem: cert.pem,
        credential: new ClientCertificateCredential(
          this.auth.tenantId,
          this.auth.clientId,
          { certificate: cert.pem, ...(cert.pemPassword !== undefined ? { certificatePassword: cert.pemPassword } : {}) },
          signInOptions(this.settings),
        ),
      };
    }
    return this.current.credential.getToken(scopes, options);
  }
}

function signInOptions(s: SignInSettings): { authorityHost: string; disableInstanceDiscovery: boolean } {
  return { authorityHost: s.authorityHost, disableInstanceDiscovery: s.trustedAuthority };
}

/** The `@azure/identity` credential for the connector's Graph app: the only way this project signs in to Graph. */
export function createGraphCredential(auth: GraphAuth, settings: SignInSettings): TokenCredential {
  switch (auth.kind) {
    case 'client-secret':
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, signInOptions(settings));
    case 'certificate':
      return new CertificateFileCredential(auth, settings);
    case 'workload-identity':
      return new WorkloadIdentityCredential({
        tenantId: auth.tenantId,
        clientId: auth.clientId,
        tokenFilePath: auth.tokenFilePath,
        ...signInOptions(settings),
      });
    case 'managed-identity':
      // The host's identity endpoint (IMDS, App Service, Arc...) issues the token: no authority involved.
      return new ManagedIdentityCredential(auth.userAssigned ? { clientId: auth.clientId } : {});
  }
}

/** The certificate a credential signs with, when it is a certificate credential (for `check`). */
export function credentialCertificate(credential: TokenCredential): Promise<AppCertificate> | undefined {
  return credential instanceof CertificateFileCredential ? credential.read() : undefined;
}
