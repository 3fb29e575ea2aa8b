/**
 * What a child process needs to trust the emulators of this process: environment variables naming
 * bundles that hold their CAs. Node.js adds `NODE_EXTRA_CA_CERTS` to its own roots, so that bundle
 * is the CAs (after the certificates a `NODE_EXTRA_CA_CERTS` of this process already names);
 * Python's `requests` (`REQUESTS_CA_BUNDLE`) and `ssl` (`SSL_CERT_FILE`) replace their roots with
 * the bundle, so that one starts with the roots this process's Python would use (its
 * `REQUESTS_CA_BUNDLE` or `SSL_CERT_FILE`, else the system's bundle, else Node.js's roots), and a
 * notebook keeps reaching public HTTPS sites (PyPI, for one) as before.
 *
 * The bundles sit in this process's temporary folder and grow as emulators start; a child started
 * by any emulator of the process trusts every one of them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tls from "node:tls";
import { writeFileDurably } from "../durableFile";
import { processTempDir } from "./processTempDir";

/** Where a system keeps its CA bundle (Debian and Ubuntu, Fedora and RHEL, openSUSE, Alpine, macOS Homebrew). */
const SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem", "/usr/local/etc/openssl/cert.pem"];

/** File names of the bundles in the process's temporary folder. */
export const TRUST_FILES = Object.freeze({ node: "node-extra-ca-certs.pem", python: "ca-bundle.pem" });

const trusted: string[] = [];

/**
 * Adds `caPem` to the bundles (once) and returns the environment that makes a child process trust
 * it and every other CA added before: `NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`.
 */
export function trustInChildProcesses(caPem: string): Record<string, string> {
  const pem = caPem.trim();
  if (!trusted.includes(pem)) {
    trusted.push(pem);
    const dir = processTempDir();
    writeFileDurably(path.join(dir, TRUST_FILES.node), joinPem([readable(process.env.NODE_EXTRA_CA_CERTS), ...trusted]), 0o644);
    writeFileDurably(path.join(dir, TRUST_FILES.python), joinPem([pythonRoots(), ...trusted]), 0o644);
  }
  return childTrustEnvironment();
}

/** The CA certificates (PEM) of the emulators this process has started. */
export function trustedAuthorities(): readonly string[] {
  return [...trusted];
}

/**
 * The environment naming the bundles of every emulator CA of this process, or nothing when no
 * emulator of the process serves https. The executor gives it to the Python processes it starts.
 */
export function childTrustEnvironment(): Record<string, string> {
  if (trusted.length === 0) return {};
  const dir = processTempDir();
  const python = path.join(dir, TRUST_FILES.python);
  return { NODE_EXTRA_CA_CERTS: path.join(dir, TRUST_FILES.node), REQUESTS_CA_BUNDLE: python, SSL_CERT_FILE: python };
}

/** The roots a Python process of this environment trusts, as PEM text. */
function pythonRoots(): string {
  const named = readable(process.env.REQUESTS_CA_BUNDLE) ?? readable(process.env.SSL_CERT_FILE);
  if (named !== undefined) return named;
  for (const file of SYSTEM_BUNDLES) {
    const text = readable(file);
    if (text !== undefined) return text;
  }
  return tls.rootCertificates.join("\n");
}

/** The text of a readable file, or `undefined`. */
function readable(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function joinPem(parts: (string | undefined)[]): string {
  return parts
    .filter((p): p is string => p !== undefined && p.trim() !== "")
    .map((p) => p.trim())
    .join("\n") + "\n";
}
