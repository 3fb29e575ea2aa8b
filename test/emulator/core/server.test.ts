import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { LOCAL_EMULATOR_TOKEN, startEmulator } from "../../../src/emulator";

describe("emulator: where it listens", () => {
  it("refuses to listen beyond loopback with the public token", async () => {
    for (const host of ["0.0.0.0", "::"]) {
      await assert.rejects(startEmulator({ host, port: 0 }), {
        message: `The emulator listens on ${host}, beyond this machine, only with a token of your own: the default token is public. Set AMLDB_LOCAL_TOKEN (or the token option) to a secret value, or listen on 127.0.0.1.`,
      });
      await assert.rejects(startEmulator({ host, port: 0, token: LOCAL_EMULATOR_TOKEN }), /only with a token of your own/);
    }
  });

  it("listens on all interfaces with a token of its own, and its URL says so", async () => {
    const emulator = await startEmulator({ host: "0.0.0.0", port: 0, token: "a-token-of-its-own" });
    try {
      assert.match(emulator.url, /^https:\/\/0\.0\.0\.0:\d+$/);
      const port = new URL(emulator.url).port;
      const res = await fetch(`https://127.0.0.1:${port}/_emulator/health`, { headers: { authorization: "Bearer a-token-of-its-own" } });
      assert.equal(res.status, 200);
    } finally {
      await emulator.close();
    }
  });

  it("listens on loopback with the public token", async () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      const emulator = await startEmulator({ host, port: 0 });
      await emulator.close();
      assert.match(emulator.url, host === "::1" ? /^https:\/\/\[::1\]:\d+$/ : /^https:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it("serves https with a CA made in <stateDir>/tls on first start and reused by the next, naming loopback", async function () {
    this.timeout(30_000);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-tls-"));
    try {
      const first = await startEmulator({ port: 0, stateDir });
      const caPath = path.join(stateDir, "tls", "ca.pem");
      const ca = fs.readFileSync(caPath, "utf8");
      await first.close();
      assert.deepEqual(
        [first.caPath, fs.readdirSync(path.join(stateDir, "tls")).sort(), (fs.statSync(path.join(stateDir, "tls", "ca-key.pem")).mode & 0o777).toString(8)],
        [caPath, ["ca-key.pem", "ca.pem", "server-key.pem", "server.pem"], "600"],
      );
      const second = await startEmulator({ port: 0, stateDir });
      try {
        assert.equal(fs.readFileSync(caPath, "utf8"), ca, "the CA is reused");
        const served = await peerCertificate(second.url, ca);
        assert.deepEqual([served.subjectaltname, served.issuer.CN], ["DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1", "azureml-databricks emulator local CA"]);
        assert.equal(second.clientEnv.NODE_EXTRA_CA_CERTS.endsWith("node-extra-ca-certs.pem"), true);
        assert.ok(fs.readFileSync(second.clientEnv.REQUESTS_CA_BUNDLE, "utf8").includes(ca.trim()));
        assert.equal(second.clientEnv.SSL_CERT_FILE, second.clientEnv.REQUESTS_CA_BUNDLE);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("refuses a client that does not trust its CA", async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      await assert.rejects(peerCertificate(emulator.url, tls.rootCertificates.join("\n")), { code: "SELF_SIGNED_CERT_IN_CHAIN" });
    } finally {
      await emulator.close();
    }
  });

  it("serves plain http with the http option, and tells clients to allow it", async () => {
    const emulator = await startEmulator({ port: 0, http: true });
    try {
      assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual([emulator.caPath, emulator.clientEnv], [undefined, { AMLDB_LOCAL_HTTP: "1" }]);
      const res = await fetch(`${emulator.url}/_emulator/health`, { headers: { authorization: `Bearer ${emulator.token}` } });
      assert.equal(res.status, 200);
    } finally {
      await emulator.close();
    }
  });
});

/** The certificate `url` serves, checked against `ca` only. */
function peerCertificate(url: string, ca: string): Promise<tls.PeerCertificate> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca, servername: "localhost" }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.once("error", reject);
  });
}
