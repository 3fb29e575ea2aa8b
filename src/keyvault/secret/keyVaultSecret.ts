import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import { withSecretOutputs } from "../../core/resourceOptions";

/** One provider instance for every KeyVaultSecret (the serializer caches by object). */
const PROVIDER = forwardingProvider("KeyVaultSecret");

/** Arguments of a {@link KeyVaultSecret}. */
export interface KeyVaultSecretArgs {
  /**
   * The vault's URL, e.g. `https://myvault.vault.azure.net`. In the local target, the emulator's
   * URL (`https://127.0.0.1:<port>`). Changing it replaces the secret.
   */
  readonly vaultUrl: pulumi.Input<string>;
  /**
   * The secret's name in the vault: 1-127 letters, digits and dashes. Key Vault names are
   * case-insensitive. Changing it (other than letter case) replaces the secret.
   */
  readonly name: pulumi.Input<string>;
  /**
   * The secret value. Always stored encrypted in the stack state and never printed; a plain
   * string is wrapped with `pulumi.secret` for you. Changing it writes a new version.
   */
  readonly value: pulumi.Input<string>;
  /** A hint for consumers of the secret, e.g. `text/plain` or `application/x-pkcs12`. Default: none. */
  readonly contentType?: pulumi.Input<string>;
  /** Up to 15 tags. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Whether the secret can be read. Default: `true`. */
  readonly enabled?: pulumi.Input<boolean>;
  /** ISO 8601 date-time before which the secret cannot be read, e.g. `2027-01-01T00:00:00Z`. Default: none. */
  readonly notBefore?: pulumi.Input<string>;
  /** ISO 8601 date-time after which the secret cannot be read; must be after `notBefore`. Default: none. */
  readonly expires?: pulumi.Input<string>;
  /**
   * Purge the secret after deleting it, so its name can be reused at once. Needs the purge
   * permission and a vault without purge protection. Default: `false` (the secret stays
   * soft-deleted and recoverable for the vault's retention period).
   */
  readonly purgeOnDelete?: pulumi.Input<boolean>;
  /**
   * Take over a secret of this name that already exists in the vault: `pulumi up` writes a new
   * version of it and `pulumi destroy` then deletes it (soft-deletes, or purges with
   * `purgeOnDelete`) with all its versions, like one this resource created. Without it, creating
   * the resource fails when the name is taken. Read only when the resource is created.
   * Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * A secret in Azure Key Vault (or the local emulator). Each change of value or attributes writes
 * a new version; deleting it soft-deletes it, and purges it when `purgeOnDelete` is set.
 * Credentials come from the engine's environment (`DefaultAzureCredential`, or the emulator's
 * token when `AMLDB_TARGET=local`), never from the program or the state.
 */
export class KeyVaultSecret extends pulumi.dynamic.Resource {
  /** The vault's URL, normalised (lowercase, no trailing slash). */
  declare readonly vaultUrl: pulumi.Output<string>;
  /** The secret's name. */
  declare readonly name: pulumi.Output<string>;
  /** The secret value (a Pulumi secret). */
  declare readonly value: pulumi.Output<string>;
  /** Versioned identifier of the current version: `https://<vault>/secrets/<name>/<version>`. */
  declare readonly secretId: pulumi.Output<string>;
  /** Versionless identifier `https://<vault>/secrets/<name>`, also the resource id. */
  declare readonly versionlessId: pulumi.Output<string>;
  /** The version written by the last create or update. */
  declare readonly version: pulumi.Output<string>;
  /** Content type, when set. */
  declare readonly contentType: pulumi.Output<string | undefined>;
  /** Tags, when set. */
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;

  /**
   * Declares a Key Vault secret; `pulumi up` sets its value (a new version on each change).
   * @param name The resource's name, unique in the stack.
   * @param args The vault, the secret's name, its value and attributes.
   * @param opts Resource options.
   */
  constructor(name: string, args: KeyVaultSecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      PROVIDER,
      name,
      {
        ...args,
        value: pulumi.secret(args.value),
        secretId: undefined,
        versionlessId: undefined,
        version: undefined,
      },
      withSecretOutputs(opts, ["value"]),
      MODULE,
      "KeyVaultSecret",
    );
  }
}
