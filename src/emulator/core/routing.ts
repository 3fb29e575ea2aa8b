/**
 * Matching request paths against a service's route table.
 */
import type { HttpMethod, Route } from "./service";

/** A route with its template compiled to a regular expression. */
interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

/** The outcome of matching one request against a route table. */
export type RouteMatch =
  | { readonly kind: "matched"; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: "wrong-method"; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: "no-route" };

/** Thrown when a path parameter is not valid percent-encoding. */
export class PathDecodeError extends Error {
  constructor(segment: string) {
    super(`The request URI contains an invalid escape sequence in "${segment}".`);
    this.name = "PathDecodeError";
  }
}

/** A compiled route table: compile once, match per request. */
export class RouteTable {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
  }

  /** Matches a still percent-encoded path; parameters come back decoded. */
  match(method: string, pathname: string): RouteMatch {
    const allowed: HttpMethod[] = [];
    for (const { route, pattern, params } of this.compiled) {
      const m = pattern.exec(pathname);
      if (!m) continue;
      if (route.method !== method) {
        if (!allowed.includes(route.method)) allowed.push(route.method);
        continue;
      }
      const values: Record<string, string> = {};
      params.forEach((name, i) => {
        values[name] = decodeSegment(m[i + 1] ?? "");
      });
      return { kind: "matched", route, params: values };
    }
    return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "no-route" };
  }
}

function compile(route: Route): CompiledRoute {
  if (!route.path.startsWith("/")) throw new Error(`Route path must start with "/": ${route.path}`);
  const params: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const placeholder = /^\{([A-Za-z][A-Za-z0-9]*)(\?)?\}$/.exec(segment);
      if (!placeholder) return escapeRegExp(segment);
      params.push(placeholder[1]);
      return placeholder[2] ? "([^/]*)" : "([^/]+)";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}$`, route.ignoreCase ? "i" : ""), params };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new PathDecodeError(segment);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
