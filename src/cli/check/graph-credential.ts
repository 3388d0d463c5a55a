import type { AppCertificate } from '../../graph/certificate-file';
import type { GraphAuth } from '../../graph/types';

/** A certificate that expires within this long is reported as a warning. */
export const CERTIFICATE_WARN_MS = 30 * 86_400_000;

/** Which Graph credential a connector uses, in one line, naming the variables it was chosen by. */
export function describeCredential(auth: GraphAuth): string {
  const ref = auth.ref ?? 'graph.credentialsRef';
  const app = `app ${auth.clientId} in tenant ${auth.tenantId}`;
  switch (auth.kind) {
    case 'client-secret':
      return `client secret (${ref}_CLIENT_SECRET) for ${app}`;
    case 'certificate':
      return `certificate ${auth.certificatePath} (${ref}_CLIENT_CERTIFICATE_PATH${auth.certificatePassword !== undefined ? `, ${ref}_CLIENT_CERTIFICATE_PASSWORD` : ''}) for ${app}`;
    case 'workload-identity':
      return `workload identity federation: federated token in ${auth.tokenFilePath} (${ref}_FEDERATED_TOKEN_FILE) for ${app}`;
    case 'managed-identity':
      return auth.userAssigned
        ? `user-assigned managed identity ${auth.clientId} (${ref}_MANAGED_IDENTITY=user-assigned) in tenant ${auth.tenantId}`
        : `the host's system-assigned managed identity (${ref}_MANAGED_IDENTITY=system) in tenant ${auth.tenantId}`;
  }
}

/**
 * `check`'s verdict on the app's certificate: ok, a warning within {@link CERTIFICATE_WARN_MS} of expiry, or a
 * failure (thrown) when it has expired or is not valid yet.
 */
export function certificateVerdict(cert: AppCertificate, now: number): { value: boolean; detail: string; warn?: string } {
  const expires = cert.notAfter.toISOString();
  const days = Math.floor((cert.notAfter.getTime() - now) / 86_400_000);
  if (cert.notAfter.getTime() <= now) throw new Error(`certificate ${cert.thumbprint} (${cert.subject}) expired on ${expires}`);
  if (cert.notBefore.getTime() > now)
    throw new Error(`certificate ${cert.thumbprint} (${cert.subject}) is valid only from ${cert.notBefore.toISOString()}`);
  const detail = `certificate ${cert.thumbprint} (${cert.subject}) expires on ${expires} (in ${days} days)`;
  if (cert.notAfter.getTime() - now < CERTIFICATE_WARN_MS)
    return {
      value: true,
      detail,
      warn: `renew it before ${expires}: upload a new certificate to the app registration, then point the variable at it (both can be registered during the switch)`,
    };
  return { value: true, detail };
}
