import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { ManualClock, type EmulatorRequest } from "../../../src/emulator";
import { createDbfsHandlers } from "../../../src/emulator/databricks/dbfs/handlers";
import { DbfsUploads } from "../../../src/emulator/databricks/dbfs/uploads";
import { DatabricksRequestError } from "../../../src/emulator/databricks/errors";
import { createDataPaths, removeData } from "../../../src/emulator/databricks/paths";
import { b64 } from "../../support/databricksWire";
import { expectError, rawRequest, TEST_CLOCK_START, useEmulator, type Reply } from "../../support/emulator";

const MB = 1024 * 1024;
const PUT = "/api/2.0/dbfs/put";

/** Bytes that differ from position to position, so a shifted or truncated copy cannot pass. */
function pattern(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 11)) % 253;
  return data;
}

/** A multipart body written by hand, its parts in the order given (a file part as `{ file }`, with its part's Content-Type). */
function multipartBody(boundary: string, parts: [name: string, value: string | { file: Buffer; type?: string }][]): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    const head =
      typeof value === "string"
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="upload.bin"\r\nContent-Type: ${value.type ?? "application/octet-stream"}\r\n\r\n`;
    chunks.push(Buffer.from(head), typeof value === "string" ? Buffer.from(value) : value.file, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe("Databricks emulator: DBFS put as a multipart form", function () {
  this.timeout(60_000);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbfs-multipart-"));
  const t = useEmulator({ stateDir });
  after(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  const uploadsLeft = () => fs.readdirSync(path.join(stateDir, "databricks", "uploads"));
  const form = (fields: Record<string, string>, file?: Buffer): FormData => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    if (file) f.append("contents", new Blob([file]), "upload.bin");
    return f;
  };
  const post = async (body: FormData | Buffer, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await fetch(`${t.emulator.url}${PUT}`, { method: "POST", headers: { Authorization: `Bearer ${t.emulator.token}`, ...headers }, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
  };
  const readAll = async (p: string, size: number): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for (let offset = 0; offset < size; offset += MB) parts.push(Buffer.from((await t.call("GET", `/api/2.0/dbfs/read?path=${p}&offset=${offset}&length=${MB}`)).body.data, "base64"));
    return Buffer.concat(parts);
  };

  it("takes a file beyond the JSON form's 1 MB as the contents part, as the API reference's curl --form sends it", async () => {
    const data = pattern(3 * MB + 17);
    assert.deepEqual([(await post(form({ path: "dbfs:/up/big.bin", overwrite: "false" }, data))).status], [200]);
    assert.equal((await t.call("GET", "/api/2.0/dbfs/get-status?path=/up/big.bin")).body.file_size, data.length);
    assert.ok((await readAll("/up/big.bin", data.length)).equals(data), "the file reads back byte for byte");
    assert.deepEqual(uploadsLeft(), [], "the temporary upload is gone");
  });

  it("honours overwrite, answering an existing file as the JSON form does and leaving nothing behind", async () => {
    assert.equal((await post(form({ path: "/up/a.txt" }, Buffer.from("first")))).status, 200);
    await expectError(post(form({ path: "/up/a.txt", overwrite: "false" }, Buffer.from("second"))), 400, {
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "A file or directory already exists at the input path dbfs:/up/a.txt.",
    });
    assert.deepEqual(uploadsLeft(), []);
    assert.equal((await post(form({ path: "/up/a.txt", overwrite: "true" }, Buffer.from("second")))).status, 200);
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/up/a.txt")).body, { bytes_read: 6, data: b64("second") });
  });

  it("takes the form as the legacy Databricks CLI sends it: a file part named file, typed multipart/form-data, and Python's True", async () => {
    // databricks-cli 0.18 DbfsService.put(src_path=...) through requests: the text fields first,
    // `overwrite` written with str(True), then {'file': (basename, file, 'multipart/form-data')}.
    const boundary = "014bfa6220737eb7d3a18919d54b090e";
    const send = (data: Buffer, overwrite: "True" | "False") => {
      const body = multipartBody(boundary, [["path", "/up/cli.bin"], ["overwrite", overwrite], ["file", { file: data, type: "multipart/form-data" }]]);
      return rawRequest(t.emulator.url, {
        method: "POST",
        path: PUT,
        headers: { Authorization: `Bearer ${t.emulator.token}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": body.length },
        body,
      });
    };
    const first = pattern(2 * MB + 5);
    const put = await send(first, "False");
    assert.deepEqual([put.status, put.body], [200, {}], put.text);
    assert.ok((await readAll("/up/cli.bin", first.length)).equals(first), "the file reads back byte for byte");
    await expectError(send(Buffer.from("again"), "False"), 400, {
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "A file or directory already exists at the input path dbfs:/up/cli.bin.",
    });
    assert.equal((await send(Buffer.from("replaced"), "True")).status, 200);
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/up/cli.bin")).body, { bytes_read: 8, data: b64("replaced") });
    assert.deepEqual(uploadsLeft(), []);
  });

  it("reads the fields whether they come before or after the file part", async () => {
    const boundary = "----amldb-boundary-7f3a";
    const data = pattern(70_000);
    const body = multipartBody(boundary, [["contents", { file: data }], ["overwrite", "true"], ["path", "/up/late-fields.bin"]]);
    const reply = await rawRequest(t.emulator.url, {
      method: "POST",
      path: PUT,
      headers: { Authorization: `Bearer ${t.emulator.token}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": body.length },
      body,
    });
    assert.equal(reply.status, 200, reply.text);
    assert.ok((await readAll("/up/late-fields.bin", data.length)).equals(data));
  });

  it("takes a base64 contents field in place of a file, within the JSON form's 1 MB", async () => {
    assert.equal((await post(form({ path: "/up/field.txt", contents: b64("from a field") }))).status, 200);
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/up/field.txt")).body, { bytes_read: 12, data: b64("from a field") });
    await expectError(post(form({ path: "/up/field.bin", contents: b64(Buffer.alloc(MB + 1)) })), 400, {
      error_code: "MAX_BLOCK_SIZE_EXCEEDED",
      message: "The 'contents' data cannot exceed 1048576 bytes. Found: 1048577 bytes. You might want to use streaming upload instead.",
    });
  });

  it("refuses a form without a path, a file under another name, and a body that is no form", async () => {
    await expectError(post(form({ overwrite: "true" }, Buffer.from("x"))), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Missing required field: path" });
    const other = new FormData();
    other.append("path", "/up/other.bin");
    other.append("upload", new Blob([Buffer.from("x")]), "x.bin");
    await expectError(post(other), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Unexpected file field upload: the file goes in the field contents (or file)." });
    const two = form({ path: "/up/two.bin" }, Buffer.from("x"));
    two.append("file", new Blob([Buffer.from("y")]), "y.bin");
    await expectError(post(two), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Only one file can be put at a time." });
    const broken = await post(Buffer.from("--x\r\nnot a part"), { "Content-Type": "multipart/form-data" });
    assert.equal(broken.status, 400, broken.text);
    assert.equal(broken.body.error_code, "MALFORMED_REQUEST");
    assert.match(broken.body.message, /^The multipart form cannot be read: /);
    assert.deepEqual(uploadsLeft(), []);
  });
});

describe("DBFS multipart put: the file size limit", () => {
  it("refuses a file over the limit with MAX_BLOCK_SIZE_EXCEEDED and removes what it wrote", async () => {
    const paths = createDataPaths();
    try {
      const handlers = createDbfsHandlers(paths, new DbfsUploads(paths, new ManualClock(TEST_CLOCK_START)), { maxMultipartBytes: 1024 });
      const boundary = "limit-boundary";
      const request = (size: number): EmulatorRequest => {
        const body = multipartBody(boundary, [["path", `/limit/${size}.bin`], ["contents", { file: pattern(size) }]]);
        return {
          method: "POST",
          pathname: PUT,
          query: new URLSearchParams(),
          headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
          baseUrl: "http://127.0.0.1",
          params: {},
          readJson: () => Promise.reject(new Error("not JSON")),
          readText: () => Promise.reject(new Error("not text")),
          bodyStream: () => Readable.from([body]),
        };
      };
      assert.equal((await handlers.put(request(1024))).status, 200, "a file of exactly the limit is taken");
      const refused = await handlers.put(request(1025)).then(
        () => assert.fail("a file over the limit must be refused"),
        (e: unknown) => e,
      );
      assert.ok(refused instanceof DatabricksRequestError);
      assert.deepEqual(refused.response, {
        status: 400,
        body: {
          error_code: "MAX_BLOCK_SIZE_EXCEEDED",
          message: "The file cannot exceed 1024 bytes when put as a multipart form. Use the streaming upload (create, add-block, close) for larger files.",
        },
      });
      assert.deepEqual(fs.readdirSync(paths.uploadsDir), [], "the partial upload is removed");
      const declaredTooLarge = { ...request(1), headers: { ...request(1).headers, "content-length": String(1024 + MB + 1) }, bodyStream: () => assert.fail("a declared size over the limit is refused unread") };
      const early = await handlers.put(declaredTooLarge).then(() => undefined, (e: unknown) => e);
      assert.ok(early instanceof DatabricksRequestError);
      assert.equal((early.response.body as { error_code: string }).error_code, "MAX_BLOCK_SIZE_EXCEEDED");
      assert.deepEqual(fs.readdirSync(path.join(paths.dbfsRoot, "limit")), ["1024.bin"], "nothing of the refused file reaches DBFS");
    } finally {
      removeData(paths);
    }
  });
});
