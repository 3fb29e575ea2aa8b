import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { removeTemporaryFiles, removeTree } from "../../../src/emulator/core/removal";

/** Longer than any path the system can name (PATH_MAX is 4096 bytes on Linux). */
const BEYOND_PATH_MAX = 6000;

describe("tree removal", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "removal-"));
  });
  afterEach(() => removeTree(dir));

  it("removes a tree deeper than any path can name, leaving nothing beside it", () => {
    // Built in pieces, each short enough to name, then moved one into the other.
    const name = "n".repeat(200);
    const piece = (i: number) => path.join(dir, `piece${i}`);
    const levels = 10;
    const pieces = Math.ceil(BEYOND_PATH_MAX / ((name.length + 1) * levels));
    for (let i = 0; i < pieces; i++) {
      const leaf = path.join(piece(i), ...Array<string>(levels).fill(name));
      fs.mkdirSync(leaf, { recursive: true });
      fs.writeFileSync(path.join(leaf, "file"), "x");
      fs.symlinkSync("/", path.join(leaf, "link-to-root"));
    }
    // Each piece goes under the deepest folder of the one before, reached by relative steps.
    const original = process.cwd();
    try {
      process.chdir(piece(0));
      for (let i = 1; i < pieces; i++) {
        for (let l = 0; l < levels; l++) process.chdir(name);
        fs.renameSync(piece(i), "next");
        process.chdir("next");
      }
    } finally {
      process.chdir(original);
    }
    const deepestFile = Buffer.byteLength(piece(0)) + pieces * levels * (name.length + 1) + (pieces - 1) * "/next".length + "/file".length;
    assert.ok(deepestFile > BEYOND_PATH_MAX, "the tree is deeper than a path can name");
    removeTree(piece(0));
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.ok(fs.existsSync("/"), "links are removed, not followed");
  });

  it("removes a file, a link, or nothing when the target is missing", () => {
    fs.writeFileSync(path.join(dir, "f"), "x");
    fs.symlinkSync(dir, path.join(dir, "l"));
    removeTree(path.join(dir, "f"));
    removeTree(path.join(dir, "l"));
    removeTree(path.join(dir, "missing"));
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("removes what interrupted writes and removals left, and nothing else", () => {
    fs.mkdirSync(path.join(dir, "a", "b"), { recursive: true });
    fs.writeFileSync(path.join(dir, "a", "b", ".~emulator-write-12-abcdef"), "half");
    fs.mkdirSync(path.join(dir, ".~emulator-removal-12-abcdef", "x"), { recursive: true });
    fs.writeFileSync(path.join(dir, "a", "kept"), "kept");
    fs.writeFileSync(path.join(dir, "a", ".hidden"), "kept");
    assert.equal(removeTemporaryFiles(dir), 2);
    assert.deepEqual(fs.readdirSync(dir), ["a"]);
    assert.deepEqual(fs.readdirSync(path.join(dir, "a")).sort(), [".hidden", "b", "kept"]);
    assert.deepEqual(fs.readdirSync(path.join(dir, "a", "b")), []);
    assert.equal(removeTemporaryFiles(path.join(dir, "missing")), 0);
  });
});
