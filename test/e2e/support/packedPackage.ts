/**
 * This checkout as another project gets it, made once per test process: `npm pack` (which runs
 * `prepare`, the build) once, and `npm install` once per distinct manifest of the projects that
 * depend on the tarball; the projects then share that install's node_modules through a symbolic
 * link. The examples all declare the same dependencies, so one install serves all of them, and
 * removing a project's copy removes a link, not a tree of thousands of files.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../scripts/localEngine";

/** The folder of this process's tarball and shared installs, removed when the process exits. */
let root: string | undefined;
let tarball: string | undefined;
/** The node_modules folder installed for each manifest key. */
const installs = new Map<string, string>();

function processDir(): string {
  if (!root) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-pack-"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    root = dir;
  }
  return root;
}

/** The tarball `npm pack` makes of this checkout (its `prepare` builds it first); packed on the first call only. */
export function packedTarball(): string {
  if (!tarball) {
    const dir = processDir();
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    tarball = path.join(dir, name);
  }
  return tarball;
}

/** The fields of a manifest that decide what `npm install` puts in node_modules. */
const INSTALLED_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "overrides", "bundleDependencies"] as const;

/**
 * Gives the project in `projectDir` the node_modules `npm install` makes of its package.json: a
 * symbolic link to the one install of this process for the same dependencies (made on the first
 * call for them, with the flags `npm install` had here before: offline-first, no audit, no fund).
 * A manifest with `scripts` (which `npm install` would run in the project) is installed in place.
 */
export function installDependencies(projectDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as Record<string, unknown>;
  if (manifest.scripts !== undefined) {
    npmInstall(projectDir);
    return;
  }
  const installed = Object.fromEntries(INSTALLED_FIELDS.filter((f) => manifest[f] !== undefined).map((f) => [f, manifest[f]]));
  const key = createHash("sha256").update(JSON.stringify(installed)).digest("hex").slice(0, 16);
  let modules = installs.get(key);
  if (!modules) {
    const dir = path.join(processDir(), `install-${key}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `shared-install-${key}`, private: true, ...installed }, null, 2));
    npmInstall(dir);
    modules = path.join(dir, "node_modules");
    installs.set(key, modules);
  }
  fs.symlinkSync(modules, path.join(projectDir, "node_modules"), "dir");
}

function npmInstall(dir: string): void {
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
}
