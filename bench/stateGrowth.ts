/**
 * How the state folder grows over a long session: BENCH_OPERATIONS (default 5,000) sequential
 * operations of every kind that changes state (runs submitted and finished, Databricks secrets,
 * workspace notebooks and Key Vault secrets overwritten, jobs created and deleted), against an
 * emulator with a state folder and the `immediate` lifecycle. Prints, every fifth of the way, the
 * folder's size (state files and request log apart) and the time the last fifth took. Run:
 * `npm run bench -- growth`.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../src/emulator";
import { directoryBytes, emulatorCaller } from "./figures";

const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 5000);
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };

export async function stateGrowth(): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-bench-growth-"));
  const token = randomBytes(16).toString("hex");
  // Plain http, as the bench process cannot trust a CA made after it started (NODE_EXTRA_CA_CERTS).
  const emulator = await startEmulator({ stateDir, token, http: true, databricks: { lifecycle: "immediate" } });
  const call = emulatorCaller(emulator);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  const sizeOf = (...names: string[]) => names.reduce((n, f) => n + (fs.existsSync(path.join(stateDir, f)) ? fs.statSync(path.join(stateDir, f)).size : 0), 0);
  try {
    await call("POST", "/api/2.0/secrets/scopes/create", { scope: "growth" });
    await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/growth" });
    let started = Date.now();
    for (let i = 0; i < OPERATIONS; i++) {
      switch (i % 5) {
        case 0:
          await call("POST", "/api/2.1/jobs/runs/submit", { run_name: `r${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/missing" }, new_cluster: CLUSTER }] });
          break;
        case 1:
          await call("POST", "/api/2.0/secrets/put", { scope: "growth", key: `k${i % 50}`, string_value: `value-${i}` });
          break;
        case 2:
          await call("POST", "/api/2.0/workspace/import", { path: `/Shared/growth/nb${i % 20}`, format: "SOURCE", language: "PYTHON", content: Buffer.from(`x = ${i}\n`).toString("base64"), overwrite: true });
          break;
        case 3:
          await call("PUT", `/secrets/s${i % 50}?api-version=7.5`, { value: `value-${i}` });
          break;
        default: {
          const { job_id } = await call("POST", "/api/2.1/jobs/create", { name: `j${i}` });
          if (i % 10 === 4) await call("POST", "/api/2.1/jobs/delete", { job_id });
        }
      }
      if ((i + 1) % (OPERATIONS / 5) === 0) {
        const seconds = (Date.now() - started) / 1000;
        started = Date.now();
        const files = fs.readdirSync(path.join(stateDir, "databricks")).filter((f) => /^state\./.test(f));
        console.log(
          `after ${i + 1} operations: state folder ${kib(directoryBytes(stateDir))} (Databricks state ${kib(sizeOf(...files.map((f) => path.join("databricks", f))))}, ` +
            `request log ${kib(sizeOf("requests.log", "requests.log.1"))}); the last ${OPERATIONS / 5} took ${seconds.toFixed(1)} s`,
        );
      }
    }
  } finally {
    await emulator.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
