import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import { withSecretOutputs } from "../../core/resourceOptions";

/** One provider instance for every DatabricksSecret (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksSecret");

/**
 * Arguments of a {@link DatabricksSecret}: named parameters, or the complete `secrets/put` JSON as
 * `spec` (named parameters win). Give exactly one of `stringValue` and `bytesValue`.
 */
export interface DatabricksSecretArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST`, then the `~/.databrickscfg` profile. A change replaces the secret. */
  readonly host?: pulumi.Input<string>;
  /**
   * The secret scope, e.g. a DatabricksSecretScope's `name` (which also orders the two). A change
   * replaces the secret. Required unless `spec.scope` is given.
   */
  readonly scope?: pulumi.Input<string>;
  /** The key: 1-128 letters, digits and `_ . -`. A change replaces the secret. Required unless `spec.key` is given. */
  readonly key?: pulumi.Input<string>;
  /**
   * The value as text, at most 128 KB. Exclusive with `bytesValue`. Always a Pulumi secret (a plain
   * string is wrapped for you): stored encrypted, never printed. A change overwrites the value.
   */
  readonly stringValue?: pulumi.Input<string>;
  /** The value as base64-encoded bytes, at most 128 KB decoded. Exclusive with `stringValue`. Always a Pulumi secret. */
  readonly bytesValue?: pulumi.Input<string>;
  /**
   * The complete `secrets/put` JSON (`scope`, `key`, `string_value` | `bytes_value`), snake_case as
   * in the API. Resolved here in the program: its values become secret inputs like the named ones.
   * Default: none.
   */
  readonly spec?: pulumi.Input<Record<string, unknown>>;
}

/**
 * A secret in a Databricks-backed scope; notebooks read it with `dbutils.secrets.get(scope, key)`.
 * Credentials come from the engine's environment, never from the program or the state. The value
 * cannot be read back from Databricks: refresh only notices that someone else wrote the key.
 */
export class DatabricksSecret extends pulumi.dynamic.Resource {
  /** The workspace URL. */
  declare readonly host: pulumi.Output<string>;
  /** The scope. */
  declare readonly scope: pulumi.Output<string>;
  /** The key. */
  declare readonly key: pulumi.Output<string>;
  /** The value as text, when given so (a Pulumi secret). */
  declare readonly stringValue: pulumi.Output<string | undefined>;
  /** The value as base64, when given so (a Pulumi secret). */
  declare readonly bytesValue: pulumi.Output<string | undefined>;
  /** When the value was last written, epoch milliseconds. */
  declare readonly lastUpdatedTimestamp: pulumi.Output<number>;

  constructor(name: string, args: DatabricksSecretArgs, opts?: pulumi.CustomResourceOptions) {
    if (args.stringValue !== undefined && args.bytesValue !== undefined) {
      throw new Error(`DatabricksSecret "${name}": stringValue and bytesValue are mutually exclusive: give the value as text or as base64 bytes, not both.`);
    }
    const { spec, ...named } = args;
    const fromSpec = (field: string): pulumi.Output<string | undefined> | undefined =>
      spec === undefined ? undefined : pulumi.output(spec).apply((s) => s?.[field] as string | undefined);
    // Named values win, including over the spec's other kind of value.
    const hasNamedValue = named.stringValue !== undefined || named.bytesValue !== undefined;
    const stringValue = hasNamedValue ? named.stringValue : fromSpec("string_value");
    const bytesValue = hasNamedValue ? named.bytesValue : fromSpec("bytes_value");
    const scope = named.scope ?? unsecret(fromSpec("scope"));
    const key = named.key ?? unsecret(fromSpec("key"));
    super(
      PROVIDER,
      name,
      {
        host: named.host,
        scope,
        key,
        stringValue: stringValue === undefined ? undefined : pulumi.secret(stringValue),
        bytesValue: bytesValue === undefined ? undefined : pulumi.secret(bytesValue),
        lastUpdatedTimestamp: undefined,
      },
      withSecretOutputs(opts, ["stringValue", "bytesValue"]),
      MODULE,
      "DatabricksSecret",
    );
  }
}

/** Scope and key are not secret, even when the spec they came from is. */
function unsecret<T>(value: pulumi.Output<T> | undefined): pulumi.Output<T> | undefined {
  return value === undefined ? undefined : pulumi.unsecret(value);
}
