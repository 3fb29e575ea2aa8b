import * as pulumi from "@pulumi/pulumi";
import { databricksSecretProvider } from "../providers/databricksSecretProvider";
import { withSecretOutputs } from "./resourceOptions";

/** Arguments of a {@link DatabricksSecret}. Give exactly one of `stringValue` and `bytesValue`. */
export interface DatabricksSecretArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** The secret scope. A change replaces the secret. */
  readonly scope: pulumi.Input<string>;
  /** The key: 1-128 letters, digits and `_ . -`. A change replaces the secret. */
  readonly key: pulumi.Input<string>;
  /** The value as text (at most 128 KB); stored encrypted, never printed. */
  readonly stringValue?: pulumi.Input<string>;
  /** The value as base64 bytes (at most 128 KB decoded); stored encrypted, never printed. */
  readonly bytesValue?: pulumi.Input<string>;
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
    const props = {
      ...args,
      stringValue: args.stringValue === undefined ? undefined : pulumi.secret(args.stringValue),
      bytesValue: args.bytesValue === undefined ? undefined : pulumi.secret(args.bytesValue),
      lastUpdatedTimestamp: undefined,
    };
    super(databricksSecretProvider, name, props, withSecretOutputs(opts, ["stringValue", "bytesValue"]), "azureml-databricks", "DatabricksSecret");
  }
}
