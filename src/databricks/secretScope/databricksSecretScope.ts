import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { WireSpec } from "../../core/plain";
import type { CreateScopeRequest } from "../client";
/** One provider instance for every DatabricksSecretScope (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksSecretScope");

/** The Azure Key Vault behind a Key Vault-backed scope. */
export interface DatabricksSecretScopeKeyVaultArgs {
  /** ARM id of the vault: `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault>`. */
  readonly resourceId: pulumi.Input<string>;
  /** The vault's URI, e.g. `https://my-vault.vault.azure.net/`. */
  readonly dnsName: pulumi.Input<string>;
}

/**
 * Arguments of a {@link DatabricksSecretScope}: named parameters, or the complete
 * `secrets/scopes/create` JSON as `spec` (named parameters win). A scope cannot be edited, so
 * changing any argument replaces it.
 */
export interface DatabricksSecretScopeArgs {
  /** Workspace URL, e.g. `https://adb-123.4.azuredatabricks.net`. Default: `DATABRICKS_HOST`, then the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** Scope name: 1-128 letters, digits and `_ . @ / -`. Required unless `spec.scope` is given. */
  readonly name?: pulumi.Input<string>;
  /**
   * Who may manage the scope. Default: `"users"` (every workspace user; the only value Standard-tier
   * workspaces accept). On Premium workspaces, name a group or service principal to restrict it.
   */
  readonly initialManagePrincipal?: pulumi.Input<string>;
  /**
   * Back the scope with an Azure Key Vault (`AZURE_KEYVAULT`); its secrets are then written in the
   * vault, not through Databricks. Creating one needs an Azure AD caller: with a personal access
   * token the service refuses ("Scope with Azure KeyVault must have userAADToken defined!").
   * Default: a Databricks-backed scope.
   */
  readonly keyVault?: pulumi.Input<DatabricksSecretScopeKeyVaultArgs>;
  /**
   * Take over a scope of this name that already exists: `pulumi up` keeps it as it is (a scope
   * cannot be edited; its backend must be the one declared) and `pulumi destroy` then deletes it
   * with all its secrets, like a scope this resource created. Without it, creating the resource
   * fails when the name is taken. Read only when the resource is created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /**
   * The complete `secrets/scopes/create` JSON (`scope`, `initial_manage_principal`,
   * `scope_backend_type`, `backend_azure_keyvault`), snake_case as in the API. Default: none.
   */
  readonly spec?: WireSpec<CreateScopeRequest>;
}

/**
 * A Databricks secret scope (the Kubeflow CreateSecretScopeOp / DeleteSecretScopeOp). Notebooks
 * read its secrets with `dbutils.secrets.get(scope, key)`. Deleting it deletes its secrets.
 * Refresh finds a scope deleted outside Pulumi; its ACLs are not managed (`initialManagePrincipal`
 * is only initial): an ACL someone changes stays as they set it.
 */
export class DatabricksSecretScope extends pulumi.dynamic.Resource {
  /** The workspace URL. */
  declare readonly host: pulumi.Output<string>;
  /** The scope's name: pass it as a DatabricksSecret's `scope` so secrets are created after it. */
  declare readonly name: pulumi.Output<string>;
  /** `DATABRICKS` or `AZURE_KEYVAULT`. */
  declare readonly backendType: pulumi.Output<string>;

  /**
   * Declares a secret scope; `pulumi up` creates it.
   * @param name The resource's name, unique in the stack.
   * @param args The scope's name and backend (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksSecretScopeArgs, opts?: pulumi.CustomResourceOptions) {
    // Every declared output listed, so the spec form (no `host`, no `name`) has them too.
    super(PROVIDER, name, { ...args, host: args.host, name: args.name, backendType: undefined }, opts, MODULE, "DatabricksSecretScope");
  }
}
