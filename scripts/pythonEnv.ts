/**
 * Builds the emulator's base Python environment (pyspark, pandas, pyarrow: see
 * `src/emulator/execution/pythonEnvs.ts`) unless it is cached, and says where it is and what the
 * build cost. `npm test` and `npm start` run it first; it takes a minute or two the first time
 * (mostly downloading pyspark) and a fraction of a second after.
 *
 * Spark also needs Java 17 or later on PATH (or JAVA_HOME): this script says so when it is missing,
 * but does not fail, as every run that does not touch `spark` works without it.
 */
import { spawnSync } from "node:child_process";
import { BASE_PACKAGES, ensureBaseEnvironment } from "../src/emulator/execution/pythonEnvs";

function log(line: string): void {
  process.stderr.write(`[python-env] ${line}\n`);
}

function javaVersion(): string | undefined {
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : "java";
  const result = spawnSync(java, ["-version"], { encoding: "utf8" });
  const first = `${result.stderr ?? ""}${result.stdout ?? ""}`.trim().split("\n")[0];
  return result.status === 0 && first ? first : undefined;
}

async function main(): Promise<void> {
  log(`base environment (${BASE_PACKAGES.join(", ")}): checking the cache`);
  const env = await ensureBaseEnvironment();
  log(env.built ? `built ${env.dir} in ${env.seconds} s` : `cached at ${env.dir}`);
  const java = javaVersion();
  log(java ? `Java for Spark: ${java}` : "Java was not found: notebooks that use `spark` need Java 17 or later (e.g. apt-get install openjdk-17-jre-headless, or set JAVA_HOME).");
}

main().catch((err: Error) => {
  log(`could not build the base environment: ${err.message}`);
  process.exitCode = 1;
});
