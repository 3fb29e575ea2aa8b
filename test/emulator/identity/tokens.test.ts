import * as assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { AZURE_DATABRICKS_AUDIENCE } from "../../../src/emulator/databricks/auth";
import { claimsOf, emulatorToken } from "../../support/identity";
import { useEmulator } from "../../support/emulator";

const TENANT = "00000000-0000-0000-0000-000000000000";
const KV = "https://vault.azure.net";
const KV_GET = "/secrets/s?api-version=7.5";
const DBX_LIST = "/api/2.0/clusters/list";

/** Key Vault's 401 body with `message`. */
const vaultRefusal = (message: string) => ({ status: 401, body: { error: { code: "Unauthorized", message } } });

describe("emulator identity: Azure AD-shaped tokens, and services that accept only the ones it issued", () => {
  const t = useEmulator();
  const as = (token: string) => ({ token });
  const answer = async (method: string, route: string, token: string) => {
    const r = await t.call(method, route, undefined, as(token));
    return { status: r.status, body: r.body };
  };

  it("issues a JWT for the audience asked for, signed with the key it publishes", async () => {
    const token = await emulatorToken(t.emulator, `${KV}/.default`);
    const claims = claimsOf(token);
    assert.deepEqual(
      { aud: claims.aud, iss: claims.iss, tid: claims.tid, appid: claims.appid, ver: claims.ver, lifetime: Number(claims.exp) - Number(claims.iat) },
      { aud: KV, iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT, appid: "00000000-0000-0000-0000-000000000001", ver: "1.0", lifetime: 3600 },
    );
    const keys = (await t.call("GET", `/${TENANT}/discovery/v2.0/keys`)).body as { keys: { kid: string; n: string; e: string }[] };
    assert.equal(keys.keys.length, 1);
    const publicKey = { key: { kty: "RSA", n: keys.keys[0].n, e: keys.keys[0].e }, format: "jwk" } as const;
    const { createPublicKey } = await import("node:crypto");
    assert.equal((jwt.verify(token, createPublicKey(publicKey), { algorithms: ["RS256"], clockTimestamp: Number(claims.iat) }) as { aud: string }).aud, KV);
    assert.equal(jwt.decode(token, { complete: true })!.header.kid, keys.keys[0].kid);
  });

  it("lets Key Vault and Databricks in with a token for their own audience", async () => {
    assert.equal((await answer("GET", KV_GET, await emulatorToken(t.emulator, `${KV}/.default`))).status, 404);
    assert.equal((await answer("GET", DBX_LIST, await emulatorToken(t.emulator, `${AZURE_DATABRICKS_AUDIENCE}/.default`))).status, 200);
  });

  it("refuses a token for another audience, with each service's error", async () => {
    const forDatabricks = await emulatorToken(t.emulator, `${AZURE_DATABRICKS_AUDIENCE}/.default`);
    assert.deepEqual(
      await answer("GET", KV_GET, forDatabricks),
      vaultRefusal(`AKV10022: Invalid audience. Expected https://vault.azure.net or cfa8b339-82a2-471a-a3c9-0fc0be7a4093, found: ${AZURE_DATABRICKS_AUDIENCE}.`),
    );
    assert.deepEqual(await answer("GET", DBX_LIST, await emulatorToken(t.emulator, `${KV}/.default`)), { status: 403, body: { error_code: "PERMISSION_DENIED", message: "Invalid access token." } });
  });

  it("refuses an expired token once the clock skew has passed, and not before", async () => {
    const vaultToken = await emulatorToken(t.emulator, `${KV}/.default`);
    const dbxToken = await emulatorToken(t.emulator, `${AZURE_DATABRICKS_AUDIENCE}/.default`);
    await t.clock.advance((3600 + 300) * 1000);
    assert.equal((await answer("GET", KV_GET, vaultToken)).status, 404, "within the five minutes of skew");
    await t.clock.advance(1000);
    assert.deepEqual(await answer("GET", KV_GET, vaultToken), vaultRefusal("[TokenExpired] Error validating token: 'S2S12086'."));
    assert.deepEqual(await answer("GET", DBX_LIST, dbxToken), { status: 401, body: { error_code: "UNAUTHENTICATED", message: "Token is expired" } });
  });

  it("refuses a forged token: the emulator's claims and key id, signed by another key; or its signature over changed claims", async () => {
    const genuine = await emulatorToken(t.emulator, `${KV}/.default`);
    const { header } = jwt.decode(genuine, { complete: true })!;
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = jwt.sign(claimsOf(genuine), other, { algorithm: "RS256", header: { alg: "RS256", typ: "JWT", kid: header.kid } });
    const signature = "Invalid token signature: the token was not signed by the key of its issuer.";
    assert.deepEqual(await answer("GET", KV_GET, forged), vaultRefusal(signature));
    const [h, , s] = genuine.split(".");
    const widened = Buffer.from(JSON.stringify({ ...claimsOf(genuine), aud: AZURE_DATABRICKS_AUDIENCE })).toString("base64url");
    assert.deepEqual(await answer("GET", DBX_LIST, `${h}.${widened}.${s}`), { status: 403, body: { error_code: "PERMISSION_DENIED", message: "Invalid access token." } });
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${widened}.`;
    assert.deepEqual(await answer("GET", DBX_LIST, unsigned), { status: 403, body: { error_code: "PERMISSION_DENIED", message: "Invalid access token." } });
    const unknownKey = jwt.sign(claimsOf(genuine), other, { algorithm: "RS256", header: { alg: "RS256", typ: "JWT", kid: "another-key" } });
    assert.deepEqual(await answer("GET", KV_GET, unknownKey), vaultRefusal(`AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${unknownKey.split(".")[0]}'.`));
  });

  it("answers the token endpoint's errors as Azure AD does", async () => {
    const post = async (form: Record<string, string>) => {
      const r = await fetch(t.emulator.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });
      const body = (await r.json()) as { error: string; error_codes: number[]; error_description: string };
      return [r.status, body.error, body.error_codes, body.error_description.split("\r\n")[0]];
    };
    const base = { grant_type: "client_credentials", client_id: "00000000-0000-0000-0000-000000000001", scope: `${KV}/.default` };
    assert.deepEqual(await post({ ...base, client_secret: "wrong" }), [
      401,
      "invalid_client",
      [7000215],
      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000001'.",
    ]);
    assert.deepEqual(await post({ ...base, client_secret: t.emulator.token, scope: KV }), [
      400,
      "invalid_scope",
      [1002012],
      `AADSTS1002012: The provided value for scope ${KV} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ]);
  });

  it("gives managed-identity tokens in Azure ML's form (MSI_ENDPOINT, secret, api-version 2017-09-01) and App Service's", async () => {
    const ml = t.emulator.managedIdentityEnv("azure-ml");
    const get = (url: string, headers: Record<string, string>) => fetch(url, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const fromMl = await get(`${ml.MSI_ENDPOINT}?api-version=2017-09-01&resource=${encodeURIComponent(KV)}&clientid=${ml.DEFAULT_IDENTITY_CLIENT_ID}`, { secret: ml.MSI_SECRET });
    assert.deepEqual([fromMl.status, fromMl.body.resource, fromMl.body.token_type, typeof fromMl.body.expires_on], [200, KV, "Bearer", "number"]);
    assert.deepEqual([claimsOf(String(fromMl.body.access_token)).aud, claimsOf(String(fromMl.body.access_token)).appid], [KV, "00000000-0000-0000-0000-000000000002"]);
    assert.equal((await answer("GET", KV_GET, String(fromMl.body.access_token))).status, 404);
    assert.deepEqual(await get(`${ml.MSI_ENDPOINT}?api-version=2017-09-01&resource=${encodeURIComponent(KV)}`, { secret: "wrong" }), {
      status: 401,
      body: { statusCode: 401, message: "The secret header is missing or is not the MSI_SECRET of this process." },
    });
    const app = t.emulator.managedIdentityEnv();
    const fromApp = await get(`${app.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${AZURE_DATABRICKS_AUDIENCE}`, { "X-IDENTITY-HEADER": app.IDENTITY_HEADER });
    assert.deepEqual([fromApp.status, typeof fromApp.body.expires_on, claimsOf(String(fromApp.body.access_token)).aud], [200, "string", AZURE_DATABRICKS_AUDIENCE]);
  });
});
