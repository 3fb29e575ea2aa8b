/**
 * The emulator's X.509 certificates: a local certificate authority and a server certificate it
 * signs for the names the emulator is reached by. node-forge builds them; Node's own crypto makes
 * the keys and the signatures (native, where forge's are pure JavaScript and slow); Node's
 * `X509Certificate` checks them.
 */
import { createPrivateKey, generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { isIP } from "node:net";
import forge from "node-forge";

/** A certificate and its private key, both PEM. */
export interface KeyedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** How long the CA is valid. */
const CA_LIFETIME_DAYS = 10 * 365;
/** How long a server certificate is valid (below the 398 days clients such as browsers accept). */
const SERVER_LIFETIME_DAYS = 397;
/** A certificate closer than this to its end is replaced at start. */
export const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A new local certificate authority (RSA 2048, SHA-256), valid from an hour before `now`. */
export async function createCertificateAuthority(now: Date = new Date()): Promise<KeyedCertificate> {
  const { keyPem, publicKey, privateKey } = await newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  setValidity(cert, now, CA_LIFETIME_DAYS);
  const subject = [
    { name: "commonName", value: "azureml-databricks emulator local CA" },
    { name: "organizationName", value: "pulumi-azureml-databricks (local emulator)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  signWith(cert, privateKey);
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/**
 * A server certificate signed by `ca` for `names` (host names and IP addresses), valid for TLS
 * server authentication from an hour before `now`.
 */
export async function issueServerCertificate(ca: KeyedCertificate, names: readonly string[], now: Date = new Date()): Promise<KeyedCertificate> {
  if (names.length === 0) throw new Error("A server certificate needs at least one name.");
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const { keyPem, publicKey } = await newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  setValidity(cert, now, SERVER_LIFETIME_DAYS);
  cert.setSubject([{ name: "commonName", value: names[0] }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: names.map((n) => (isIP(unbracket(n)) ? { type: 7, ip: unbracket(n) } : { type: 2, value: n })) },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signWith(cert, createPrivateKey(ca.keyPem));
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** Why `ca` cannot be used at `now` (not a CA, ended or about to end), or `undefined` when it can. */
export function authorityProblem(ca: KeyedCertificate, now: Date = new Date()): string | undefined {
  const cert = new X509Certificate(ca.certPem);
  if (!cert.ca) return "it is not a certificate authority";
  if (!cert.checkPrivateKey(createPrivateKey(ca.keyPem))) return "its key does not match it";
  return lifetimeProblem(cert, now);
}

/**
 * Why `server` cannot be used at `now` with `ca` for `names` (signed by another CA, a name
 * missing, ended or about to end), or `undefined` when it can.
 */
export function serverCertificateProblem(server: KeyedCertificate, ca: KeyedCertificate, names: readonly string[], now: Date = new Date()): string | undefined {
  const cert = new X509Certificate(server.certPem);
  const authority = new X509Certificate(ca.certPem);
  if (!cert.checkIssued(authority) || !cert.verify(authority.publicKey)) return "another authority signed it";
  if (!cert.checkPrivateKey(createPrivateKey(server.keyPem))) return "its key does not match it";
  const missing = names.filter((n) => (isIP(unbracket(n)) ? cert.checkIP(unbracket(n)) === undefined : cert.checkHost(n, { wildcards: false }) === undefined));
  if (missing.length > 0) return `it does not name ${missing.join(", ")}`;
  return lifetimeProblem(cert, now);
}

function lifetimeProblem(cert: X509Certificate, now: Date): string | undefined {
  if (new Date(cert.validFrom) > now) return `it is valid only from ${cert.validFrom}`;
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return `it ends on ${cert.validTo}`;
  return undefined;
}

const generateRsa = promisify(generateKeyPair);

/** A new RSA 2048 key (made on the thread pool): its PEM, the Node key and forge's public key. */
async function newRsaKey(): Promise<{ keyPem: string; publicKey: forge.pki.rsa.PublicKey; privateKey: KeyObject }> {
  const { privateKey, publicKey } = await generateRsa("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { keyPem, privateKey, publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()) as forge.pki.rsa.PublicKey };
}

/**
 * Signs `cert` with SHA-256 and RSA: forge lays out the certificate and asks its "key" to sign;
 * the key given here signs forge's to-be-signed bytes with Node's crypto.
 */
function signWith(cert: forge.pki.Certificate, key: KeyObject): void {
  const signer = {
    sign: () => {
      const tbs = forge.asn1.toDer((cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate).getBytes();
      return sign("sha256", Buffer.from(tbs, "binary"), key).toString("binary");
    },
  };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

/** A random positive serial number of 16 bytes (hex). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString("hex");
}

function setValidity(cert: forge.pki.Certificate, now: Date, days: number): void {
  // An hour back, so a client whose clock is slightly behind accepts it at once.
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}

function unbracket(name: string): string {
  return name.replace(/^\[(.*)\]$/, "$1");
}
