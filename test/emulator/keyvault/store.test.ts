import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileSecretStore, InMemorySecretStore, RECOVERABLE_DAYS, type SecretStore, type SecretStoreOptions } from "../../../src/emulator";

/** A controllable clock and predictable version ids. */
function fixture(): { options: Required<SecretStoreOptions>; advance(seconds: number): void } {
  let now = Date.UTC(2030, 0, 1);
  let n = 0;
  return {
    options: { now: () => now, newVersionId: () => (++n).toString(16).padStart(32, "0") },
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}
const T0 = Date.UTC(2030, 0, 1) / 1000;
const v = (n: number): string => n.toString(16).padStart(32, "0");

describe("Key Vault secret store rules", () => {
  let clock: ReturnType<typeof fixture>;
  let store: SecretStore;
  beforeEach(() => {
    clock = fixture();
    store = new InMemorySecretStore(clock.options);
  });

  it("creates a new version on every set; the latest is the newest", () => {
    const first = store.setSecret("db", { value: "one", tags: { a: "1" }, contentType: "text/plain" });
    clock.advance(5);
    const second = store.setSecret("db", { value: "two" });
    assert.deepEqual(first, {
      status: "created",
      secret: {
        name: "db",
        version: { version: v(1), value: "one", contentType: "text/plain", tags: { a: "1" }, attributes: { enabled: true, created: T0, updated: T0 } },
      },
    });
    assert.deepEqual(second, {
      status: "created",
      secret: { name: "db", version: { version: v(2), value: "two", attributes: { enabled: true, created: T0 + 5, updated: T0 + 5 } } },
    });
    assert.equal(store.getSecret("db")?.version.value, "two");
    assert.equal(store.getSecret("db", "")?.version.value, "two");
    assert.equal(store.getSecret("db", v(1))?.version.value, "one");
    assert.equal(store.getSecret("db", v(1).toUpperCase())?.version.value, "one", "version ids compare case-insensitively");
    assert.equal(store.getSecret("db", v(9)), undefined);
    assert.deepEqual(store.listSecretVersions("db")?.map((s) => s.version.version), [v(1), v(2)]);
    assert.equal(store.listSecretVersions("nope"), undefined);
  });

  it("treats names case-insensitively, keeping the first spelling, and lists by name", () => {
    store.setSecret("Zeta", { value: "z" });
    store.setSecret("alpha", { value: "a" });
    store.setSecret("ZETA", { value: "z2" });
    assert.deepEqual(
      store.listSecrets().map((s) => [s.name, s.version.value]),
      [
        ["alpha", "a"],
        ["Zeta", "z2"],
      ],
    );
  });

  it("updates properties of one version, never its value", () => {
    store.setSecret("db", { value: "one", tags: { a: "1" } });
    store.setSecret("db", { value: "two" });
    clock.advance(10);
    const updated = store.updateSecret("db", v(1), { tags: { b: "2" }, enabled: false, exp: T0 + 100 });
    assert.deepEqual(updated?.version, {
      version: v(1),
      value: "one",
      tags: { b: "2" },
      attributes: { enabled: false, exp: T0 + 100, created: T0, updated: T0 + 10 },
    });
    assert.equal(store.getSecret("db")?.version.attributes.enabled, true, "the latest version is untouched");
    assert.equal(store.updateSecret("db", v(7), { enabled: true }), undefined);
    assert.equal(store.updateSecret("missing", undefined, { enabled: true }), undefined);
  });

  it("returns copies: callers cannot change the stored state", () => {
    const created = store.setSecret("db", { value: "one", tags: { a: "1" } });
    assert.equal(created.status, "created");
    if (created.status === "created") created.secret.version.tags!.a = "changed";
    store.getSecret("db")!.version.attributes.enabled = false;
    assert.deepEqual(store.getSecret("db")?.version.tags, { a: "1" });
    assert.equal(store.getSecret("db")?.version.attributes.enabled, true);
  });

  it("soft-deletes all versions; the name is then refused until recovered or purged", () => {
    store.setSecret("db", { value: "one" });
    store.setSecret("db", { value: "two" });
    clock.advance(60);
    const deleted = store.deleteSecret("DB");
    assert.deepEqual(deleted?.deletion, { deletedDate: T0 + 60, scheduledPurgeDate: T0 + 60 + RECOVERABLE_DAYS * 86400 });
    assert.equal(deleted?.name, "db");
    assert.equal(deleted?.latest.version, v(2));
    assert.equal(store.getSecret("db"), undefined);
    assert.equal(store.getSecret("db", v(1)), undefined);
    assert.equal(store.listSecretVersions("db"), undefined);
    assert.deepEqual(store.listSecrets(), []);
    assert.equal(store.updateSecret("db", undefined, { enabled: false }), undefined);
    assert.equal(store.deleteSecret("db"), undefined, "already deleted");
    assert.deepEqual(store.setSecret("Db", { value: "three" }), { status: "deleted-but-recoverable", name: "db" });
    assert.deepEqual(store.listDeletedSecrets().map((d) => d.name), ["db"]);

    const recovered = store.recoverDeletedSecret("db");
    assert.equal(recovered?.version.value, "two");
    assert.deepEqual(store.listSecretVersions("db")?.map((s) => s.version.version), [v(1), v(2)], "recovery brings every version back");
    assert.equal(store.getDeletedSecret("db"), undefined);
    assert.equal(store.recoverDeletedSecret("db"), undefined);
    assert.equal(store.purgeDeletedSecret("db"), false, "only a deleted secret can be purged");

    store.deleteSecret("db");
    assert.equal(store.purgeDeletedSecret("db"), true);
    assert.equal(store.getDeletedSecret("db"), undefined);
    assert.deepEqual(store.listDeletedSecrets(), []);
    const reborn = store.setSecret("db", { value: "fresh" });
    assert.equal(reborn.status, "created");
    assert.deepEqual(store.listSecretVersions("db")?.map((s) => s.version.value), ["fresh"], "a purged name starts with no history");
  });

  it("purges a deleted secret at its scheduled purge date", () => {
    store.setSecret("db", { value: "one" });
    store.deleteSecret("db");
    clock.advance(RECOVERABLE_DAYS * 86400 - 1);
    assert.ok(store.getDeletedSecret("db"));
    clock.advance(1);
    assert.equal(store.getDeletedSecret("db"), undefined);
    assert.equal(store.setSecret("db", { value: "new" }).status, "created");
  });

  it("clears everything", () => {
    store.setSecret("a", { value: "1" });
    store.setSecret("b", { value: "2" });
    store.deleteSecret("b");
    store.clear();
    assert.deepEqual(store.listSecrets(), []);
    assert.deepEqual(store.listDeletedSecrets(), []);
  });

  it("refuses a version id generator that does not produce 32 lowercase hex characters", () => {
    const bad = new InMemorySecretStore({ newVersionId: () => "ABC" });
    assert.throws(() => bad.setSecret("x", { value: "v" }), { message: 'Version ids must be 32 lowercase hex characters, got "ABC".' });
  });
});

describe("Key Vault file store", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kv-store-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("persists every change and reloads it, leaving no temporary files", () => {
    const file = path.join(dir, "nested", "secrets.json");
    const clock = fixture();
    const first = new FileSecretStore(file, clock.options);
    first.setSecret("kept", { value: "one" });
    first.setSecret("gone", { value: "two" });
    first.deleteSecret("gone");
    assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), ["secrets.journal", "secrets.json"]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(path.dirname(file), "secrets.journal")).mode & 0o777, 0o600);

    const second = new FileSecretStore(file, clock.options);
    assert.equal(second.getSecret("kept")?.version.value, "one");
    assert.equal(second.getSecret("kept")?.version.version, v(1));
    assert.equal(second.getDeletedSecret("gone")?.deletion.deletedDate, T0);
    assert.equal(second.setSecret("gone", { value: "x" }).status, "deleted-but-recoverable");
  });

  it("refuses a corrupt state file with a message naming it", () => {
    const file = path.join(dir, "secrets.json");
    fs.writeFileSync(file, "{broken");
    assert.throws(() => new FileSecretStore(file), (err: Error) => err.message.startsWith(`Key Vault state file ${file} is not valid JSON`));
    fs.writeFileSync(file, JSON.stringify({ format: 2, secrets: [] }));
    assert.throws(() => new FileSecretStore(file), {
      message: `Key Vault state file ${file} is not a snapshot of this emulator version; move it away (with secrets.journal) to start empty.`,
    });
  });
});
