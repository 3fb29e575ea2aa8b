import * as assert from "node:assert/strict";
import { importNotebook, notebook, runWhen, SMALL_CLUSTER, submitRun, TERMINAL_STATES } from "../../support/databricksWire";
import { useEmulator, type Reply } from "../../support/emulator";
import { contractFixtures, type ContractFixture } from "../../contracts/fixtures";

const KV = "api-version=7.5";

describe("Contract fixtures: the emulator answers each condition as the service does", function () {
  this.timeout(60_000);
  const t = useEmulator();

  /** Brings each fixture's condition about in the emulator and returns its answer. */
  const reproduce: Record<string, () => Promise<Reply>> = {
    "run-does-not-exist": () => t.call("GET", "/api/2.1/jobs/runs/get?run_id=123"),
    "cluster-does-not-exist": () => t.call("GET", "/api/2.0/clusters/get?cluster_id=abc"),
    async "idempotency-token-deleted"() {
      await importNotebook(t.call, "/Shared/contract", notebook("x = 1"));
      const body = { run_name: "once", idempotency_token: "contract-token", tasks: [{ task_key: "t", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/contract" } }] };
      const runId = await submitRun(t.call, body);
      await runWhen(t.call, runId, "ends", (r) => TERMINAL_STATES.includes(r.state.life_cycle_state));
      assert.equal((await t.call("POST", "/api/2.1/jobs/runs/delete", { run_id: runId })).status, 200);
      return t.call("POST", "/api/2.1/jobs/runs/submit", body);
    },
    async "resource-already-exists"() {
      await importNotebook(t.call, "/Shared/usecase_name", notebook("x = 1"));
      return t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/usecase_name" });
    },
    "resource-does-not-exist": () => t.call("GET", "/api/2.0/dbfs/get-status?path=/missing/file.txt"),
    async "invalid-parameter-value"() {
      await importNotebook(t.call, "/Shared/contract", notebook("x = 1"));
      const runId = await submitRun(t.call, { run_name: "two", tasks: ["a", "b"].map((task_key) => ({ task_key, new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/contract" } })) });
      return t.call("GET", `/api/2.1/jobs/runs/get-output?run_id=${runId}`);
    },
    "endpoint-not-found": () => t.call("POST", "/api/2.0/data-rooms/tools/onechat/responses", {}),
    async "request-limit-exceeded"() {
      assert.equal((await t.control("POST", "/_emulator/faults", [{ status: 429, count: 1, retryAfterSeconds: 3 }])).status, 200);
      return t.call("GET", "/api/2.1/jobs/runs/get?run_id=1");
    },
    "keyvault-scope-needs-aad-token": () =>
      t.call("POST", "/api/2.0/secrets/scopes/create", {
        scope: "kv",
        scope_backend_type: "AZURE_KEYVAULT",
        backend_azure_keyvault: { resource_id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v", dns_name: "https://v.vault.azure.net/" },
      }),
    "secret-not-found": () => t.call("GET", `/secrets/CRUDSecretName-cangetasecretNonExisting-/?${KV}`),
    "unauthorized-challenge": () => t.call("GET", `/secrets/CRUDSecretName-cangetasecretNonExisting-/?${KV}`, undefined, { token: null }),
    async "secret-disabled"() {
      assert.equal((await t.call("PUT", `/secrets/CRUDSecretName-cantgetadisabledsecret-?${KV}`, { value: "v", attributes: { enabled: false } })).status, 200);
      return t.call("GET", `/secrets/CRUDSecretName-cantgetadisabledsecret-/?${KV}`);
    },
    async "object-is-deleted-but-recoverable"() {
      assert.equal((await t.call("PUT", `/secrets/test2?${KV}`, { value: "v" })).status, 200);
      assert.equal((await t.call("DELETE", `/secrets/test2?${KV}`)).status, 200);
      return t.call("PUT", `/secrets/test2?${KV}`, { value: "v" });
    },
    "unknown-path": () => t.call("GET", `/no/such/path?${KV}`),
  };

  /** The code and message the emulator answered, in the service's format. */
  function codeAndMessage(reply: Reply): [string | undefined, string | undefined] {
    const body = reply.body ?? {};
    if ("error_code" in body) return [body.error_code, body.message];
    let code: string | undefined;
    for (let e = body.error; e; e = e.innererror) code = e.code ?? code;
    return [code, body.error?.message];
  }

  function expectedCode(fixture: ContractFixture): string | undefined {
    const body = fixture.response.body as { error_code?: string; error?: { code: string; innererror?: { code: string } } } | null | undefined;
    return body?.error_code ?? body?.error?.innererror?.code ?? body?.error?.code;
  }

  for (const [service, fixtures] of [["databricks", contractFixtures("databricks")], ["keyvault", contractFixtures("keyvault")]] as const) {
    for (const fixture of fixtures.values()) {
      it(`${service}: ${fixture.condition} (${fixture.name})`, async () => {
        const reproduction = reproduce[fixture.name];
        assert.ok(reproduction, `a reproduction of ${fixture.name}`);
        const reply = await reproduction();
        assert.equal(reply.status, fixture.response.status, reply.text);
        if (fixture.textPattern) {
          assert.equal(reply.headers.get("content-type"), fixture.response.headers?.["Content-Type"]);
          assert.match(reply.text, new RegExp(fixture.textPattern));
        } else if (fixture.published === "behaviour") {
          // Nothing published beyond "an error is returned": the emulator's own assumption is checked.
          assert.equal(reply.body.error_code, "INVALID_PARAMETER_VALUE", fixture.emulator);
        } else {
          const [code, message] = codeAndMessage(reply);
          assert.equal(code, expectedCode(fixture));
          assert.match(message ?? "", new RegExp(fixture.messagePattern ?? "^$"));
        }
        for (const [header, pattern] of Object.entries(fixture.headerPatterns ?? {})) assert.match(reply.headers.get(header) ?? "", new RegExp(pattern), header);
      });
    }
  }
});
