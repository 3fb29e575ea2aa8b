import * as assert from "node:assert/strict";
import { isLocalHost } from "../../../src/emulator/core/browserGuard";
import { rawRequest, useEmulator } from "../../support/emulator";

describe("emulator: requests a web page could make are refused by every service", () => {
  const t = useEmulator();
  const port = () => new URL(t.emulator.url).port;
  /** One request per service, with the emulator's token, plus `headers`. */
  const everyService = (headers: Record<string, string>) =>
    Promise.all(
      [
        ["POST", "/_emulator/reset"],
        ["GET", "/api/2.0/clusters/list"],
        ["GET", "/secrets?api-version=7.5"],
      ].map(([method, path]) => rawRequest(t.emulator.url, { method, path, headers: { authorization: `Bearer ${t.emulator.token}`, ...headers } })),
    );
  const refusals = (message: string) => [
    [403, { error: { code: "Forbidden", message } }],
    [403, { error_code: "PERMISSION_DENIED", message }],
    [403, { error: { code: "Forbidden", message } }],
  ];

  it("refuses a Host that is not localhost or an IP address (DNS rebinding), in each service's format", async () => {
    assert.equal((await t.call("PUT", "/secrets/kept?api-version=7.5", { value: "v" })).status, 200);
    const host = `rebound.example:${port()}`;
    const replies = await everyService({ host });
    assert.deepEqual(
      replies.map((r) => [r.status, r.body]),
      refusals(`The Host header "${host}" is not the emulator's: use localhost or an IP address (requests through other names are refused to stop DNS rebinding).`),
    );
    assert.equal((await t.call("GET", "/secrets/kept?api-version=7.5")).status, 200, "the reset did not happen");
  });

  it("refuses a request from another origin, however it is sent", async () => {
    const origin = "http://attacker.example";
    assert.deepEqual(
      (await everyService({ origin })).map((r) => [r.status, r.body]),
      refusals(`Cross-origin requests are refused: Origin ${origin} is not the emulator's own.`),
    );
    // Another port of the same machine is another origin too (a local dev server).
    const other = `https://127.0.0.1:${Number(port()) + 1}`;
    assert.deepEqual((await everyService({ origin: other }))[1].body, { error_code: "PERMISSION_DENIED", message: `Cross-origin requests are refused: Origin ${other} is not the emulator's own.` });
    for (const site of ["cross-site", "same-site"]) {
      assert.deepEqual((await everyService({ "sec-fetch-site": site })).map((r) => [r.status, r.body]), refusals(`Cross-site requests are refused (Sec-Fetch-Site: ${site}).`));
    }
  });

  it("answers programs and same-origin pages: localhost, IP addresses, the emulator's own origin", async () => {
    const cases: Record<string, string>[] = [
      {},
      { host: `localhost:${port()}` },
      { host: `LOCALHOST:${port()}` },
      { host: `[::1]:${port()}` },
      { host: `127.0.0.1:${port()}`, origin: `https://127.0.0.1:${port()}`, "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "none" },
    ];
    for (const headers of cases) {
      assert.deepEqual(
        (await everyService(headers)).map((r) => r.status),
        [204, 200, 200],
        JSON.stringify(headers),
      );
    }
  });

  it("knows a local Host header", () => {
    const accepted = ["localhost", "localhost:80", "127.0.0.1", "127.0.0.1:8080", "10.1.2.3:9", "[::1]:8080", "[::1]", "[fe80::1]"];
    const refused = ["example.com", "localhost.example.com", "127.0.0.1.nip.io:80", "[::1", "::1", "", "[example]:80", "localhost:80:80", "1.2.3:80"];
    assert.deepEqual(accepted.filter((h) => !isLocalHost(h)), []);
    assert.deepEqual(refused.filter((h) => isLocalHost(h)), []);
  });
});
