/**
 * Pages of lists (`jobs/list`, `runs/list`) and of long arrays in API 2.2 answers (a job's or run's
 * `tasks` over {@link API_2_2_PAGE_SIZE}): opaque page tokens that carry an offset.
 */
import type { EmulatorRequest } from "../core/service";
import { invalidParameter } from "./errors";
import { queryInt } from "./request";

/** Largest page of an array in a 2.2 response (longer arrays are paged with `page_token`). */
export const API_2_2_PAGE_SIZE = 100;

/** A page token for an offset (opaque to clients). */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

/** The offset of a page token; 0 for none or one the emulator did not make. */
export function pageOffset(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown }).offset;
    return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? offset : 0;
  } catch {
    return 0;
  }
}

/** The page a list request asks for, and the list's paging fields. */
export interface ListPage<T> {
  readonly items: T[];
  readonly has_more: boolean;
  readonly next_page_token?: string;
  readonly prev_page_token?: string;
}

/**
 * The page of `all` that a list request asks for with `limit` (0 or absent: `defaultLimit`) and
 * `page_token` or `offset`; throws 400 for a limit outside 1..`maxLimit` or a negative offset.
 */
export function listPage<T>(req: EmulatorRequest, all: readonly T[], limits: { defaultLimit: number; maxLimit: number }): ListPage<T> {
  const limitGiven = queryInt(req, "limit");
  const limit = limitGiven === undefined || limitGiven === 0 ? limits.defaultLimit : limitGiven;
  if (limit < 1 || limit > limits.maxLimit) throw invalidParameter(`Invalid limit ${limitGiven}: it must be between 1 and ${limits.maxLimit}.`);
  const offset = req.query.get("page_token") ? pageOffset(req.query.get("page_token")) : (queryInt(req, "offset") ?? 0);
  if (offset < 0) throw invalidParameter(`Invalid offset ${offset}: it must not be negative.`);
  const hasMore = offset + limit < all.length;
  return {
    items: all.slice(offset, offset + limit),
    has_more: hasMore,
    next_page_token: hasMore ? pageToken(offset + limit) : undefined,
    prev_page_token: offset > 0 ? pageToken(Math.max(0, offset - limit)) : undefined,
  };
}

/** The page of a long array in an API 2.2 answer, and the token of the next page, if any. */
export function arrayPage<T>(all: readonly T[], token: string | undefined): { items: T[]; offset: number; next_page_token?: string } {
  const offset = pageOffset(token);
  const next = offset + API_2_2_PAGE_SIZE < all.length ? pageToken(offset + API_2_2_PAGE_SIZE) : undefined;
  return { items: all.slice(offset, offset + API_2_2_PAGE_SIZE), offset, next_page_token: next };
}
