/**
 * The AmlSchedule provider's operations: PUT the schedule (a long-running operation), read it
 * back, update it (trigger, job, enabled/disabled), delete it. Required by the provider at call time.
 */
import { checkListening } from "../../core/check";
import { currentTarget } from "../../core/target";
import { AzureMlApi, Schedule, workspacePath } from "../client";
import { reportDiff } from "../shared/diff";
import { ifPresent, inContext } from "../shared/errors";
import { refuseExisting } from "../shared/existing";
import { ARM_ENDPOINT_SETTINGS, azureMlApi, workspaceOf } from "../shared/workspace";
import { checkSchedule, diffSchedule, ScheduleInputs, ScheduleOutputs } from "./inputs";

/** Validation at preview and up. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkListening(checkSchedule(news, currentTarget()), "armEndpoint", ARM_ENDPOINT_SETTINGS);
}

/** What a change does; see {@link diffSchedule}. */
export async function diff(_id: string, olds: ScheduleOutputs, news: ScheduleInputs) {
  return reportDiff(`Azure ML schedule "${news.name}"`, diffSchedule(olds, news), "update it", olds, news);
}

/** Creates the schedule; one already of that name only with `adopt`. */
export async function create(inputs: ScheduleInputs): Promise<{ id: string; outs: ScheduleOutputs }> {
  const api = azureMlApi(inputs);
  await refuseExisting(() => api.schedules.get(inputs.name), inputs.adopt, { object: `schedule "${inputs.name}" in ${api.calls.where}`, adopting: "overwrites it", destroy: "deletes it", otherwise: "choose another name" });
  const outs = await put(api, inputs, "create");
  return { id: outs.scheduleId, outs };
}

/** Updates the schedule in place (enabling or disabling it too). */
export async function update(_id: string, _olds: ScheduleOutputs, news: ScheduleInputs): Promise<{ outs: ScheduleOutputs }> {
  return { outs: await put(azureMlApi(news), news, "update") };
}

/** Reads the schedule back; gone when deleted; enabled/disabled out of band flows back as drift. */
export async function read(id: string, props: ScheduleOutputs): Promise<{ id: string; props: Partial<ScheduleOutputs>; inputs?: Partial<ScheduleInputs> }> {
  const api = azureMlApi(props);
  const schedule = await ifPresent(`read schedule "${props.name}" in ${api.calls.where}`, () => api.schedules.get(props.name));
  if (!schedule) return { id: "", props: {} };
  const outs = toOutputs(props, schedule);
  const { scheduleId: _s, provisioningState: _p, ...inputs } = outs;
  return { id, props: outs, inputs };
}

/** Deletes the schedule. */
export async function remove(_id: string, props: ScheduleOutputs): Promise<void> {
  const api = azureMlApi(props);
  await ifPresent(`delete schedule "${props.name}" in ${api.calls.where}`, () => api.schedules.delete(props.name));
}

/** The REST body of a schedule. */
export function toBody(inputs: ScheduleInputs): Schedule {
  const properties: NonNullable<Schedule["properties"]> = {
    isEnabled: inputs.enabled ?? true,
    trigger: inputs.restTrigger,
    action: { actionType: "CreateJob", jobDefinition: inputs.pipelineJob },
    properties: {},
    tags: inputs.tags ?? {},
  };
  if (inputs.displayName !== undefined) properties.displayName = inputs.displayName;
  if (inputs.description !== undefined) properties.description = inputs.description;
  return { properties };
}

async function put(api: AzureMlApi, inputs: ScheduleInputs, verb: "create" | "update"): Promise<ScheduleOutputs> {
  try {
    return toOutputs(inputs, await api.schedules.createOrUpdate(inputs.name, toBody(inputs)));
  } catch (err) {
    throw inContext(err, { operation: `${verb} schedule "${inputs.name}" in ${api.calls.where}` });
  }
}

function toOutputs(base: ScheduleInputs, schedule: Schedule): ScheduleOutputs {
  const p = schedule.properties;
  const outs: ScheduleOutputs = {
    ...base,
    ...workspaceOf(base),
    scheduleId: schedule.id ?? `${workspacePath(base)}/schedules/${base.name}`,
    provisioningState: p?.provisioningState ?? "Succeeded",
  };
  const enabled = p?.isEnabled ?? true;
  if (base.enabled !== undefined || enabled === false) outs.enabled = enabled;
  return outs;
}
