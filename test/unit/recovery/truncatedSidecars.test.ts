import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { truncatedSidecars } from "../../../src/recovery/truncatedSidecars";

describe("the metadata sidecars a killed engine can leave cut short in a file backend", () => {
  let backend: string;
  beforeEach(() => (backend = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-attrs-"))));
  afterEach(() => fs.rmSync(backend, { recursive: true, force: true }));

  const ATTRS = '{"user.cache_control":"","user.content_type":"application/octet-stream","md5":"AAAA"}\n';
  function put(rel: string, content: string): string {
    const file = path.join(backend, ".pulumi", rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  it("lists the stack's sidecars that do not parse: checkpoint, backup, history, backups, lock", () => {
    put("stacks/proj/dev.json", "{}");
    const emptyCheckpoint = put("stacks/proj/dev.json.attrs", "");
    put("stacks/proj/dev.json.bak.attrs", ATTRS);
    const halfHistory = put("history/proj/dev/dev-1.history.json.attrs", ATTRS.slice(0, 30));
    put("history/proj/dev/dev-2.history.json.attrs", ATTRS);
    const gzBackup = put("backups/proj/dev/dev.1700000000.json.gz.attrs", "[]");
    const lock = put("locks/organization/proj/dev/abc.json.attrs", "null");
    const legacy = put("stacks/dev.json.bak.attrs", "{");
    assert.deepEqual(truncatedSidecars(pathToFileURL(backend).href, "proj", "dev"), [emptyCheckpoint, gzBackup, halfHistory, lock, legacy].sort());
  });

  it("leaves other stacks' and other projects' files alone, and files that are not sidecars", () => {
    put("stacks/proj/dev-2.json.attrs", "");
    put("stacks/proj/prod.json.attrs", "");
    put("stacks/other/dev.json.attrs", "");
    put("history/proj/prod/prod-1.history.json.attrs", "");
    put("stacks/proj/dev.json", "");
    put("history/proj/dev/dev-1.history.json", "");
    assert.deepEqual(truncatedSidecars(pathToFileURL(backend).href, "proj", "dev"), []);
  });

  it("a stack name is matched literally, not as a pattern", () => {
    put("stacks/proj/dexjson.json.attrs", "");
    put("stacks/proj/dxv.json.attrs", "");
    const own = put("stacks/proj/d.v.json.attrs", "");
    assert.deepEqual(truncatedSidecars(pathToFileURL(backend).href, "proj", "d.v"), [own]);
    assert.deepEqual(truncatedSidecars(pathToFileURL(backend).href, "proj", "d.x"), []);
  });

  it("reads the backend URL as the CLI does (query dropped, relative from the working directory), takes a qualified stack name; nothing for other backends", () => {
    const own = put("stacks/proj/dev.json.attrs", "");
    assert.deepEqual(truncatedSidecars(`${pathToFileURL(backend).href}?no_tmp_dir=true`, "proj", "dev"), [own]);
    assert.deepEqual(truncatedSidecars(`file://./${path.basename(backend)}`, "proj", "dev", path.dirname(backend)), [own]);
    assert.deepEqual(truncatedSidecars(pathToFileURL(backend).href, "proj", "organization/proj/dev"), [own]);
    assert.deepEqual(truncatedSidecars("https://api.pulumi.com", "proj", "dev"), []);
    assert.deepEqual(truncatedSidecars(undefined, "proj", "dev"), []);
  });
});
