/**
 * `npm run emulator -- start|stop|status`: the background emulator `npm start` uses (state in
 * `.local/`). Any other arguments run the emulator in the foreground, as `dist/src/emulator/cli.js`
 * (e.g. `npm run emulator -- --port 0 --state-dir .local/emulator-dev`).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { DEFAULT_PORT, ensureEmulator, shownPath, localDir, runningEmulator, stopEmulator } from "./emulatorDaemon";
import { REPO_ROOT } from "./localEngine";

async function main(args: string[]): Promise<void> {
  const dir = localDir();
  const shown = shownPath(dir);
  switch (args[0]) {
    case "start": {
      const { info, started } = await ensureEmulator(dir, Number(process.env.AMLDB_EMULATOR_PORT ?? DEFAULT_PORT));
      console.log(`${started ? "Started" : "Already running:"} the emulator at ${info.url} (pid ${info.pid}; state, token and log in ${shown}/)`);
      return;
    }
    case "stop": {
      const pid = await stopEmulator(dir);
      console.log(pid ? `Stopped the emulator (pid ${pid}).` : "The emulator was not running.");
      return;
    }
    case "status": {
      const info = await runningEmulator(dir);
      console.log(info ? `Running at ${info.url} (pid ${info.pid}); Key Vault ${info.keyVaultUrl}, blob storage ${info.blobUrl}` : "Not running (`npm run emulator -- start` or `npm start` starts it).");
      return;
    }
    default: {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "src", "emulator", "cli.js"), ...args], { stdio: "inherit" });
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
      child.once("exit", (code) => process.exit(code ?? 1));
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
