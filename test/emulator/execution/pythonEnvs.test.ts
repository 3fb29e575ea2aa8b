import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { executeTask, runnerPath } from "../../../src/emulator/execution/executor";
import { envCacheRoot, ensureLibraryEnvironment, LibraryInstallError, type LibraryInstall } from "../../../src/emulator/execution/pythonEnvs";
import { baseEnvironment, writeWheel } from "../../support/pythonPackages";
import { useExecutionFolders } from "./folders";

const TABULATE: LibraryInstall = { label: 'pypi {\n  package: "tabulate==0.9.0"\n}', args: ["tabulate==0.9.0"] };

/** Libraries installed with pip into cached virtual environments, over the base (Spark) environment. */
describe("Python environments of libraries (real pip)", function () {
  // A first build downloads from the package index; later runs find it in the cache.
  this.timeout(300_000);
  const f = useExecutionFolders({});
  let baseDir: string;

  before(async () => {
    baseDir = (await baseEnvironment()).dir!;
  });

  /** Runs `code` as a notebook with `python` and returns its logs. */
  async function run(python: string, code: string): Promise<string> {
    f.notebook("nb.py", code);
    const outcome = await executeTask(f.spec("nb.py"), { python });
    assert.equal(outcome.state, "SUCCESS", `${outcome.error}\n${outcome.logs}`);
    return outcome.logs;
  }

  it("installs a PyPI library into an environment over the base one, once, and reuses it", async () => {
    const [first, concurrent] = await Promise.all([ensureLibraryEnvironment([TABULATE]), ensureLibraryEnvironment([TABULATE])]);
    if (first.built) console.log(`      (first build of the tabulate environment: ${first.seconds} s)`);
    assert.deepEqual(concurrent, first, "concurrent requests share one build");
    assert.match(first.dir!, /\/lib-[0-9a-f]{20}$/);
    assert.equal(path.dirname(first.dir!), envCacheRoot());
    assert.equal(first.python, path.join(first.dir!, "bin", "python"));
    assert.deepEqual(await ensureLibraryEnvironment([TABULATE]), { python: first.python, dir: first.dir, built: false, seconds: 0 });

    const logs = await run(
      first.python,
      [
        "import sys, tabulate, pyspark, pandas, pyarrow",
        'print(tabulate.tabulate([[1, "a"]], headers=["id", "name"], tablefmt="plain"))',
        "print(tabulate.__version__, tabulate.__file__.startswith(sys.prefix))",
        `print(pyspark.__version__, pyspark.__file__.startswith(${JSON.stringify(baseDir)}))`,
      ].join("\n"),
    );
    assert.equal(logs, "  id  name\n   1  a\n0.9.0 True\n4.0.1 True\n");
  });

  it("fails with pip's error for a library that cannot be installed, and keeps nothing of the attempt", async () => {
    const missing: LibraryInstall = { label: 'pypi {\n  package: "tabulate==0.0.0.999"\n}', args: ["tabulate==0.0.0.999"] };
    const err = await ensureLibraryEnvironment([missing]).then(
      () => assert.fail("the install should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof LibraryInstallError, String(err));
    assert.equal(err.install, missing);
    assert.equal(err.exitCode, 1);
    assert.deepEqual(err.command.slice(1), ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "tabulate==0.0.0.999"]);
    assert.match(err.output, /^ERROR: No matching distribution found for tabulate==0\.0\.0\.999$/m);
    assert.equal(fs.existsSync(path.dirname(path.dirname(err.command[0]))), false, "a failed environment is removed");
  });

  it("installs a wheel from a local file, keyed by its content", async () => {
    const v1 = writeWheel(path.join(f.dir, "one"), "amldb_wheel_demo", "1.0", "VALUE = 'first'\n");
    const v2 = writeWheel(path.join(f.dir, "two"), "amldb_wheel_demo", "1.0", "VALUE = 'second'\n");
    const label = (file: string) => `whl: ${JSON.stringify(file)}`;
    const first = await ensureLibraryEnvironment([{ label: label(v1), args: [v1], files: [v1] }]);
    const second = await ensureLibraryEnvironment([{ label: label(v2), args: [v2], files: [v2] }]);
    assert.notEqual(first.dir, second.dir, "another content is another environment");
    const copy = path.join(f.dir, "copy", path.basename(v1));
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(v1, copy);
    assert.deepEqual(await ensureLibraryEnvironment([{ label: label(copy), args: [copy], files: [copy] }]), { ...first, built: false, seconds: 0 }, "the same file elsewhere is the same environment");
    assert.equal(await run(first.python, "import amldb_wheel_demo\nprint(amldb_wheel_demo.VALUE)"), "first\n");
    assert.equal(await run(second.python, "import amldb_wheel_demo\nprint(amldb_wheel_demo.VALUE)"), "second\n");
  });

  it("builds a folder once when several processes ask for it at once (a file lock)", async () => {
    const dir = path.join(f.dir, "venvs", "shared");
    const ask = () =>
      new Promise<{ status: string; built: boolean }>((resolve, reject) => {
        const child = spawn("python3", [runnerPath("env_builder.py")], { stdio: ["pipe", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (b: Buffer) => (out += b.toString()));
        child.once("error", reject);
        child.once("close", () => resolve(JSON.parse(out)));
        child.stdin.end(`${JSON.stringify({ dir, layers: [], installs: [] })}\n`);
      });
    const answers = await Promise.all([ask(), ask(), ask()]);
    assert.deepEqual(answers.map((a) => [a.status, a.built]).sort(), [["ready", false], ["ready", false], ["ready", true]]);
    assert.ok(fs.existsSync(path.join(dir, ".amldb-ready.json")));
  });
});
