/**
 * What the Azure ML emulator tests share: the workspace's paths, an emulator whose operations take
 * {@link OPERATION_MS} of its manual clock (so a test sees `InProgress` and ends it), and access
 * tokens from the emulator's token endpoint.
 */
import * as assert from "node:assert/strict";
import { LOCAL_EMULATOR_CLIENT_ID, type EmulatorOptions } from "../../../src/emulator";
import { useEmulator, type Reply, type TestEmulator } from "../../support/emulator";

/** How long an operation stays InProgress in these tests, ms of the manual clock. */
export const OPERATION_MS = 5000;

/** The seeded workspace's id with the default configuration. */
export const WS = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.MachineLearningServices/workspaces/local-aml";
/** The subscription's operation documents. */
export const OPERATIONS = "/subscriptions/00000000-0000-0000-0000-0000000000a1/providers/Microsoft.MachineLearningServices/locations/westeurope";

/** An api-version no client sends: any is accepted. */
export const V = "api-version=2099-01-01";

/** The emulator of a suite, with operations taking {@link OPERATION_MS}. */
export function useAzureMlEmulator(options: EmulatorOptions = {}): TestEmulator {
  return useEmulator({ ...options, azureml: { operationMs: OPERATION_MS, ...options.azureml } });
}

/** An access token of the emulator's owner application for `resource`. */
export async function tokenFor(t: TestEmulator, resource: string): Promise<string> {
  const res = await fetch(t.emulator.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: LOCAL_EMULATOR_CLIENT_ID, client_secret: t.emulator.token, scope: `${resource}/.default` }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The path and query of an absolute URL the emulator answered (an operation's), checked to point back at it. */
export function local(t: TestEmulator, url: string | null): string {
  assert.ok(url, "the header is present");
  const parsed = new URL(url);
  assert.equal(parsed.origin, t.emulator.url);
  return `${parsed.pathname}${parsed.search}`;
}

/** The `Azure-AsyncOperation`, `Location` and `Retry-After` headers of a reply. */
export function lroHeaders(r: Reply): { asyncOperation: string | null; location: string | null; retryAfter: string | null } {
  return { asyncOperation: r.headers.get("azure-asyncoperation"), location: r.headers.get("location"), retryAfter: r.headers.get("retry-after") };
}

/** The systemData of a resource created and last changed at `created` / `modified` (ms). */
export function systemData(created: number, modified = created): Record<string, string> {
  return {
    createdAt: new Date(created).toISOString(),
    createdBy: LOCAL_EMULATOR_CLIENT_ID,
    createdByType: "Application",
    lastModifiedAt: new Date(modified).toISOString(),
    lastModifiedBy: LOCAL_EMULATOR_CLIENT_ID,
    lastModifiedByType: "Application",
  };
}
