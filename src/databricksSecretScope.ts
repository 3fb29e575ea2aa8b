import * as pulumi from "@pulumi/pulumi";
import { databricksSecretScopeProvider } from "../providers/databricksSecretScopeProvider";

/** Arguments of a {@link DatabricksSecretScope}. */
export interface DatabricksSecretScopeArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** Scope name: 1-128 letters, digits and `_ . @ / -`. A change replaces the scope. */
  readonly name: pulumi.Input<string>;
  /** Who may manage the scope, e.g. `"users"`. Default: the creator only (Premium workspaces). */
  readonly initialManagePrincipal?: pulumi.Input<string>;
  /**
   * Back the scope with an Azure Key Vault (read-only from Databricks). Needs an Azure AD caller,
   * not a personal access token. Default: a Databricks-backed scope.
   */
  readonly keyVault?: pulumi.Input<{ resourceId: pulumi.Input<string>; dnsName: pulumi.Input<string> }>;
}

/** A Databricks secret scope (CreateSecretScopeOp / DeleteSecretScopeOp). */
export class DatabricksSecretScope extends pulumi.dynamic.Resource {
  /** The scope's name. */
  declare readonly name: pulumi.Output<string>;
  /** `DATABRICKS` or `AZURE_KEYVAULT`. */
  declare readonly backendType: pulumi.Output<string>;

  constructor(name: string, args: DatabricksSecretScopeArgs, opts?: pulumi.CustomResourceOptions) {
    super(databricksSecretScopeProvider, name, { ...args, backendType: undefined }, opts, "azureml-databricks", "DatabricksSecretScope");
  }
}
