/**
 * The command component YAML schema (Azure ML CLI v2, `commandComponent.schema.json`), written
 * from the published reference of its keys, and its validation with ajv: each error names the
 * YAML path (`inputs.num_workers.type`) and what is allowed there.
 */
import Ajv, { ErrorObject } from "ajv";
import { yamlPath } from "../shared/yamlFile";

const INPUT_TYPES = ["number", "integer", "boolean", "string", "uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model"];
const OUTPUT_TYPES = ["uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model"];
const INPUT_MODES = ["ro_mount", "rw_mount", "download", "direct", "eval_mount", "eval_download"];
const OUTPUT_MODES = ["rw_mount", "upload", "direct"];

/** The schema of a command component YAML document. */
export const COMMAND_COMPONENT_SCHEMA = {
  type: "object",
  required: ["name", "command", "environment"],
  properties: {
    $schema: { type: "string" },
    type: { const: "command" },
    name: { type: "string", pattern: "^[a-z][a-z0-9_]{0,254}$" },
    version: { type: ["string", "integer", "number"] },
    display_name: { type: "string" },
    description: { type: "string" },
    tags: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
    is_deterministic: { type: "boolean" },
    command: { type: "string", minLength: 1 },
    code: { type: "string", minLength: 1 },
    environment: { type: ["string", "object"] },
    environment_variables: { type: "object", additionalProperties: { type: "string" } },
    distribution: {
      type: "object",
      required: ["type"],
      properties: {
        type: { enum: ["mpi", "pytorch", "tensorflow"] },
        process_count_per_instance: { type: "integer", minimum: 1 },
        worker_count: { type: "integer", minimum: 1 },
        parameter_server_count: { type: "integer", minimum: 0 },
      },
      additionalProperties: false,
    },
    resources: {
      type: "object",
      properties: { instance_count: { type: "integer", minimum: 1 }, instance_type: { type: "string" }, shm_size: { type: "string" }, docker_args: { type: "string" } },
      additionalProperties: false,
    },
    inputs: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["type"],
        properties: {
          type: { enum: INPUT_TYPES },
          description: { type: "string" },
          default: { type: ["string", "number", "integer", "boolean"] },
          optional: { type: "boolean" },
          min: { type: ["number", "integer"] },
          max: { type: ["number", "integer"] },
          enum: { type: "array" },
          mode: { enum: INPUT_MODES },
        },
        additionalProperties: false,
      },
    },
    outputs: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["type"],
        properties: { type: { enum: OUTPUT_TYPES }, description: { type: "string" }, mode: { enum: OUTPUT_MODES } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(COMMAND_COMPONENT_SCHEMA);

/** One schema violation: where in the YAML, and what is wrong. */
export interface YamlProblem {
  path: string;
  message: string;
}

/** Every violation of the command component schema in `doc`, in document order. */
export function validateCommandComponent(doc: unknown): YamlProblem[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(e: ErrorObject): YamlProblem {
  const at = yamlPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: yamlPath(`${e.instancePath}/${String(p.missingProperty)}`), message: "is required" };
    case "additionalProperties":
      return { path: yamlPath(`${e.instancePath}/${String(p.additionalProperty)}`), message: e.instancePath ? "is not allowed here" : "is not a key of a command component" };
    case "enum":
      return { path: at, message: `must be one of ${(p.allowedValues as unknown[]).join(", ")}` };
    case "const":
      return { path: at, message: `must be ${JSON.stringify(p.allowedValue)} (AmlComponent registers command components)` };
    case "pattern":
      return { path: at, message: at === "name" ? "must start with a lowercase letter and hold only lowercase letters, digits and _ (at most 255)" : `must match ${String(p.pattern)}` };
    case "type":
      return { path: at, message: `must be ${String(p.type).split(",").join(" or ")}` };
    default:
      return { path: at, message: e.message ?? e.keyword };
  }
}
