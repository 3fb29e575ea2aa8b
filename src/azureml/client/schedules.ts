/** Schedules (`{WS}/schedules`). */
import type { Schedule } from "./types";
import { CallOptions, enc, LroCallOptions, WorkspaceCalls } from "./workspace";

/** Schedules of one workspace. */
export class SchedulesApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** Creates or updates a schedule and waits for the operation (`PUT /schedules/{name}`). */
  createOrUpdate(name: string, schedule: Schedule, opts: LroCallOptions = {}): Promise<Schedule> {
    return this.calls.put<Schedule>(`/schedules/${enc(name)}`, `put schedule "${name}"`, schedule, `Azure ML schedule "${name}"`, opts);
  }

  /** Gets a schedule. */
  get(name: string, opts: CallOptions = {}): Promise<Schedule> {
    return this.calls.get<Schedule>(`/schedules/${enc(name)}`, `get schedule "${name}"`, opts);
  }

  /** Schedules of the workspace, `All` by default. */
  list(listViewType: "EnabledOnly" | "DisabledOnly" | "All" = "All", opts: CallOptions = {}): Promise<Schedule[]> {
    return this.calls.list<Schedule>("/schedules", "list schedules", { listViewType }, opts);
  }

  /** Deletes a schedule and waits; false when it was not there. */
  delete(name: string, opts: LroCallOptions = {}): Promise<boolean> {
    return this.calls.delete(`/schedules/${enc(name)}`, `delete schedule "${name}"`, `Azure ML schedule "${name}"`, opts);
  }
}
