import * as assert from "node:assert/strict";
import * as util from "node:util";
import { ServiceError } from "../../../src/core/errors";
import { RunningEmulator, systemClock } from "../../../src/emulator";
import { createKeyVaultApi, KeyVaultApi, KeyVaultApiOptions, KeyVaultError, versionOf } from "../../../src/keyvault/client";
import { answered, injectFaults } from "../../support/emulatorFaults";
import { recordingSleep, rejectionOf } from "../../support/http";
import { startTestEmulator } from "../../support/emulator";

/** The request of the local credential: one Key Vault token from the emulator's token endpoint, cached for the client's calls. */
const TOKEN_REQUEST = "POST /00000000-0000-0000-0000-000000000000/oauth2/v2.0/token 200";

/** The Key Vault client on the package's pipeline, against the emulator (strict api-version). */
describe("Key Vault client against the emulator", () => {
  const token = "kv-client-token";
  let emulator: RunningEmulator;
  let waits: number[];
  let api: KeyVaultApi;

  const connect = (options: Partial<KeyVaultApiOptions> = {}) => {
    const recorder = recordingSleep();
    waits = recorder.waits;
    return createKeyVaultApi({ vaultUrl: emulator.keyVaultUrl, target: "local", env: { AMLDB_LOCAL_TOKEN: token }, sleep: recorder.sleep, ...options });
  };

  before(async () => {
    emulator = (await startTestEmulator({ token, clock: systemClock })).emulator;
  });
  beforeEach(() => {
    emulator.reset();
    api = connect();
  });
  after(() => emulator.close());

  const failure = (promise: Promise<unknown>) => rejectionOf(promise, KeyVaultError);

  it("sets, reads, deletes (waiting until it is listed as deleted) and purges (waiting until it is gone)", async () => {
    const set = await api.secrets.setSecret("db-token", { value: "v1", contentType: "text/plain", tags: { team: "ml" }, attributes: { exp: 1924992000 } });
    const version = versionOf(set.id);
    assert.match(version, /^[0-9a-f]{32}$/);
    const got = await api.secrets.getSecret("db-token");
    assert.deepEqual(
      { value: got.value, id: got.id, contentType: got.contentType, tags: got.tags, enabled: got.attributes?.enabled, exp: got.attributes?.exp },
      { value: "v1", id: `${emulator.keyVaultUrl}/secrets/db-token/${version}`, contentType: "text/plain", tags: { team: "ml" }, enabled: true, exp: 1924992000 },
    );
    assert.equal((await api.secrets.getSecret("db-token", version)).value, "v1");

    const deleted = await api.secrets.deleteSecret("db-token");
    assert.equal(deleted.recoveryId, `${emulator.keyVaultUrl}/deletedsecrets/db-token`);
    assert.equal((await api.secrets.getDeletedSecret("db-token")).id, `${emulator.keyVaultUrl}/secrets/db-token/${version}`);
    await api.secrets.purgeDeletedSecret("db-token");
    assert.equal((await failure(api.secrets.getDeletedSecret("db-token"))).status, 404);
    assert.deepEqual(answered(emulator), [
      TOKEN_REQUEST,
      "PUT /secrets/db-token 200",
      "GET /secrets/db-token 200",
      `GET /secrets/db-token/${version} 200`,
      "DELETE /secrets/db-token 200",
      "GET /deletedsecrets/db-token 200",
      "GET /deletedsecrets/db-token 200",
      "DELETE /deletedsecrets/db-token 204",
      "GET /deletedsecrets/db-token 404",
      "GET /deletedsecrets/db-token 404",
    ]);
  });

  it("reports Key Vault's innermost code and message: not found, disabled, deleted but recoverable", async () => {
    const missing = await failure(api.secrets.getSecret("nope"));
    assert.deepEqual([missing.status, missing.code], [404, "SecretNotFound"]);
    assert.match(missing.message, /^get secret "nope" in https:\/\/127\.0\.0\.1:\d+ failed: 404 SecretNotFound: A secret with \(name\/id\) nope was not found in this key vault\./);
    assert.match(missing.requestId ?? "", /^[0-9a-f-]{36}$/);

    await api.secrets.setSecret("off", { value: "x", attributes: { enabled: false } });
    const disabled = await failure(api.secrets.getSecret("off"));
    assert.deepEqual([disabled.status, disabled.code, disabled.serviceMessage], [403, "SecretDisabled", "Operation get is not allowed on a disabled secret."]);

    await api.secrets.deleteSecret("off");
    const conflict = await failure(api.secrets.setSecret("off", { value: "y" }));
    assert.deepEqual([conflict.status, conflict.code], [409, "ObjectIsDeletedButRecoverable"]);
  });

  it("retries injected 503s and 429s on every call, waiting Retry-After", async () => {
    await injectFaults(emulator, [
      { status: 503, count: 2, retryAfterSeconds: 0 },
      { status: 429, count: 1, retryAfterSeconds: 2 },
    ]);
    await api.secrets.setSecret("s", { value: "v" });
    assert.deepEqual(waits, [0, 0, 2000]);
    assert.deepEqual(answered(emulator), [TOKEN_REQUEST, "PUT /secrets/s 503", "PUT /secrets/s 503", "PUT /secrets/s 429", "PUT /secrets/s 200"]);
  });

  it("gives up after its retries with the emulator's ServiceUnavailable and Retry-After", async () => {
    await injectFaults(emulator, [{ status: 503, count: 3, retryAfterSeconds: 1 }]);
    const err = await failure(connect({ retry: { maxRetries: 2 } }).secrets.getSecret("s"));
    assert.deepEqual(
      [err.status, err.code, err.retryAfter, err.serviceMessage],
      [503, "ServiceUnavailable", "1", "The service is temporarily unavailable. Please retry after the time given in Retry-After."],
    );
    assert.deepEqual(waits, [1000, 1000]);
  });

  it("fails on a wrong token with the emulator's 401, a hint, and no token anywhere", async () => {
    const wrong = "not-the-emulator-token";
    const err = await failure(connect({ env: { AMLDB_LOCAL_TOKEN: wrong } }).secrets.getSecret("s"));
    assert.ok(err instanceof ServiceError);
    assert.equal(
      err.message.replaceAll(emulator.url, "<emulator>"),
      'get secret "s" in <emulator> failed: AUTHENTICATION_FAILED: could not get local emulator credentials: get a token for https://vault.azure.net/.default ' +
        "from the emulator's token endpoint <emulator>/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token failed: 401 invalid_client: AADSTS7000215: Invalid client secret provided. " +
        "Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000001'. " +
        "Set AMLDB_LOCAL_TOKEN to the token the emulator was started with.",
    );
    for (const text of [err.message, JSON.stringify(err), util.inspect(err, { depth: 20, showHidden: true })]) {
      assert.equal(text.includes(wrong), false, text);
      assert.equal(text.includes(token), false, text);
    }
  });
});
