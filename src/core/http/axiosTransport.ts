/**
 * The transport at the end of every pipeline: one axios instance per client. axios is required
 * here, when a client is built, never at module level: a dynamic provider that requires this
 * module at call time then stays serialisable, and its state stores no axios internals.
 *
 * axios' errors carry the request configuration, Authorization header included; they are reduced
 * to a {@link RequestFailure} (code and first message line) before they leave this file.
 */
import type { AxiosInstance } from "axios";
import { isLoopbackUrl } from "../target";
import { describeFailure, RequestFailure } from "./failure";
import type { SendRequest } from "./pipeline";

/** Default timeout of one attempt, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Options of {@link axiosTransport}. */
export interface AxiosTransportOptions {
  /** Timeout of one attempt, in milliseconds. Default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * A transport sending text bodies and returning text bodies with lower-case header names. Every
 * status is a response (the error-mapping policy judges it); redirects are not followed, so a
 * credential never follows one to another host. Loopback URLs (the local emulator) never go
 * through an `HTTP(S)_PROXY` from the environment.
 */
export function axiosTransport(options: AxiosTransportOptions = {}): SendRequest {
  const axios = (require("axios") as typeof import("axios")).default;
  const instance: AxiosInstance = axios.create({
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    responseType: "text",
    responseEncoding: "utf8",
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    maxBodyLength: Infinity,
    maxContentLength: Infinity,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
  });
  return async (request) => {
    try {
      const res = await instance.request<string>({
        method: request.method,
        url: request.url,
        data: request.body,
        headers: request.headers,
        signal: request.signal,
        ...(isLoopbackUrl(new URL(request.url)) ? { proxy: false as const } : {}),
      });
      return { status: res.status, headers: plainHeaders(res.headers), body: typeof res.data === "string" ? res.data : String(res.data ?? "") };
    } catch (err) {
      const { code, message } = describeFailure(err);
      throw new RequestFailure(code, message);
    }
  };
}

function plainHeaders(headers: unknown): Record<string, string> {
  const source = (headers && typeof (headers as { toJSON?: unknown }).toJSON === "function" ? (headers as { toJSON(): unknown }).toJSON() : headers) as
    | Record<string, unknown>
    | undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}
