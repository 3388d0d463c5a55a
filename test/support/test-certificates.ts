import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import forge from 'node-forge';

/** A self-signed certificate with its key, in the forms an app registration and a worker use. */
export interface TestCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** Certificate then key: what `<REF>_CLIENT_CERTIFICATE_PATH` names as PEM. */
  readonly combinedPem: string;
  /** PKCS#12 of the certificate and key, protected with `password`. */
  pfx(password: string): Buffer;
}

function forgeKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
}

/** A self-signed certificate valid from `notBefore` to `notAfter` (default: an hour ago to a year on). */
export function makeCertificate(
  options: { readonly commonName?: string; readonly notBefore?: Date; readonly notAfter?: Date } = {},
): TestCertificate {
  const key = forgeKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const name = [{ name: 'commonName', value: options.commonName ?? 'lp-archive test app' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  return bundle(cert, key);
}

/** The certificate and its key in every form the tests hand out (the key as PKCS#8, which every TLS stack reads). */
function bundle(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): TestCertificate {
  const certPem = forge.pki.certificateToPem(cert);
  const keyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  return {
    certPem,
    keyPem,
    combinedPem: `${certPem}${keyPem}`,
    pfx: (password) =>
      Buffer.from(
        forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des', friendlyName: 'lp-archive' })).getBytes(),
        'binary',
      ),
  };
}

/** A certificate authority that issues TLS client certificates (for mutual TLS tests). */
export interface TestCa {
  readonly certPem: string;
  /** A client certificate (extended key usage clientAuth) signed by this CA. */
  issueClientCertificate(commonName: string): TestCertificate;
}

export function makeCa(commonName = 'lp-archive test client CA'): TestCa {
  const caKey = forgeKey();
  const ca = forge.pki.createCertificate();
  ca.publicKey = forge.pki.setRsaPublicKey(caKey.n, caKey.e);
  ca.serialNumber = `01${randomBytes(8).toString('hex')}`;
  ca.validity.notBefore = new Date(Date.now() - 3_600_000);
  ca.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
  const caName = [{ name: 'commonName', value: commonName }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, critical: true },
  ]);
  ca.sign(caKey, forge.md.sha256.create());
  return {
    certPem: forge.pki.certificateToPem(ca),
    issueClientCertificate(cn) {
      const key = forgeKey();
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
      cert.serialNumber = `02${randomBytes(8).toString('hex')}`;
      cert.validity.notBefore = new Date(Date.now() - 3_600_000);
      cert.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
      cert.setSubject([{ name: 'commonName', value: cn }]);
      cert.setIssuer(caName);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ]);
      cert.sign(caKey, forge.md.sha256.create());
      return bundle(cert, key);
    },
  };
}

/** A private temporary folder for test files; remove it with `fs.rmSync(dir, { recursive: true })`. */
export function tempDir(prefix = 'lpa-cert-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
