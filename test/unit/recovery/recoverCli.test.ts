import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recover } from "../../../src/recovery/cli";

describe("recover outside a project", () => {
  it("fails naming the folder and what to do, before running pulumi", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-recover-"));
    try {
      await assert.rejects(recover({ stack: "dev", cwd: dir, log: () => undefined }), {
        message: `no Pulumi.yaml in ${dir}: run recover in the project directory of the interrupted pulumi up`,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
