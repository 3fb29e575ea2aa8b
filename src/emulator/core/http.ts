/**
 * The HTTP side of the server: a `node:http` (or `node:https`) request as services see it (parsed target, lazy JSON
 * body with limits on size and depth), and a service's response encoded and written back.
 */
import * as http from "node:http";
import { RequestBodyError, type EmulatorRequest, type EmulatorResponse } from "./service";

/** Largest request body the emulator reads unless a service or route says otherwise, in bytes. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Deepest nesting of arrays and objects a JSON body may have. Real request bodies nest a dozen
 * levels at most; what is stored must stay serialisable (by this process and by the Python that
 * reads task specifications), so deeper bodies are refused before they are parsed.
 */
export const MAX_JSON_DEPTH = 64;

/** A request as handed to services: parsed target, lazy JSON body. */
export class IncomingRequest implements EmulatorRequest {
  params: Readonly<Record<string, string>> = {};
  readonly headers: http.IncomingHttpHeaders;
  /** The body limit; the server lowers it to the matched route's before a handler reads the body. */
  maxBodyBytes: number;
  private body?: Promise<unknown>;
  private text?: Promise<string>;
  private streamed = false;

  constructor(
    private readonly raw: http.IncomingMessage,
    readonly method: string,
    readonly pathname: string,
    readonly query: URLSearchParams,
    readonly baseUrl: string,
    maxBodyBytes: number = MAX_REQUEST_BODY_BYTES,
  ) {
    this.headers = raw.headers;
    this.maxBodyBytes = maxBodyBytes;
  }

  readJson(): Promise<unknown> {
    this.body ??= this.readText().then(parseJsonBody);
    return this.body;
  }

  readText(): Promise<string> {
    if (this.streamed) return Promise.reject(new Error("The request body was already taken as a stream."));
    this.text ??= readBody(this.raw, this.maxBodyBytes);
    return this.text;
  }

  bodyStream(): NodeJS.ReadableStream {
    if (this.text) throw new Error("The request body was already read.");
    this.streamed = true;
    return this.raw;
  }
}

/** Parses a body's text: `undefined` when blank; throws {@link RequestBodyError} when not JSON or too deep. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new RequestBodyError(`The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestBodyError("The request body is not valid JSON.");
  }
}

/** True when a JSON text opens more than `limit` arrays or objects inside each other (strings skipped). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new RequestBodyError(`The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(req.headers["content-length"]);
  // Refused without reading it; the server discards what the client still sends.
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      reject(err);
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) fail(tooLarge());
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", fail);
    req.on("close", () => fail(new RequestBodyError("The request body ended before it was complete.")));
  });
}

/** A response ready to write: status, headers and the bytes of its body. */
export interface EncodedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly payload?: Buffer;
}

/**
 * Encodes a service's response: JSON unless its body is raw bytes. Throws when the body cannot be
 * serialised (a cycle, a BigInt, nesting too deep for the serialiser) or a header is not valid.
 */
export function encodeResponse(response: EmulatorResponse, serviceHeaders: Record<string, string>): EncodedResponse {
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
  for (const [name, value] of Object.entries(headers)) {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, String(value));
  }
  return { status: response.status, headers, payload };
}

/** Writes an encoded response. */
export function writeResponse(res: http.ServerResponse, encoded: EncodedResponse): void {
  res.writeHead(encoded.status, encoded.headers);
  res.end(encoded.payload);
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

/** `<scheme>://<Host header>` when the header is a plain host[:port]; the bound address otherwise. */
export function baseUrlOf(hostHeader: string | undefined, boundAddress: string, scheme: "http" | "https"): string {
  const valid = hostHeader && /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(hostHeader);
  return `${scheme}://${valid ? hostHeader : boundAddress}`;
}

/** The host part of a URL for a bound address, as bound (IPv6 bracketed; a wildcard stays a wildcard). */
export function urlHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}
