/** Names this package in every request: `User-Agent: pulumi-azureml-databricks/<version>`. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PipelinePolicy } from "./pipeline";

/** Name of this package, as found in its package.json. */
const PACKAGE_NAME = "pulumi-azureml-databricks";

/** Sets `User-Agent`. */
export function userAgentPolicy(userAgent: string = defaultUserAgent()): PipelinePolicy {
  return {
    name: "userAgent",
    send(request, next) {
      return next({ ...request, headers: { ...request.headers, "User-Agent": userAgent } });
    },
  };
}

/** `pulumi-azureml-databricks/<version of this package>`. */
export function defaultUserAgent(): string {
  return `${PACKAGE_NAME}/${packageVersion()}`;
}

let cachedVersion: string | undefined;

/** The version in this package's package.json, found by walking up from this module; `0.0.0` if none. */
function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = "0.0.0";
  for (let dir = __dirname, depth = 0; depth < 8; depth++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") {
        cachedVersion = pkg.version;
        break;
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cachedVersion;
}
