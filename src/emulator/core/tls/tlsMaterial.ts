/**
 * Where the emulator's CA and server certificate live, and their reuse. With a folder (by default
 * `<stateDir>/tls`) they are made on the first start and reused by every later one, so a client
 * trusts the CA once: `ca.pem` (the certificate to trust), `ca-key.pem`, `server.pem` and
 * `server-key.pem` (keys readable by the owner only). A server certificate that does not name
 * every address the emulator is reached by, or ends within 30 days, is replaced by a new one from
 * the same CA; a CA that ends within 30 days is replaced with its server certificate.
 *
 * Without a folder, one CA is made per process and kept in memory, shared by the in-memory
 * emulators of the process; only its certificate is written, to a temporary folder removed when
 * the process exits (so that it has a path to trust).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFileDurably } from "../durableFile";
import { authorityProblem, createCertificateAuthority, issueServerCertificate, serverCertificateProblem, type KeyedCertificate } from "./certificates";
import { processTempDir } from "./processTempDir";

/** The TLS files of a folder. */
export const TLS_FILES = Object.freeze({ ca: "ca.pem", caKey: "ca-key.pem", server: "server.pem", serverKey: "server-key.pem" });

/** What the server needs, and the CA clients trust. */
export interface TlsMaterial {
  /** The CA certificate (PEM). */
  readonly caPem: string;
  /** The file holding {@link caPem}: what clients trust (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, the system store). */
  readonly caPath: string;
  /** The server certificate (PEM). */
  readonly certPem: string;
  /** The server certificate's private key (PEM). */
  readonly keyPem: string;
}

/**
 * The names a server certificate covers: the loopback names (`localhost`, `127.0.0.1`, `::1`),
 * plus the address the emulator listens on when it is another one, plus the machine's host name
 * when it listens on every interface.
 */
export function serverNames(host: string): string[] {
  const names = ["localhost", "127.0.0.1", "::1"];
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  const extra = bare === "0.0.0.0" || bare === "::" ? os.hostname() : bare;
  if (extra && !names.includes(extra.toLowerCase())) names.push(extra);
  return names;
}

/**
 * The CA and a server certificate for `names`, from `dir` (made there when missing or unusable),
 * or, without `dir`, this process's in-memory CA. `log` hears what was made and why.
 */
export function loadTlsMaterial(dir: string | undefined, names: readonly string[], log: (line: string) => void = () => undefined): Promise<TlsMaterial> {
  return dir === undefined ? processMaterial(names) : folderMaterial(path.resolve(dir), names, log);
}

async function folderMaterial(dir: string, names: readonly string[], log: (line: string) => void): Promise<TlsMaterial> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: keyof typeof TLS_FILES) => path.join(dir, TLS_FILES[name]);
  const now = new Date();
  let ca = readPair(file("ca"), file("caKey"));
  const caProblem = ca ? authorityProblem(ca, now) : "there is none";
  if (caProblem) {
    if (ca) log(`emulator TLS: a new CA replaces the one in ${dir} (${caProblem}); clients must trust the new ${file("ca")}`);
    ca = await createCertificateAuthority(now);
    writeFileDurably(file("caKey"), ca.keyPem, 0o600);
    writeFileDurably(file("ca"), ca.certPem, 0o644);
  }
  let server = caProblem ? undefined : readPair(file("server"), file("serverKey"));
  const serverProblem = server ? serverCertificateProblem(server, ca!, names, now) : "there is none";
  if (serverProblem) {
    if (server) log(`emulator TLS: a new server certificate for ${names.join(", ")} (${serverProblem})`);
    server = await issueServerCertificate(ca!, names, now);
    writeFileDurably(file("serverKey"), server.keyPem, 0o600);
    writeFileDurably(file("server"), server.certPem, 0o644);
  }
  return { caPem: ca!.certPem, caPath: file("ca"), certPem: server!.certPem, keyPem: server!.keyPem };
}

function readPair(certFile: string, keyFile: string): KeyedCertificate | undefined {
  try {
    return { certPem: fs.readFileSync(certFile, "utf8"), keyPem: fs.readFileSync(keyFile, "utf8") };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** This process's CA (made on first use) and its server certificates by name list. */
let processCa: Promise<{ ca: KeyedCertificate; caPath: string }> | undefined;
const processServers = new Map<string, Promise<KeyedCertificate>>();

async function processMaterial(names: readonly string[]): Promise<TlsMaterial> {
  processCa ??= createCertificateAuthority().then((ca) => {
    const caPath = path.join(processTempDir(), TLS_FILES.ca);
    fs.writeFileSync(caPath, ca.certPem, { mode: 0o644 });
    return { ca, caPath };
  });
  const { ca, caPath } = await processCa;
  const key = names.join(",");
  let server = processServers.get(key);
  if (!server) {
    server = issueServerCertificate(ca, names);
    processServers.set(key, server);
  }
  const { certPem, keyPem } = await server;
  return { caPem: ca.certPem, caPath, certPem, keyPem };
}
