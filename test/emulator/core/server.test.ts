import * as assert from "node:assert/strict";
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
      assert.match(emulator.url, /^http:\/\/0\.0\.0\.0:\d+$/);
      const port = new URL(emulator.url).port;
      const res = await fetch(`http://127.0.0.1:${port}/_emulator/health`, { headers: { authorization: "Bearer a-token-of-its-own" } });
      assert.equal(res.status, 200);
    } finally {
      await emulator.close();
    }
  });

  it("listens on loopback with the public token", async () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      const emulator = await startEmulator({ host, port: 0 });
      await emulator.close();
      assert.match(emulator.url, host === "::1" ? /^http:\/\/\[::1\]:\d+$/ : /^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });
});
