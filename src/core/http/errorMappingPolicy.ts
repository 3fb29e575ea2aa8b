/**
 * Turns every non-2xx response and every failure without a response into the service's own
 * {@link ServiceError} subtype, so that nothing else leaves the pipeline.
 */
import { ServiceError, ServiceErrorArgs } from "../errors";
import { describeFailure } from "./failure";
import type { PipelinePolicy, PipelineResponse } from "./pipeline";

/** How one service's errors are built: each service has its own error body and error type. */
export interface ServiceErrorParser<E extends ServiceError = ServiceError> {
  /** The error for a non-2xx response, from the service's error body and headers. */
  fromResponse(operation: string, response: PipelineResponse): E;
  /** An error from its parts: failures without a response, unreadable success bodies. */
  create(args: ServiceErrorArgs): E;
  /** The service's request id of a response (each service names its header differently). */
  requestIdOf(response: PipelineResponse): string | undefined;
}

/** The service error for anything thrown on the way to a response; a ServiceError passes through. */
export function toServiceError<E extends ServiceError>(parser: ServiceErrorParser<E>, operation: string, err: unknown): E | ServiceError {
  if (err instanceof ServiceError) return err;
  return parser.create({ operation, status: 0, ...describeFailure(err) });
}

/** Maps non-2xx responses with `parser.fromResponse` and failures with {@link toServiceError}. */
export function errorMappingPolicy(parser: ServiceErrorParser): PipelinePolicy {
  return {
    name: "errorMapping",
    async send(request, next) {
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (err) {
        throw toServiceError(parser, request.operation, err);
      }
      if (response.status < 200 || response.status > 299) throw parser.fromResponse(request.operation, response);
      return response;
    },
  };
}
