/**
 * The local stack's own certificate authority: a self-signed CA and a server certificate for 127.0.0.1,
 * ::1 and localhost, made once into the git-ignored `.stack/tls/`. The Graph emulator serves HTTPS with it, so
 * the connector signs in through `@azure/identity` exactly as in production; every process that talks to the
 * emulator trusts the CA through NODE_EXTRA_CA_CERTS (see {@link relaunchTrustingLocalCa}).
 * Node reads NODE_EXTRA_CA_CERTS only when it starts, so an entry point started without it runs itself again
 * with it (jest.config.js does this before jest loads anything).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import forge from 'node-forge';
import { PROJECT_ROOT } from './paths';

/** Where the local CA lives (git-ignored with the rest of `.stack/`). */
export const LOCAL_TLS_DIR = path.join(PROJECT_ROOT, '.stack', 'tls');

/** Files of the local CA. The CA's private key is not kept: nothing else can be signed with it. */
export interface LocalCa {
  /** The CA certificate (PEM): what NODE_EXTRA_CA_CERTS names. */
  readonly caPath: string;
  /** Server certificate (PEM) for 127.0.0.1, ::1 and localhost, signed by the CA. */
  readonly serverCertPath: string;
  /** Its private key (PEM, PKCS#8). */
  readonly serverKeyPath: string;
}

/** A certificate that expires sooner than this is made again (with a new CA). */
const RENEW_BEFORE_MS = 30 * 86_400_000;
const VALID_DAYS = 825;

function filesIn(dir: string): LocalCa {
  return {
    caPath: path.join(dir, 'ca.pem'),
    serverCertPath: path.join(dir, 'server.pem'),
    serverKeyPath: path.join(dir, 'server-key.pem'),
  };
}

function usable(ca: LocalCa): boolean {
  try {
    const server = new X509Certificate(fs.readFileSync(ca.serverCertPath));
    const root = new X509Certificate(fs.readFileSync(ca.caPath));
    fs.accessSync(ca.serverKeyPath, fs.constants.R_OK);
    return server.checkIssued(root) && Date.parse(server.validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

/** An RSA key pair made by Node (fast, native), in node-forge's form. */
function rsaKeys(): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function serial(): string {
  // Positive: the first bit clear.
  return (randomBytes(16)[0]! & 0x7f).toString(16).padStart(2, '0') + randomBytes(15).toString('hex');
}

function certificate(
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  publicKey: forge.pki.PublicKey,
  signer: forge.pki.rsa.PrivateKey,
  extensions: object[],
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + VALID_DAYS * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(signer, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function writeNew(dir: string): void {
  const caKeys = rsaKeys();
  const caName = [
    { name: 'commonName', value: `lp-archive local CA ${new Date().toISOString().slice(0, 10)}` },
    { name: 'organizationName', value: 'lp-archive local stack' },
  ];
  const caPem = certificate(caName, caName, caKeys.publicKey, caKeys.privateKey, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const serverKeys = rsaKeys();
  const serverPem = certificate([{ name: 'commonName', value: 'localhost' }], caName, serverKeys.publicKey, caKeys.privateKey, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  const files = filesIn(dir);
  fs.writeFileSync(files.caPath, caPem);
  fs.writeFileSync(files.serverCertPath, serverPem);
  fs.writeFileSync(
    files.serverKeyPath,
    forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(serverKeys.privateKey))),
    {
      mode: 0o600,
    },
  );
}

/**
 * The local CA, made when missing or about to expire. Safe when several processes start at once: each writes
 * a folder of its own and renames it into place; one wins, the others use the winner's.
 */
export function ensureLocalCa(dir: string = LOCAL_TLS_DIR): LocalCa {
  const files = filesIn(dir);
  if (usable(files)) return files;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = `${dir}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging, { recursive: true });
  writeNew(staging);
  const old = `${dir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    if (fs.existsSync(dir) && !usable(files)) fs.renameSync(dir, old);
    fs.renameSync(staging, dir);
  } catch {
    // Another process put a usable CA in place first.
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
  if (!usable(files)) throw new Error(`Could not create the local CA in ${dir}: delete that folder and try again.`);
  return files;
}

/** The server certificate and key for an HTTPS server of the local stack (the Graph emulator). */
export function localServerTls(dir: string = LOCAL_TLS_DIR): { cert: string; key: string } {
  const ca = ensureLocalCa(dir);
  return { cert: fs.readFileSync(ca.serverCertPath, 'utf8'), key: fs.readFileSync(ca.serverKeyPath, 'utf8') };
}

/** True when this process was started trusting the local CA. */
export function trustsLocalCa(env: NodeJS.ProcessEnv = process.env, dir: string = LOCAL_TLS_DIR): boolean {
  return env.NODE_EXTRA_CA_CERTS === filesIn(dir).caPath || env.NODE_EXTRA_CA_CERTS === path.join(dir, 'ca-bundle.pem');
}

/**
 * The file NODE_EXTRA_CA_CERTS should name: the local CA, or, when the environment already names a file of
 * extra CAs (a corporate proxy's), a bundle of both.
 */
function extraCaFile(ca: LocalCa, dir: string): string {
  const own = process.env.NODE_EXTRA_CA_CERTS;
  if (!own) return ca.caPath;
  const bundle = path.join(dir, 'ca-bundle.pem');
  fs.writeFileSync(bundle, `${fs.readFileSync(own, 'utf8').trim()}\n${fs.readFileSync(ca.caPath, 'utf8')}`);
  return bundle;
}

/**
 * Makes sure this process trusts the local CA. If it was not started with NODE_EXTRA_CA_CERTS naming it, it
 * runs the same command again with it (same Node flags and arguments, output inherited, SIGINT/SIGTERM passed
 * on), exits with the child's code, and the returned promise never settles. Children inherit the variable.
 * Entry points of the local stack (jest's config, demo, stack, bench, fault suite) await it first.
 */
export function relaunchTrustingLocalCa(dir: string = LOCAL_TLS_DIR): Promise<void> {
  const ca = ensureLocalCa(dir);
  if (trustsLocalCa(process.env, dir)) return Promise.resolve();
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: extraCaFile(ca, dir) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.once('error', (err) => {
    console.error(`Could not start this command again trusting the local CA (${ca.caPath}): ${err.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
  return new Promise<void>(() => undefined);
}

// `node --import tsx scripts/lib/local-ca.ts`: makes the CA when missing and prints the path of its certificate
// (jest.config.js uses it, to start jest trusting the CA without loading TypeScript into jest's process).
if (require.main === module) process.stdout.write(`${ensureLocalCa().caPath}\n`);
