/**
 * The key the emulator signs its access tokens with (RSA 2048, RS256). With a state folder it is
 * made on the first start and kept in `<stateDir>/identity/signing-key.pem` (readable by the owner
 * only), so tokens stay valid across restarts; without one, one key is made per process, in
 * memory, for the in-memory emulators of the process (whose tokens, in the same tenant, each
 * accepts from the others).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileDurably } from "../core/durableFile";

/** The signing key and its public parts. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Key id: `kid` (and `x5t`) of every token header, the base64url SHA-1 of the public key. */
  readonly kid: string;
}

/** File of the signing key under the state folder. */
export const SIGNING_KEY_FILE = path.join("identity", "signing-key.pem");

let processKey: Promise<SigningKey> | undefined;

/** The signing key of `stateDir` (made when missing), or this process's in-memory key. */
export async function loadSigningKey(stateDir: string | undefined): Promise<SigningKey> {
  if (stateDir === undefined) return (processKey ??= newKeyPem().then(signingKeyOf));
  const file = path.join(stateDir, SIGNING_KEY_FILE);
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    pem = await newKeyPem();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileDurably(file, pem, 0o600);
  }
  return signingKeyOf(pem);
}

const generateRsa = promisify(generateKeyPair);

/** A new RSA 2048 key, PKCS#8 PEM (made on the thread pool). */
export async function newKeyPem(): Promise<string> {
  const { privateKey } = await generateRsa("rsa", { modulusLength: 2048 });
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** The key of a PEM, with its public key and id. */
export function signingKeyOf(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicKey, kid: createHash("sha1").update(der).digest("base64url") };
}
