import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REQUEST_LOG_LIMITS, RequestLog, type RequestLogEntry } from "../../../src/emulator/core/requestLog";
import { withEmulator } from "../../support/emulator";

const entry = (i: number): RequestLogEntry => ({ at: "2026-01-15T12:00:00.000Z", method: "GET", path: `/r/${i}`, status: 200 });
const LINE_BYTES = Buffer.byteLength(JSON.stringify(entry(0)) + "\n");

describe("request log", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "request-log-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps the newest entries in memory, oldest first", () => {
    const log = new RequestLog(undefined, { entries: 3, fileBytes: 1024 });
    for (let i = 0; i < 7; i++) log.add(entry(i));
    assert.deepEqual(
      log.list().map((e) => e.path),
      ["/r/4", "/r/5", "/r/6"],
    );
    log.clear();
    log.add(entry(8));
    assert.deepEqual(log.list(), [entry(8)]);
  });

  it("rotates its file, so the disk holds at most two files of the limit", () => {
    const file = path.join(dir, "requests.log");
    const log = new RequestLog(file, { entries: 100, fileBytes: 3 * LINE_BYTES });
    for (let i = 0; i < 8; i++) log.add(entry(i));
    const lines = (f: string) => fs.readFileSync(f, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as RequestLogEntry).path);
    assert.deepEqual(lines(`${file}.1`), ["/r/3", "/r/4", "/r/5"]);
    assert.deepEqual(lines(file), ["/r/6", "/r/7"]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["requests.log", "requests.log.1"]);
    // A restarted emulator goes on from the size already there.
    const again = new RequestLog(file, { entries: 100, fileBytes: 3 * LINE_BYTES });
    again.add(entry(8));
    again.add(entry(9));
    assert.deepEqual(lines(`${file}.1`), ["/r/6", "/r/7", "/r/8"]);
    assert.deepEqual(lines(file), ["/r/9"]);
  });

  it("is the emulator's, with the limits it documents", async () => {
    assert.deepEqual(REQUEST_LOG_LIMITS, { entries: 10_000, fileBytes: 4 * 1024 * 1024 });
    await withEmulator({ stateDir: dir }, async ({ emulator, control }) => {
      for (let i = 0; i < 3; i++) await control("GET", "/_emulator/health");
      assert.equal(emulator.requests().length, 3);
    });
    assert.equal(fs.readFileSync(path.join(dir, "requests.log"), "utf8").trim().split("\n").length, 3);
  });
});
