/**
 * One line per attempt, `METHOD path -> status (attempt n)`, or the failure's code instead of the
 * status. Never headers, query strings or bodies, which may hold tokens and secret values.
 */
import { ServiceError } from "../errors";
import type { PipelinePolicy } from "./pipeline";

/** Reports each attempt to `log`; sits between the retry and error-mapping policies. */
export function logPolicy(log: (line: string) => void): PipelinePolicy {
  return {
    name: "log",
    async send(request, next) {
      const line = (outcome: string | number) => log(`${request.method} ${request.path} -> ${outcome} (attempt ${request.attempt})`);
      try {
        const response = await next(request);
        line(response.status);
        return response;
      } catch (err) {
        line(err instanceof ServiceError ? err.status || err.code : "error");
        throw err;
      }
    },
  };
}
