/**
 * A command component YAML document as `az ml component create` sends it (`componentSpec`): every
 * key copied with its YAML (snake_case) name, `name` and `version` set, input defaults as strings,
 * `is_deterministic` defaulting to true, `code` and `environment` as `azureml:` ARM ids, and
 * `"_source": "YAML.COMPONENT"`.
 */

/** What the provider resolved for the spec. */
export interface ResolvedRefs {
  name: string;
  version: string;
  /** `azureml:<code version ARM id>`, when the YAML has `code`. */
  code?: string;
  /** `azureml:<environment version ARM id>` or a registry reference as given. */
  environment: string;
}

/** The `componentSpec` of a YAML document. */
export function toComponentSpec(doc: Record<string, unknown>, refs: ResolvedRefs): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) spec[key] = value;
  spec.name = refs.name;
  spec.version = refs.version;
  spec.type ??= "command";
  spec.is_deterministic ??= true;
  if (spec.inputs && typeof spec.inputs === "object") spec.inputs = withStringDefaults(spec.inputs as Record<string, Record<string, unknown>>);
  if (refs.code !== undefined) spec.code = refs.code;
  else delete spec.code;
  spec.environment = refs.environment;
  spec._source = "YAML.COMPONENT";
  return spec;
}

function withStringDefaults(inputs: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, port]) => [name, port && port.default !== undefined && typeof port.default !== "string" ? { ...port, default: String(port.default) } : port]),
  );
}

/** `properties` of the component version: description and tags (as strings) from the YAML. */
export function componentProperties(doc: Record<string, unknown>, componentSpec: Record<string, unknown>) {
  const properties: { componentSpec: Record<string, unknown>; description?: string; tags: Record<string, string>; isAnonymous: false; isArchived: false; properties: Record<string, string> } = {
    componentSpec,
    tags: {},
    isAnonymous: false,
    isArchived: false,
    properties: {},
  };
  if (typeof doc.description === "string") properties.description = doc.description;
  if (doc.tags && typeof doc.tags === "object") properties.tags = Object.fromEntries(Object.entries(doc.tags as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return properties;
}
