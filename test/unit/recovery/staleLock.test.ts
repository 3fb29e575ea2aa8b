import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { stackLocks } from "../../../src/recovery/staleLock";

describe("the lock a killed pulumi up leaves in a file backend", () => {
  let backend: string;
  beforeEach(() => (backend = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-lock-"))));
  afterEach(() => fs.rmSync(backend, { recursive: true, force: true }));

  function lock(name: string, content: { pid: number; hostname: string }): string {
    const dir = path.join(backend, ".pulumi", "locks", "organization", "proj", "dev");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...content, username: "u", timestamp: "2026-01-01T00:00:00Z" }));
    return file;
  }

  it("is stale only when its process is gone from this machine", () => {
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(gone.stdout);
    assert.ok(deadPid > 0);
    const dead = lock("a", { pid: deadPid, hostname: os.hostname() });
    const live = lock("b", { pid: process.pid, hostname: os.hostname() });
    const elsewhere = lock("c", { pid: deadPid, hostname: `${os.hostname()}-other` });
    const locks = stackLocks(pathToFileURL(backend).href, "proj", "dev").sort((x, y) => x.file.localeCompare(y.file));
    assert.deepEqual(locks, [
      { file: dead, pid: deadPid, hostname: os.hostname(), stale: true },
      { file: live, pid: process.pid, hostname: os.hostname(), stale: false },
      { file: elsewhere, pid: deadPid, hostname: `${os.hostname()}-other`, stale: false },
    ]);
  });

  it("none for another stack, an unlocked stack or a backend that is not a folder", () => {
    lock("a", { pid: process.pid, hostname: os.hostname() });
    assert.deepEqual(stackLocks(pathToFileURL(backend).href, "proj", "prod"), []);
    assert.deepEqual(stackLocks(pathToFileURL(backend).href, "other", "dev"), []);
    assert.deepEqual(stackLocks("https://api.pulumi.com", "proj", "dev"), []);
    assert.deepEqual(stackLocks(undefined, "proj", "dev"), []);
  });

  it("a lock that is not what the engine writes (not JSON, no or a bad pid, deeply nested) is never stale", () => {
    const dir = path.join(backend, ".pulumi", "locks", "organization", "proj", "dev");
    fs.mkdirSync(dir, { recursive: true });
    const bodies: Record<string, string> = {
      "a.json": "{not json",
      "b.json": JSON.stringify({ pid: -1, hostname: os.hostname() }),
      "c.json": JSON.stringify({ pid: "12", hostname: os.hostname() }),
      "d.json": JSON.stringify({ pid: 1.5, hostname: os.hostname() }),
      "e.json": JSON.stringify({ __proto__: { pid: 7 }, hostname: os.hostname() }),
      "f.json": "[".repeat(100_000) + "]".repeat(100_000),
    };
    for (const [name, body] of Object.entries(bodies)) fs.writeFileSync(path.join(dir, name), body);
    const locks = stackLocks(pathToFileURL(backend).href, "proj", "dev").sort((x, y) => x.file.localeCompare(y.file));
    assert.deepEqual(
      locks,
      Object.keys(bodies).map((name) => ({ file: path.join(dir, name), pid: 0, hostname: "", stale: false, unreadable: true })),
    );
  });

  it("refuses project and stack names that are not names before joining them into paths", () => {
    for (const [project, stack, message] of [
      ["proj", "..", '".." is not a stack name (letters, digits, "-", "_" and "." only): pass the stack\'s name with --stack'],
      ["proj", "organization/proj/..", '".." is not a stack name (letters, digits, "-", "_" and "." only): pass the stack\'s name with --stack'],
      ["..", "dev", '".." is not a project name (letters, digits, "-", "_" and "." only): check name: in Pulumi.yaml'],
      ["proj", "dev\u0000x", '"dev\\u0000x" is not a stack name (letters, digits, "-", "_" and "." only): pass the stack\'s name with --stack'],
    ]) {
      assert.throws(() => stackLocks(pathToFileURL(backend).href, project, stack), { message });
    }
    assert.deepEqual(stackLocks(pathToFileURL(backend).href, "proj", "__proto__"), []);
  });
});
