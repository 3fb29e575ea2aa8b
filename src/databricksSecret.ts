import * as pulumi from "@pulumi/pulumi";
import { databricksSecretProvider } from "../providers/databricksSecretProvider";
import { withSecretOutputs } from "./resourceOptions";

/** Arguments of a {@link DatabricksSecret}. Give exactly one of `stringValue` and `bytesValue`. */
export interface DatabricksSecretArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** The secret scope. A change replaces the secret. Required unless given in `spec`. */
  readonly scope?: pulumi.Input<string>;
  /** The key: 1-128 letters, digits and `_ . -`. A change replaces the secret. Required unless given in `spec`. */
  readonly key?: pulumi.Input<string>;
  /** The value as text (at most 128 KB); stored encrypted, never printed. */
  readonly stringValue?: pulumi.Input<string>;
  /** The value as base64 bytes (at most 128 KB decoded); stored encrypted, never printed. */
  readonly bytesValue?: pulumi.Input<string>;
  /**
   * The complete `secrets/put` JSON (`scope`, `key`, `string_value` | `bytes_value`); named
   * arguments win. Kept as a Pulumi secret.
   */
  readonly spec?: pulumi.Input<{ scope?: string; key?: string; string_value?: string; bytes_value?: string }>;
}

/** A secret in a Databricks-backed scope; notebooks read it with `dbutils.secrets.get(scope, key)`. */
export class DatabricksSecret extends pulumi.dynamic.Resource {
  /** The scope. */
  declare readonly scope: pulumi.Output<string>;
  /** The key. */
  declare readonly key: pulumi.Output<string>;
  /** When the value was last written, epoch milliseconds. */
  declare readonly lastUpdatedTimestamp: pulumi.Output<number>;

  constructor(name: string, args: DatabricksSecretArgs, opts?: pulumi.CustomResourceOptions) {
    // The spec is resolved here, in the program, so a value from it is a secret input like any other.
    const { spec, ...named } = args;
    const fromSpec = <K extends "scope" | "key" | "string_value" | "bytes_value">(k: K) => (spec === undefined ? undefined : pulumi.output(spec).apply((s) => s[k]));
    const stringValue = named.stringValue ?? (named.bytesValue === undefined ? fromSpec("string_value") : undefined);
    const bytesValue = named.bytesValue ?? (named.stringValue === undefined ? fromSpec("bytes_value") : undefined);
    const props = {
      ...named,
      scope: named.scope ?? fromSpec("scope"),
      key: named.key ?? fromSpec("key"),
      stringValue: stringValue === undefined ? undefined : pulumi.secret(stringValue),
      bytesValue: bytesValue === undefined ? undefined : pulumi.secret(bytesValue),
      lastUpdatedTimestamp: undefined,
    };
    super(databricksSecretProvider, name, props, withSecretOutputs(opts, ["stringValue", "bytesValue"]), "azureml-databricks", "DatabricksSecret");
  }
}
