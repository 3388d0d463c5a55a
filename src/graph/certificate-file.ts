import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import { GraphConfigError } from './errors';

/** The app's certificate as `ClientCertificateCredential` takes it, with what `check` and errors tell about it. */
export interface AppCertificate {
  /** PEM: the certificate (first), any chain, and the private key. */
  readonly pem: string;
  /** Passphrase of an encrypted PEM private key (a PFX is decrypted here, so none is needed for it). */
  readonly pemPassword?: string;
  /** SHA-1 thumbprint, hex upper case, as the Entra portal shows it. */
  readonly thumbprint: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_PRIVATE_KEY = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/;

/** A PFX (PKCS#12) as PEM: its certificates, the one with the private key first, then that key. */
function pfxToPem(der: Buffer, password: string | undefined, where: string, passwordVariable: string): string {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))), password ?? '');
  } catch (err) {
    const message = (err as Error).message;
    const wrongPassword = /mac could not be verified|invalid password|decrypt/i.test(message);
    throw new GraphConfigError(
      'CertificateUnreadable',
      `The certificate file ${where} cannot be opened as PFX: ${message}.`,
      wrongPassword
        ? `set ${passwordVariable} to the PFX file's password (or export the certificate again).`
        : `export the app's certificate as PFX (PKCS#12) or as PEM with its private key, and point the variable at that file.`,
    );
  }
  const oids = forge.pki.oids as Record<string, string>;
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(oids.pkcs8ShroudedKeyBag!), ...bags(oids.keyBag!)].find((b) => b.key);
  const certs = bags(oids.certBag!).flatMap((b): forge.pki.Certificate[] => (b.cert ? [b.cert] : []));
  if (!keyBag?.key || certs.length === 0)
    throw new GraphConfigError(
      'CertificateUnreadable',
      `The PFX file ${where} holds ${keyBag?.key ? 'no certificate' : 'no private key'}.`,
      "export the app's certificate together with its private key.",
    );
  const key = keyBag.key;
  // The certificate whose public key matches the private key goes first: it is the one Entra knows.
  const own = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n)) ?? certs[0]!;
  const ordered = [own, ...certs.filter((c) => c !== own)];
  return `${ordered.map((c) => forge.pki.certificateToPem(c)).join('')}${forge.pki.privateKeyToPem(key)}`;
}

/**
 * Reads the app's certificate: a PEM file with the certificate and its private key, or a PFX (PKCS#12) file.
 * Read at every sign-in, so a certificate rotated in place is picked up. Errors name the variable to fix.
 */
export async function readAppCertificate(
  path: string,
  password: string | undefined,
  variables: { readonly path: string; readonly password: string },
): Promise<AppCertificate> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new GraphConfigError(
      'CertificateUnreadable',
      `Cannot read the certificate file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      `point ${variables.path} at the app's certificate (PEM with its private key, or PFX), readable by the worker.`,
    );
  }
  const text = bytes.toString('utf8');
  const isPem = text.includes('-----BEGIN');
  const pem = isPem ? text : pfxToPem(bytes, password, path, variables.password);
  const first = pem.match(PEM_CERTIFICATE)?.[0];
  if (!first || !PEM_PRIVATE_KEY.test(pem))
    throw new GraphConfigError(
      'CertificateUnreadable',
      `The certificate file ${path} has ${first ? 'no private key' : 'no certificate'}.`,
      `${variables.path} must name one PEM file holding the certificate and its private key (e.g. \`cat cert.pem key.pem > app.pem\`), or a PFX file.`,
    );
  const cert = new X509Certificate(first);
  return {
    pem,
    ...(isPem && password !== undefined ? { pemPassword: password } : {}),
    thumbprint: cert.fingerprint.replace(/:/g, ''),
    subject: cert.subject.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

/** Refuses a certificate Entra would refuse for its dates, before asking: the message says when and what to do. */
export function assertCertificateCurrent(cert: AppCertificate, path: string, pathVariable: string, now = Date.now()): void {
  if (cert.notAfter.getTime() <= now)
    throw new GraphConfigError(
      'CertificateExpired',
      `The app's certificate ${cert.thumbprint} (${path}) expired on ${cert.notAfter.toISOString()}.`,
      `create a new certificate, upload it to the app registration (Certificates & secrets), and point ${pathVariable} at it with its private key.`,
    );
  if (cert.notBefore.getTime() > now)
    throw new GraphConfigError(
      'CertificateNotYetValid',
      `The app's certificate ${cert.thumbprint} (${path}) is valid only from ${cert.notBefore.toISOString()}.`,
      `check the worker host's clock, or point ${pathVariable} at a certificate valid now.`,
    );
}
