/**
 * An Azure ML CLI v2 schedule YAML file (`az ml schedule create -f`) as the resource's arguments:
 * `name`, `display_name`, `description`, `tags`, `is_enabled`, `trigger` (snake_case keys to
 * camelCase) and `create_job` (a pipeline job YAML file beside it, or inline), read as a document.
 */
import { besideYaml, readYamlFile, YamlFileError } from "../shared/yamlFile";

/** What a schedule YAML file gives. */
export interface ScheduleFromYaml {
  file?: string;
  name?: string;
  displayName?: string;
  description?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  trigger?: Record<string, unknown>;
  /** The pipeline job's YAML document. */
  pipelineYaml?: Record<string, unknown>;
}

const TRIGGER_KEYS: Readonly<Record<string, string>> = { type: "type", expression: "expression", start_time: "startTime", end_time: "endTime", time_zone: "timeZone", frequency: "frequency", interval: "interval", schedule: "schedule" };
const RECURRENCE_KEYS: Readonly<Record<string, string>> = { hours: "hours", minutes: "minutes", week_days: "weekDays", month_days: "monthDays" };

/** Reads a schedule YAML file (and the pipeline job file its `create_job` names). */
export function scheduleFromYaml(file: string | undefined): ScheduleFromYaml {
  if (file === undefined) return {};
  const { file: absolute, doc } = readYamlFile(file, "Schedule file");
  const out: ScheduleFromYaml = { file: absolute };
  if (typeof doc.name === "string") out.name = doc.name;
  if (typeof doc.display_name === "string") out.displayName = doc.display_name;
  if (typeof doc.description === "string") out.description = doc.description;
  if (doc.tags && typeof doc.tags === "object") out.tags = Object.fromEntries(Object.entries(doc.tags as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  if (typeof doc.is_enabled === "boolean") out.enabled = doc.is_enabled;
  if (doc.trigger && typeof doc.trigger === "object") out.trigger = renameKeys(doc.trigger as Record<string, unknown>, TRIGGER_KEYS, absolute);
  const job = doc.create_job;
  if (typeof job === "string") out.pipelineYaml = readYamlFile(besideYaml(absolute, job.replace(/^file:/, "")), "Pipeline job file").doc;
  else if (job && typeof job === "object") out.pipelineYaml = job as Record<string, unknown>;
  else throw new YamlFileError(`Schedule file ${absolute}: create_job is required: a pipeline job YAML file (./pipeline.yml) or an inline pipeline job.`);
  return out;
}

function renameKeys(trigger: Record<string, unknown>, names: Readonly<Record<string, string>>, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(trigger)) {
    const name = names[key];
    if (!name) throw new YamlFileError(`Schedule file ${file}: trigger.${key} is not a trigger key (${Object.keys(names).join(", ")}).`);
    out[name] = key === "schedule" && value && typeof value === "object" ? renameKeys(value as Record<string, unknown>, RECURRENCE_KEYS, file) : value;
  }
  return out;
}
