import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import * as util from "node:util";
import {
  DatabricksApi,
  DatabricksApiError,
  DatabricksHttpClient,
  DatabricksHttpClientOptions,
  DBFS_MAX_BLOCK_BYTES,
  isNotFound,
  patAuth,
  TokenSource,
} from "../../../src/databricks/client";
import { rejectionOf, sleepAbortedBy } from "../../support/http";

const TOKEN = "dapi0123456789abcdef-SECRET-TOKEN";
const PACKAGE_VERSION = (require("../../../package.json") as { version: string }).version;

/** One request as the test server saw it. */
interface Hit {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

type Handler = (hit: Hit, res: http.ServerResponse, index: number) => void;

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Kills the connection without answering: the client sees ECONNRESET ("socket hang up"). */
function reset(res: http.ServerResponse): void {
  res.socket?.destroy();
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, DatabricksApiError);

describe("DatabricksHttpClient against a local HTTP server", function () {
  this.timeout(10_000);

  let server: http.Server;
  let host: string;
  let hits: Hit[];
  let handler: Handler;

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const hit: Hit = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() };
        hits.push(hit);
        handler(hit, res, hits.length - 1);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    hits = [];
    handler = (_hit, res) => json(res, 500, { error_code: "UNEXPECTED", message: "no handler" });
  });

  function api(options: Partial<DatabricksHttpClientOptions> = {}): DatabricksApi {
    return new DatabricksApi(new DatabricksHttpClient({ host, auth: patAuth(TOKEN), retry: { baseDelayMs: 10, maxDelayMs: 2000 }, ...options }));
  }

  describe("policies", () => {
    it("runs auth, userAgent, retry, log and errorMapping in that order", () => {
      assert.deepEqual(api().client.policyNames, ["auth", "userAgent", "retry", "log", "errorMapping"]);
    });

    it("sends Authorization: Bearer <token>, the user agent, and JSON", async () => {
      handler = (_hit, res) => json(res, 200, { run_id: 42 });
      const res = await api().jobs.runsSubmit({ run_name: "r", tasks: [{ task_key: "t", existing_cluster_id: "c1", notebook_task: { notebook_path: "/Shared/n" } }] });
      assert.deepEqual(res, { run_id: 42 });
      assert.equal(hits.length, 1);
      assert.equal(hits[0].method, "POST");
      assert.equal(hits[0].path, "/api/2.1/jobs/runs/submit");
      assert.equal(hits[0].headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(hits[0].headers["user-agent"], `pulumi-azureml-databricks/${PACKAGE_VERSION}`);
      assert.equal(hits[0].headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(hits[0].body), { run_name: "r", tasks: [{ task_key: "t", existing_cluster_id: "c1", notebook_task: { notebook_path: "/Shared/n" } }] });
    });

    it("sends query parameters of GET requests and returns {} for an empty body", async () => {
      handler = (hit, res) => (hit.path === "/api/2.1/jobs/runs/cancel" ? res.end() : json(res, 200, { runs: [], has_more: false }));
      assert.deepEqual(await api().jobs.runsList({ job_id: 7, active_only: true, limit: 25 }), { runs: [], has_more: false });
      assert.equal(hits[0].query.toString(), "job_id=7&active_only=true&limit=25");
      assert.equal(await api().jobs.runsCancel(5), undefined);
      assert.deepEqual(JSON.parse(hits[1].body), { run_id: 5 });
    });

    it("maps an auth failure to AUTHENTICATION_FAILED without sending anything", async () => {
      const failing: TokenSource = { kind: "azure-ad", headers: async () => Promise.reject(new Error("no Azure CLI login\nmore details")) };
      const err = await rejection(api({ auth: failing }).clusters.get("c1"));
      assert.equal(err.message, "get cluster c1 failed: AUTHENTICATION_FAILED: could not get azure-ad credentials: no Azure CLI login");
      assert.equal(hits.length, 0);
    });

    it("refuses, unsent, a request whose URL would leave the workspace's origin", async () => {
      const err = await rejection(api().client.request({ method: "GET", path: "@evil.example/api/2.0/clusters/list", operation: "list clusters" }));
      assert.equal(err.message, "list clusters failed: UNTRUSTED_HOST: refusing to send pat credentials to http://evil.example");
      assert.equal(hits.length, 0);
    });
  });

  describe("which Databricks calls are retried", () => {
    it("does not retry a 500 on a non-idempotent POST, but does on a GET", async () => {
      handler = (_hit, res, i) => (i === 0 ? json(res, 500, { error_code: "INTERNAL_ERROR", message: "boom" }) : json(res, 200, { cluster_id: "c1" }));
      const err = await rejection(api().clusters.create({ cluster_name: "c", spark_version: "13.3.x-scala2.12" }));
      assert.equal(err.message, 'create cluster "c" failed: 500 INTERNAL_ERROR: boom');
      assert.equal(hits.length, 1);

      hits = [];
      assert.deepEqual(await api().clusters.get("c1"), { cluster_id: "c1" });
      assert.equal(hits.length, 2);
    });

    it("does not retry a connection reset on a non-idempotent POST", async () => {
      handler = (_hit, res) => reset(res);
      const err = await rejection(api().jobs.runsSubmit({ run_name: "once" }));
      assert.equal(hits.length, 1);
      assert.equal(err.status, 0);
      assert.equal(err.errorCode, "ECONNRESET");
      assert.equal(err.message, 'submit run "once" failed: ECONNRESET: socket hang up');
    });

    it("retries a connection reset when the submit carries an idempotency token", async () => {
      handler = (_hit, res, i) => (i === 0 ? reset(res) : json(res, 200, { run_id: 77 }));
      assert.deepEqual(await api().jobs.runsSubmit({ run_name: "safe", idempotency_token: "tok-1" }), { run_id: 77 });
      assert.equal(hits.length, 2);
    });

    it("stops waiting when the signal aborts during a Retry-After wait", async () => {
      handler = (_hit, res) => json(res, 429, { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }, { "Retry-After": "20" });
      const controller = new AbortController();
      const { sleep, waits } = sleepAbortedBy(controller);
      const err = await rejection(api({ retry: { maxDelayMs: 30_000 }, sleep }).jobs.runsGet(1, {}, { signal: controller.signal }));
      assert.equal(err.message, "get run 1 failed: ABORTED: the request was aborted");
      assert.deepEqual(waits, [20_000]);
      assert.equal(hits.length, 1);
    });
  });

  describe("errors", () => {
    it("maps 400 INVALID_PARAMETER_VALUE 'Run 123 does not exist' to a not-found DatabricksApiError", async () => {
      handler = (_hit, res) => json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Run 123 does not exist" }, { "x-request-id": "req-abc" });
      const err = await rejection(api().jobs.runsGet(123));
      assert.equal(err.message, "get run 123 failed: 400 INVALID_PARAMETER_VALUE: Run 123 does not exist");
      assert.equal(err.name, "DatabricksApiError");
      assert.equal(err.status, 400);
      assert.equal(err.errorCode, "INVALID_PARAMETER_VALUE");
      assert.equal(err.code, "INVALID_PARAMETER_VALUE");
      assert.equal(err.operation, "get run 123");
      assert.equal(err.requestId, "req-abc");
      assert.equal(isNotFound(err), true);
      assert.equal(hits.length, 1);
    });

    it("does not call other 400s, or ENDPOINT_NOT_FOUND, not-found", async () => {
      handler = (_hit, res, i) =>
        i === 0
          ? json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Retrieving the output of runs with multiple tasks is not supported." })
          : json(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for 'GET /jobs/runs/get-output'" });
      assert.equal(isNotFound(await rejection(api().jobs.runsGetOutput(1))), false);
      assert.equal(isNotFound(await rejection(api().jobs.runsGetOutput(1))), false);
    });

    it("understands API 1.2 {error}, HTML pages, empty bodies and non-JSON success bodies", async () => {
      const html = "<html><head><title>502 Bad Gateway</title></head><body><pre>upstream connect error.</pre></body></html>";
      handler = (hit, res) => {
        if (hit.path.endsWith("/contexts/status")) json(res, 400, { error: "ContextNotFound: context ctx-1 is gone" });
        else if (hit.path.endsWith("/dbfs/move")) {
          res.writeHead(502, { "Content-Type": "text/html" });
          res.end(html);
        } else if (hit.path.endsWith("/workspace/get-status")) {
          res.writeHead(404);
          res.end();
        } else {
          res.writeHead(200, { "Content-Type": "text/html" });
          res.end("<html>login</html>");
        }
      };
      const a = api();
      assert.equal(
        (await rejection(a.commands.contextsStatus({ clusterId: "c1", contextId: "ctx-1" }))).message,
        "get execution context ctx-1 on cluster c1 failed: 400 BAD_REQUEST: ContextNotFound: context ctx-1 is gone",
      );
      assert.equal((await rejection(a.dbfs.move("/a", "/b"))).message, "move /a to /b failed: 502 BAD_GATEWAY: upstream connect error");
      const missing = await rejection(a.workspace.getStatus("/Shared/x"));
      assert.equal(missing.message, "get status of /Shared/x failed: 404 NOT_FOUND: Not Found");
      assert.equal(isNotFound(missing), true);
      assert.equal(
        (await rejection(a.secrets.listScopes())).message,
        "list secret scopes failed: 200 INVALID_RESPONSE: expected a JSON body, got text/html (is the host a Databricks workspace URL?)",
      );
    });

    it("maps a refused connection to ECONNREFUSED", async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const err = await rejection(new DatabricksApi(new DatabricksHttpClient({ host: `http://127.0.0.1:${port}`, auth: patAuth(TOKEN), retry: { maxRetries: 0 } })).clusters.get("c1"));
      assert.equal(err.message, `get cluster c1 failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);
    });

    it("never lets the token appear in the error message, JSON, util.inspect, the log or the client", async () => {
      const lines: string[] = [];
      const a = api({ log: (l) => lines.push(l), retry: { maxRetries: 1, baseDelayMs: 1 } });
      handler = (_hit, res) => json(res, 403, { error_code: "PERMISSION_DENIED", message: "Invalid access token." });
      const denied = await rejection(a.jobs.runsGet(1));
      handler = (_hit, res) => reset(res);
      const network = await rejection(a.jobs.runsGet(1));
      assert.equal(network.message, "get run 1 failed: ECONNRESET: socket hang up");
      for (const err of [denied, network]) {
        for (const text of [err.message, JSON.stringify(err), util.inspect(err, { depth: 10, showHidden: true }), String(err.stack)]) {
          assert.equal(text.includes(TOKEN), false, text);
          assert.equal(text.includes("Bearer"), false, text);
        }
      }
      assert.equal(JSON.stringify(denied), '{"status":403,"code":"PERMISSION_DENIED","operation":"get run 1","serviceMessage":"Invalid access token.","name":"DatabricksApiError","errorCode":"PERMISSION_DENIED"}');
      assert.equal(lines.join("\n").includes(TOKEN), false);
      assert.deepEqual(lines, ["GET /api/2.1/jobs/runs/get -> 403 (attempt 1)", "GET /api/2.1/jobs/runs/get -> ECONNRESET (attempt 1)", "GET /api/2.1/jobs/runs/get -> ECONNRESET (attempt 2)"]);
      assert.equal(util.inspect(a, { depth: 10, showHidden: true }).includes(TOKEN), false);
    });
  });

  describe("DBFS uploads", () => {
    const blocks: Buffer[] = [];
    let closed = false;
    const dbfsHandler: Handler = (hit, res) => {
      const body = hit.body ? JSON.parse(hit.body) : {};
      switch (hit.path) {
        case "/api/2.0/dbfs/create":
          assert.deepEqual(body, { path: "/mnt/data/big.bin", overwrite: true });
          return json(res, 200, { handle: 4711 });
        case "/api/2.0/dbfs/add-block": {
          assert.equal(body.handle, 4711);
          const data = Buffer.from(body.data, "base64");
          if (data.length > DBFS_MAX_BLOCK_BYTES) return json(res, 400, { error_code: "MAX_BLOCK_SIZE_EXCEEDED", message: "too big" });
          blocks.push(data);
          return json(res, 200, {});
        }
        case "/api/2.0/dbfs/close":
          assert.deepEqual(body, { handle: 4711 });
          closed = true;
          return json(res, 200, {});
        case "/api/2.0/dbfs/put":
          blocks.push(Buffer.from(body.contents, "base64"));
          return json(res, 200, {});
        default:
          return json(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: hit.path });
      }
    };
    const payload = Buffer.alloc(2.5 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 10)) & 0xff;

    beforeEach(() => {
      blocks.length = 0;
      closed = false;
      handler = dbfsHandler;
    });

    it("uploads a 2.5 MB buffer with create, three 1 MB add-blocks and close", async () => {
      await api().dbfs.uploadFile("/mnt/data/big.bin", payload, true);
      assert.deepEqual(
        hits.map((h) => h.path),
        ["/api/2.0/dbfs/create", "/api/2.0/dbfs/add-block", "/api/2.0/dbfs/add-block", "/api/2.0/dbfs/add-block", "/api/2.0/dbfs/close"],
      );
      assert.deepEqual(
        blocks.map((b) => b.length),
        [1048576, 1048576, 524288],
      );
      assert.equal(closed, true);
      assert.equal(Buffer.concat(blocks).equals(payload), true);
    });

    it("uploads a 2.5 MB stream of odd-sized chunks the same way", async () => {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < payload.length; offset += 300_001) chunks.push(payload.subarray(offset, offset + 300_001));
      await api().dbfs.uploadFile("/mnt/data/big.bin", Readable.from(chunks), true);
      assert.deepEqual(
        hits.map((h) => h.path),
        ["/api/2.0/dbfs/create", "/api/2.0/dbfs/add-block", "/api/2.0/dbfs/add-block", "/api/2.0/dbfs/add-block", "/api/2.0/dbfs/close"],
      );
      assert.deepEqual(
        blocks.map((b) => b.length),
        [1048576, 1048576, 524288],
      );
      assert.equal(Buffer.concat(blocks).equals(payload), true);
    });

    it("uploads exactly 1 MB with a single put", async () => {
      await api().dbfs.uploadFile("/mnt/data/small.bin", payload.subarray(0, DBFS_MAX_BLOCK_BYTES), false);
      assert.deepEqual(
        hits.map((h) => h.path),
        ["/api/2.0/dbfs/put"],
      );
      assert.equal(JSON.parse(hits[0].body).overwrite, false);
      assert.equal(blocks[0].equals(payload.subarray(0, DBFS_MAX_BLOCK_BYTES)), true);
    });

    it("reads a file back 1 MB at a time", async () => {
      handler = (hit, res) => {
        const offset = Number(hit.query.get("offset"));
        const length = Number(hit.query.get("length"));
        const slice = payload.subarray(offset, offset + length);
        json(res, 200, { bytes_read: slice.length, data: slice.toString("base64") });
      };
      const data = await api().dbfs.readAll("/mnt/data/big.bin");
      assert.equal(data.equals(payload), true);
      assert.deepEqual(
        hits.map((h) => h.query.toString()),
        ["path=%2Fmnt%2Fdata%2Fbig.bin&offset=0&length=1048576", "path=%2Fmnt%2Fdata%2Fbig.bin&offset=1048576&length=1048576", "path=%2Fmnt%2Fdata%2Fbig.bin&offset=2097152&length=1048576"],
      );
    });
  });

  describe("command execution", () => {
    it("runs a command: creates a context, waits for it, executes, polls, returns the results and destroys the context", async () => {
      let contextPolls = 0;
      let commandPolls = 0;
      handler = (hit, res) => {
        switch (hit.path) {
          case "/api/1.2/contexts/create":
            return json(res, 200, { id: "ctx-1" });
          case "/api/1.2/contexts/status":
            return json(res, 200, { id: "ctx-1", status: ++contextPolls < 2 ? "Pending" : "Running" });
          case "/api/1.2/commands/execute":
            return json(res, 200, { id: "cmd-1" });
          case "/api/1.2/commands/status":
            return ++commandPolls < 3
              ? json(res, 200, { id: "cmd-1", status: "Running" })
              : json(res, 200, { id: "cmd-1", status: "Finished", results: { resultType: "text", data: "mounted" } });
          case "/api/1.2/contexts/destroy":
            return json(res, 200, { id: "ctx-1" });
          default:
            return json(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: hit.path });
        }
      };
      const results = await api().commands.runCommand("0101-abc", "print('mounted')", { pollMs: 5, timeoutMs: 5000 });
      assert.deepEqual(results, { resultType: "text", data: "mounted" });
      assert.deepEqual(
        hits.map((h) => `${h.method} ${h.path}`),
        [
          "POST /api/1.2/contexts/create",
          "GET /api/1.2/contexts/status",
          "GET /api/1.2/contexts/status",
          "POST /api/1.2/commands/execute",
          "GET /api/1.2/commands/status",
          "GET /api/1.2/commands/status",
          "GET /api/1.2/commands/status",
          "POST /api/1.2/contexts/destroy",
        ],
      );
      assert.deepEqual(JSON.parse(hits[0].body), { clusterId: "0101-abc", language: "python" });
      assert.deepEqual(JSON.parse(hits[3].body), { clusterId: "0101-abc", contextId: "ctx-1", language: "python", command: "print('mounted')" });
      assert.equal(hits[4].query.toString(), "clusterId=0101-abc&contextId=ctx-1&commandId=cmd-1");
      assert.deepEqual(JSON.parse(hits[7].body), { clusterId: "0101-abc", contextId: "ctx-1" });
    });

    it("cancels the command and destroys the context on timeout", async () => {
      handler = (hit, res) => {
        if (hit.path === "/api/1.2/contexts/create") return json(res, 200, { id: "ctx-2" });
        if (hit.path === "/api/1.2/contexts/status") return json(res, 200, { id: "ctx-2", status: "Running" });
        if (hit.path === "/api/1.2/commands/execute") return json(res, 200, { id: "cmd-2" });
        if (hit.path === "/api/1.2/commands/status") return json(res, 200, { id: "cmd-2", status: "Running" });
        return json(res, 200, {});
      };
      const err = await rejection(api().commands.runCommand("c9", "import time; time.sleep(60)", { pollMs: 20, timeoutMs: 100 }));
      assert.equal(err.message, "run a python command on cluster c9 failed: TIMEOUT: command cmd-2 did not finish (status Running) within 100 ms");
      assert.deepEqual(hits.slice(-2).map((h) => h.path), ["/api/1.2/commands/cancel", "/api/1.2/contexts/destroy"]);
    });
  });
});
