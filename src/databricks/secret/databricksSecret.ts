import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { WireSpec } from "../../core/plain";
import { withSecretOutputs } from "../../core/resourceOptions";
import type { PutSecretRequest } from "../client";

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
   * Take over a key of the scope that already holds a value: `pulumi up` writes the program's
   * value over it and `pulumi destroy` then deletes it, like a secret this resource created.
   * Without it, creating the resource fails when the key is taken. Read only when the resource is
   * created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /**
   * The complete `secrets/put` JSON (`scope`, `key`, `string_value` | `bytes_value`), snake_case as
   * in the API. Resolved here in the program: its values become secret inputs like the named ones.
   * Default: none.
   */
  readonly spec?: WireSpec<PutSecretRequest>;
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

  /**
   * Declares a secret; `pulumi up` writes its value.
   * @param name The resource's name, unique in the stack.
   * @param args The scope, key and value (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksSecretArgs, opts?: pulumi.CustomResourceOptions) {
    const { spec, ...named } = args;
    // The spec is resolved here, in the program, so that its value stays a secret like a named
    // one. Named fields win by the one rule (README: "spec and named arguments"), a named value
    // also over the spec's other kind of value; decided on resolved values, so an Output that
    // resolves to undefined counts as absent.
    const resolved = pulumi.all([spec, named.stringValue, named.bytesValue]).apply(([s, text, bytes]) => {
      const fromSpec = text === undefined && bytes === undefined;
      return {
        stringValue: fromSpec ? (s?.string_value as string | undefined) : text,
        bytesValue: fromSpec ? (s?.bytes_value as string | undefined) : bytes,
        scope: s?.scope as string | undefined,
        key: s?.key as string | undefined,
      };
    });
    // Scope and key are not secret, even when the spec they came from is.
    const field = (n: pulumi.Input<string> | undefined, fromSpec: pulumi.Output<string | undefined>) =>
      spec === undefined ? n : pulumi.unsecret(pulumi.all([n, fromSpec]).apply(([a, b]) => a ?? b));
    const scope = field(named.scope, resolved.scope);
    const key = field(named.key, resolved.key);
    const stringValue = spec === undefined ? named.stringValue : resolved.stringValue;
    const bytesValue = spec === undefined ? named.bytesValue : resolved.bytesValue;
    super(
      PROVIDER,
      name,
      {
        host: named.host,
        scope,
        key,
        stringValue: stringValue === undefined ? undefined : pulumi.secret(stringValue),
        bytesValue: bytesValue === undefined ? undefined : pulumi.secret(bytesValue),
        adopt: named.adopt,
        lastUpdatedTimestamp: undefined,
      },
      withSecretOutputs(opts, ["stringValue", "bytesValue"]),
      MODULE,
      "DatabricksSecret",
    );
  }
}
