/**
 * What the e2e tests of inline programs share: the engine, an emulator with its state (and request
 * log) in a work directory inside the repository (so the dynamic providers resolve this package),
 * a file backend there, and a stack of the program under the local target.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../../src/emulator";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../../../src/core/target";
import { ensureEngine, inlineStack, offlineEnv, REPO_ROOT } from "../../../scripts/localEngine";

/** A started emulator and a stack of an inline program, both under `workDir`; filled in by `before`. */
export interface InlineFixture {
  readonly workDir: string;
  readonly emulator: RunningEmulator;
  /** The emulator's bearer token (AMLDB_LOCAL_TOKEN of the engine). */
  readonly token: string;
  /** The file backend's directory. */
  readonly backendDir: string;
  readonly stack: Stack;
  /** The emulator's request log file, one JSON line per request. */
  requestLog(): string;
}

/**
 * Registers hooks that start the engine's environment for `program` as project `project`, stack
 * `e2e`: an emulator (Databricks runs end at once) persisting into the work directory, the engine
 * trusting its CA (its `clientEnv`), with AMLDB_TARGET=local, AMLDB_LOCAL_TOKEN and DATABRICKS_HOST
 * (plus `engineEnv`); and that stop and remove it all
 * afterwards.
 */
export function useInlineStack(project: string, program: PulumiFn, emulatorOptions: EmulatorOptions = {}, engineEnv: Record<string, string> = {}): InlineFixture {
  const fixture = { token: randomBytes(16).toString("hex") } as { -readonly [K in keyof InlineFixture]: InlineFixture[K] };
  fixture.requestLog = () => fs.readFileSync(path.join(fixture.workDir, "emulator", "requests.log"), "utf8");
  before(async function () {
    this.timeout(60 * 60 * 1000); // the first run may build the engine
    const engineBin = ensureEngine();
    fs.mkdirSync(path.join(REPO_ROOT, ".local"), { recursive: true });
    fixture.workDir = fs.mkdtempSync(path.join(REPO_ROOT, ".local", `${project}-`));
    fs.writeFileSync(path.join(fixture.workDir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
    fixture.emulator = await startEmulator({
      port: 0,
      stateDir: path.join(fixture.workDir, "emulator"),
      token: fixture.token,
      ...emulatorOptions,
      databricks: { lifecycle: "immediate", ...emulatorOptions.databricks },
    });
    fixture.backendDir = path.join(fixture.workDir, "state");
    const env = offlineEnv({
      engineBin,
      backendDir: fixture.backendDir,
      passphrase: randomBytes(16).toString("hex"),
      extra: { ...fixture.emulator.clientEnv, [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: fixture.token, DATABRICKS_HOST: fixture.emulator.url, ...engineEnv },
    });
    fixture.stack = await inlineStack({ stackName: "e2e", workDir: fixture.workDir, program, env, engineBin });
  });
  after(async () => {
    await fixture.emulator?.close();
    if (fixture.workDir) fs.rmSync(fixture.workDir, { recursive: true, force: true });
  });
  return fixture;
}

/** Every file below `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
