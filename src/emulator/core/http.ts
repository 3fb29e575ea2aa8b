/**
 * The HTTP side of the server: a `node:http` request as services see it (parsed target, lazy JSON
 * body with a size limit), and a service's response written back.
 */
import type * as http from "node:http";
import { RequestBodyError, type EmulatorRequest, type EmulatorResponse } from "./service";

/** Largest request body the emulator reads, in bytes. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** A request as handed to services: parsed target, lazy JSON body. */
export class IncomingRequest implements EmulatorRequest {
  params: Readonly<Record<string, string>> = {};
  readonly headers: http.IncomingHttpHeaders;
  private body?: Promise<unknown>;

  constructor(
    private readonly raw: http.IncomingMessage,
    readonly method: string,
    readonly pathname: string,
    readonly query: URLSearchParams,
    readonly baseUrl: string,
    private readonly maxBodyBytes: number = MAX_REQUEST_BODY_BYTES,
  ) {
    this.headers = raw.headers;
  }

  readJson(): Promise<unknown> {
    this.body ??= readBody(this.raw, this.maxBodyBytes).then((text) => {
      if (text.trim() === "") return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new RequestBodyError("The request body is not valid JSON.");
      }
    });
    return this.body;
  }
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () =>
      tooLarge ? reject(new RequestBodyError(`The request body is larger than ${maxBytes} bytes.`)) : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

/** Writes a service's response, JSON-encoded unless its body is raw bytes. */
export function send(res: http.ServerResponse, response: EmulatorResponse, serviceHeaders: Record<string, string>): void {
  const headers: Record<string, string | number> = { ...serviceHeaders, ...(response.headers ?? {}) };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) {
    // Raw bytes (a direct download); the service sets their Content-Type.
    payload = response.body;
    headers["Content-Type"] ??= "application/octet-stream";
  } else if (response.body !== undefined && response.status !== 204) {
    payload = Buffer.from(JSON.stringify(response.body), "utf8");
    headers["Content-Type"] = "application/json; charset=utf-8";
  }
  headers["Content-Length"] = payload?.length ?? 0;
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Splits a request target into path and query; `undefined` when it is not a URL. */
export function parseTarget(target: string): { pathname: string; query: URLSearchParams } | undefined {
  try {
    // Origin-form targets ("/secrets?x") resolve against a dummy base; absolute-form keep their path.
    const url = new URL(target, "http://emulator.invalid");
    return { pathname: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}

/** `http://<Host header>` when the header is a plain host[:port]; the bound address otherwise. */
export function baseUrlOf(hostHeader: string | undefined, boundAddress: string): string {
  const valid = hostHeader && /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(hostHeader);
  return `http://${valid ? hostHeader : boundAddress}`;
}

/** The host part of a URL for a bound address (wildcards become loopback; IPv6 bracketed). */
export function urlHost(address: string): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "[::1]";
  return address.includes(":") ? `[${address}]` : address;
}
