import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { asKeyed, keyed, type Keyed } from "../../../src/emulator/core/keyed";
import { FileStateStore, MemoryStateStore, type StateStore } from "../../../src/emulator/core/stateStore";

interface TestState {
  items: Keyed<{ n: number }>;
  list: number[];
}

const empty = (): TestState => ({ items: keyed(), list: [] });

function open(dir: string, compactAfterBytes?: number): FileStateStore<TestState> {
  return new FileStateStore<TestState>({
    dir,
    name: "state",
    what: "Test state",
    empty,
    revive: (data) => {
      const s = data as TestState;
      asKeyed(s.items, "items");
      return s;
    },
    compactAfterBytes,
  });
}

/** The state as plain JSON, so prototypes do not matter to the comparison. */
const plain = (store: StateStore<TestState>): unknown => store.read((s) => JSON.parse(JSON.stringify(s)));

describe("state store", () => {
  let dir: string;
  const stores: FileStateStore<TestState>[] = [];
  const opened = (compactAfterBytes?: number): FileStateStore<TestState> => {
    const store = open(dir, compactAfterBytes);
    stores.push(store);
    return store;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-store-"));
  });
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ["memory", "file"] as const) {
    it(`changes nothing when an update throws halfway (${kind})`, () => {
      const store: StateStore<TestState> = kind === "memory" ? new MemoryStateStore(empty()) : opened();
      assert.throws(
        () =>
          store.update((s) => {
            s.items.a = { n: 1 };
            s.list.push(1);
            throw new Error("refused after changing");
          }),
        { message: "refused after changing" },
      );
      assert.deepEqual(plain(store), { items: {}, list: [] });
      assert.equal(
        store.update((s) => {
          s.items.b = { n: 2 };
          return s.list.length;
        }),
        0,
      );
      assert.deepEqual(plain(store), { items: { b: { n: 2 } }, list: [] });
    });
  }

  it("persists every change and no more, and reloads it", () => {
    const store = opened();
    assert.throws(() =>
      store.update((s) => {
        s.items.lost = { n: 0 };
        throw new Error("no");
      }),
    );
    store.update((s) => {
      s.items.kept = { n: 1 };
      s.list.push(1, 2, 3);
    });
    store.update((s) => {
      s.items.kept.n = 5;
      s.list.splice(0, 2);
    });
    store.close();
    assert.deepEqual(plain(opened()), { items: { kept: { n: 5 } }, list: [3] });
  });

  it("refuses an update that returns part of its draft, changing nothing", () => {
    const store = new MemoryStateStore(empty());
    assert.throws(
      () =>
        store.update((s) => {
          s.items.a = { n: 1 };
          return s.items;
        }),
      { message: "A state update returned part of its draft; return a copy or a primitive." },
    );
    assert.deepEqual(plain(store), { items: {}, list: [] });
  });

  it("keeps entries named __proto__, constructor and toString through the journal and the snapshot", () => {
    const names = ["__proto__", "constructor", "toString"];
    const store = opened(1);
    for (const [i, name] of names.entries()) {
      store.update((s) => {
        s.items[name] = { n: i };
      });
    }
    store.update((s) => {
      s.items[names[0]].n = 10;
    });
    const check = (s: StateStore<TestState>) =>
      s.read((state) => {
        assert.equal(Object.getPrototypeOf(state.items), null);
        assert.deepEqual(Object.keys(state.items), names);
        assert.deepEqual(
          names.map((n) => state.items[n].n),
          [10, 1, 2],
        );
      });
    check(store);
    store.close();
    // Folded into the snapshot at every change (compactAfterBytes 1), then from the journal.
    check(opened());
    const journaled = opened(1024 * 1024);
    stores[stores.length - 2].close();
    const valueOf: string = "valueOf";
    journaled.update((s) => {
      s.items[valueOf] = { n: 3 };
    });
    journaled.close();
    assert.deepEqual(Object.keys(opened().read((s) => s.items)), [...names, "valueOf"]);
  });

  it("drops a torn last journal line, from the file too, and refuses a damaged line before it", () => {
    const store = opened();
    store.update((s) => void s.list.push(1));
    store.update((s) => void s.list.push(2));
    store.close();
    const journal = path.join(dir, "state.journal");
    const whole = fs.readFileSync(journal, "utf8");
    assert.equal(whole.split("\n").length, 3, "two lines, each ended");
    fs.appendFileSync(journal, '{"seq":3,"ops":[["add",["list",2],');
    assert.deepEqual(plain(opened()), { items: {}, list: [1, 2] });
    assert.equal(fs.readFileSync(journal, "utf8"), whole);
    stores.pop()!.close();

    fs.appendFileSync(journal, "not json\n");
    assert.deepEqual(plain(opened()), { items: {}, list: [1, 2] }, "an unreadable last line is torn too");
    assert.equal(fs.readFileSync(journal, "utf8"), whole);
    stores.pop()!.close();

    fs.writeFileSync(journal, "garbage\n" + whole);
    assert.throws(() => open(dir), {
      message: `Test state journal ${journal} is damaged: line 1 is not valid JSON (Unexpected token 'g', "garbage" is not valid JSON); move it away with ${path.join(dir, "state.json")} to start empty.`,
    });
  });

  it("folds the journal into a snapshot written through a temporary file, and skips what the snapshot holds", () => {
    const store = opened(200);
    const snapshot = path.join(dir, "state.json");
    const first = fs.statSync(snapshot).ino;
    for (let i = 0; i < 20; i++) store.update((s) => void s.list.push(i));
    assert.notEqual(fs.statSync(snapshot).ino, first, "the snapshot was replaced, not rewritten in place");
    assert.ok(fs.statSync(path.join(dir, "state.journal")).size < 200);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["state.journal", "state.json"]);
    store.close();
    assert.deepEqual(plain(opened()), { items: {}, list: Array.from({ length: 20 }, (_, i) => i) });
    stores.pop()!.close();

    // A crash between writing a snapshot and emptying the journal leaves entries the snapshot holds.
    fs.writeFileSync(snapshot, JSON.stringify({ snapshot: 1, seq: 2, state: { items: {}, list: [1, 2] } }));
    fs.writeFileSync(
      path.join(dir, "state.journal"),
      [1, 2, 3].map((n) => JSON.stringify({ seq: n, ops: [["add", ["list", n - 1], n]] })).join("\n") + "\n",
    );
    assert.deepEqual(plain(opened()), { items: {}, list: [1, 2, 3] });
  });

  it("refuses changes once its folder is gone, changing nothing, says so, and is mended by a replace", () => {
    const store = opened();
    store.update((s) => void s.list.push(1));
    assert.deepEqual(store.problems(), []);
    fs.rmSync(dir, { recursive: true });
    assert.throws(() => store.update((s) => void s.list.push(2)), {
      message: `Test state cannot be changed: ${path.join(dir, "state.journal")} cannot be reached (ENOENT).`,
    });
    assert.deepEqual(plain(store), { items: {}, list: [1] });
    assert.deepEqual(store.problems(), [`${path.join(dir, "state.journal")} cannot be reached (ENOENT)`, `the state folder ${dir} cannot be written (ENOENT)`]);

    store.replace(empty());
    assert.deepEqual(store.problems(), []);
    store.update((s) => void s.list.push(3));
    store.close();
    assert.deepEqual(plain(opened()), { items: {}, list: [3] });
  });

  it("removes the temporary files of an interrupted snapshot at start", () => {
    opened().close();
    fs.writeFileSync(path.join(dir, ".~emulator-write-1-abc"), "half a snapshot");
    opened();
    assert.deepEqual(fs.readdirSync(dir).sort(), ["state.journal", "state.json"]);
  });
});
