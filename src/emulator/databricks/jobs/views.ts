/** Jobs as the Jobs API returns them (`jobs/get`, `jobs/list` items). */
import { API_2_2_PAGE_SIZE, arrayPage } from "../paging";
import type { JsonObject } from "../request";
import { compact } from "../response";
import type { StoredJob } from "./models";

/** A job as `jobs/get` returns it (2.2 pages `tasks` over 100). */
export function jobWire(job: StoredJob, options: { version: string; includeTasks: boolean; pageToken?: string }): JsonObject {
  const settings: JsonObject = { ...job.settings };
  let nextPageToken: string | undefined;
  if (!options.includeTasks) {
    delete settings.tasks;
    delete settings.job_clusters;
  } else if (options.version === "2.2" && Array.isArray(settings.tasks) && settings.tasks.length > API_2_2_PAGE_SIZE) {
    const page = arrayPage(settings.tasks, options.pageToken);
    settings.tasks = page.items;
    nextPageToken = page.next_page_token;
    if (page.offset > 0) delete settings.job_clusters;
  }
  return compact({
    job_id: job.job_id,
    creator_user_name: job.creator_user_name,
    run_as_user_name: job.creator_user_name,
    settings,
    created_time: job.created_time,
    has_more: nextPageToken !== undefined ? true : undefined,
    next_page_token: nextPageToken,
  });
}
