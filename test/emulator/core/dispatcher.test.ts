import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock, type EmulatorResponse, type EmulatorService, type RouteHandler } from "../../../src/emulator";
import { createDispatcher } from "../../../src/emulator/core/dispatcher";
import { FaultQueue } from "../../../src/emulator/core/faults";
import { RequestLog } from "../../../src/emulator/core/requestLog";
import { TEST_CLOCK_START } from "../../support/emulator";

/** A service answering `GET /x/<name>` with the given handlers, in a format of its own. */
function fakeService(handlers: Record<string, RouteHandler>): EmulatorService {
  const error = (status: number, message: string): EmulatorResponse => ({ status, body: { fake_error: message } });
  return {
    name: "fake",
    owns: () => true,
    authenticate: () => undefined,
    validate: () => undefined,
    routes: Object.entries(handlers).map(([name, handle]) => ({ method: "GET", path: `/x/${name}`, operation: name, handle })),
    errors: {
      notFound: () => error(404, "no such route"),
      methodNotAllowed: () => error(405, "wrong method"),
      badRequest: (message) => error(400, message),
      forbidden: (message) => error(403, message),
      fault: () => error(503, "fault"),
      internal: () => error(500, "internal"),
    },
    responseHeaders: () => ({ "x-fake": "1" }),
    reset: () => undefined,
  };
}

describe("emulator dispatcher: every answer is written inside the error handling", () => {
  it("answers 500 in the service's format when a response cannot be written, and goes on answering", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: unknown = 0;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const service = fakeService({
      circular: () => ({ status: 200, body: circular }),
      bigint: () => ({ status: 200, body: { n: 10n } }),
      deep: () => ({ status: 200, body: deep }),
      header: () => ({ status: 200, headers: { "Content-Disposition": "attachment; filename=漢字" }, body: {} }),
      thrown: () => {
        throw "not an Error";
      },
      ok: () => ({ status: 200, body: { fine: true } }),
    });
    const lines: string[] = [];
    const requestLog = new RequestLog();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const control = fakeService({});
    const dispatch = createDispatcher({
      control: { ...control, owns: () => false },
      services: [service],
      faults: new FaultQueue(),
      requestLog,
      clock: new ManualClock(TEST_CLOCK_START),
      log: (line) => lines.push(line),
      boundAddress: () => "127.0.0.1:0",
      scheme: "http",
    });
    const server = http.createServer((req, res) => void dispatch(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answers: unknown[] = [];
      for (const name of ["circular", "bigint", "deep", "header", "thrown", "ok"]) {
        const res = await fetch(`${url}/x/${name}`);
        answers.push([name, res.status, res.headers.get("x-fake"), await res.json()]);
      }
      assert.deepEqual(answers, [
        ["circular", 500, "1", { fake_error: "internal" }],
        ["bigint", 500, "1", { fake_error: "internal" }],
        ["deep", 500, "1", { fake_error: "internal" }],
        ["header", 500, "1", { fake_error: "internal" }],
        ["thrown", 500, "1", { fake_error: "internal" }],
        ["ok", 200, "1", { fine: true }],
      ]);
      assert.deepEqual(
        requestLog.list().map((e) => `${e.path} ${e.status}`),
        ["/x/circular 500", "/x/bigint 500", "/x/deep 500", "/x/header 500", "/x/thrown 500", "/x/ok 200"],
      );
      assert.deepEqual(
        lines.filter((l) => l.startsWith("emulator")).map((l) => l.replace(/: [\s\S]*$/, "")),
        [
          "emulator could not encode its answer to GET /x/circular",
          "emulator could not encode its answer to GET /x/bigint",
          "emulator could not encode its answer to GET /x/deep",
          "emulator could not encode its answer to GET /x/header",
          "emulator error on GET /x/thrown",
        ],
      );
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
