import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as util from "node:util";
import { ServiceError } from "../../../../src/core/errors";
import { axiosTransport, bearerToken, JsonHttpClient, JsonHttpClientOptions, SendRequest } from "../../../../src/core/http";
import { databricksErrors } from "../../../../src/databricks/client";
import { keyVaultErrors } from "../../../../src/keyvault/client";
import { fakeTransport, rejectionOf } from "../../../support/http";

const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-PAYLOAD.SIGNATURE";

/** Every way an error is commonly turned into text. */
function renderings(err: ServiceError): string[] {
  return [err.message, String(err), String(err.stack), JSON.stringify(err), util.inspect(err, { depth: 20, showHidden: true })];
}

function assertNoCredential(err: ServiceError): void {
  for (const text of renderings(err)) {
    assert.equal(text.includes(TOKEN), false, text);
    assert.equal(/bearer|authorization/i.test(text), false, text);
  }
}

async function failure(options: Partial<JsonHttpClientOptions<ServiceError>> & { transport: SendRequest }, signal?: AbortSignal): Promise<ServiceError> {
  const client = new JsonHttpClient({ baseUrl: "http://127.0.0.1:9", auth: bearerToken(TOKEN), errors: keyVaultErrors("local"), retry: { maxRetries: 0 }, ...options });
  return rejectionOf(client.request({ method: "PUT", path: "/secrets/s", body: { value: "v" }, operation: "set secret", signal }), ServiceError);
}

describe("no credential in any error", () => {
  it("an error response of each service", async () => {
    for (const errors of [keyVaultErrors("azure"), keyVaultErrors("local"), databricksErrors]) {
      const err = await failure({ errors, transport: fakeTransport({ status: 403, headers: { "x-ms-request-id": "r" }, body: { error: { code: "Forbidden", message: "denied" } } }).send });
      assert.equal(err.status, 403);
      assertNoCredential(err);
    }
  });

  it("a failure carrying the request configuration, as axios errors do", async () => {
    const axiosLike = Object.assign(new Error("timeout of 10ms exceeded"), {
      code: "ETIMEDOUT",
      config: { headers: { Authorization: `Bearer ${TOKEN}` }, data: '{"value":"v"}' },
      request: { _header: `PUT /secrets/s HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\n` },
    });
    const err = await failure({ transport: fakeTransport({ fail: axiosLike }).send });
    assert.deepEqual([err.code, err.serviceMessage], ["ETIMEDOUT", "timeout of 10ms exceeded"]);
    assertNoCredential(err);
  });

  describe("through the real axios transport", () => {
    let server: http.Server;
    let url: string;
    before(async () => {
      // Accepts connections and never answers.
      server = http.createServer(() => undefined);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("a timeout", async () => {
      const err = await failure({ baseUrl: url, transport: axiosTransport({ timeoutMs: 20 }) });
      assert.equal(err.code, "ETIMEDOUT");
      assertNoCredential(err);
    });

    it("an abort while the request is in flight", async () => {
      const controller = new AbortController();
      server.once("request", () => controller.abort());
      const err = await failure({ baseUrl: url, transport: axiosTransport() }, controller.signal);
      assert.equal(err.message, "set secret failed: ABORTED: the request was aborted");
      assertNoCredential(err);
    });

    it("a refused connection", async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const err = await failure({ baseUrl: `http://127.0.0.1:${port}`, transport: axiosTransport() });
      assert.equal(err.message, `set secret failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);
      assertNoCredential(err);
    });
  });

  it("the client and its token source, inspected", () => {
    const client = new JsonHttpClient({ baseUrl: "https://v.vault.azure.net", auth: bearerToken(TOKEN), errors: keyVaultErrors("azure") });
    for (const text of [util.inspect(client, { depth: 20, showHidden: true }), JSON.stringify(client), util.inspect(bearerToken(TOKEN), { depth: 20, showHidden: true })]) {
      assert.equal(text.includes(TOKEN), false, text);
    }
  });
});
