/**
 * Makes the TLS clients of the test process trust the CAs of the emulators it talks to, as
 * `NODE_EXTRA_CA_CERTS` makes a user's process trust them. Node.js reads that variable only when a
 * process starts, before any emulator of the tests has made its CA, so this process adds the CAs to
 * every TLS client context made without a `ca` of its own (`fetch`, `https.globalAgent`, the
 * agents the SDKs make): the CA of every emulator this process starts, and those given to
 * {@link trustInThisProcess} (emulators in child processes). Child processes (the engine, Python)
 * get the real variables, from the emulator's `clientEnv`. Loaded by `.mocharc.json`.
 */
import * as fs from "node:fs";
import tls = require("node:tls");
import { trustedAuthorities } from "../../src/emulator/core/tls/childTrust";

const extra = new Set<string>();

/** Trusts the CA in `caPath` (an emulator's `ca.pem`) from now on. */
export function trustInThisProcess(caPath: string): void {
  extra.add(fs.readFileSync(caPath, "utf8"));
}

type NativeContext = { addCACert(pem: string): void };
const original = tls.createSecureContext;
// The module object itself (not an import copy), so every client's `tls.connect` sees the change.
(tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = function createSecureContextTrustingEmulators(options?: tls.SecureContextOptions): tls.SecureContext {
  const context = original.call(this, options);
  if (options?.ca === undefined) {
    // Adds to a copy of the default roots (NODE_EXTRA_CA_CERTS included) of this context only.
    const native = (context as unknown as { context: NativeContext }).context;
    for (const pem of [...trustedAuthorities(), ...extra]) native.addCACert(pem);
  }
  return context;
};
