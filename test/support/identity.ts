/** Tokens from the emulator's identity service, as the package's local credential gets them. */
import * as assert from "node:assert/strict";
import { LOCAL_EMULATOR_CLIENT_ID, type RunningEmulator } from "../../src/emulator";

/** An access token for `scope` (`<resource>/.default`) from the emulator's token endpoint, as its owner application. */
export async function emulatorToken(emulator: RunningEmulator, scope: string): Promise<string> {
  const res = await fetch(emulator.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: LOCAL_EMULATOR_CLIENT_ID, client_secret: emulator.token, scope }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token!;
}

/** The claims of a JWT (not verified). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
}
