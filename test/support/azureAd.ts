/**
 * How the tests call the emulator as an Azure AD caller (only such a caller may create a Key
 * Vault-backed secret scope, as on the service): with a token its identity endpoint issued for
 * Azure Databricks, and how they name its vault in such a scope.
 */
import { AZURE_DATABRICKS_AUDIENCE } from "../../src/emulator/databricks/auth";
import type { RunningEmulator } from "../../src/emulator";
import { httpCaller, type Call } from "./emulator";
import { emulatorToken } from "./identity";

/** Calls the emulator's Databricks API with an Azure AD token the emulator issued. */
export async function azureAdCaller(emulator: RunningEmulator): Promise<Call> {
  return httpCaller(emulator.url, await emulatorToken(emulator, `${AZURE_DATABRICKS_AUDIENCE}/.default`));
}

/**
 * The `dns_name` of the emulator's own vault as a Key Vault-backed scope names it: its https URL
 * with the trailing slash (the provider requires https, as for a real vault).
 */
export function emulatorVaultDnsName(keyVaultUrl: string): string {
  return `${keyVaultUrl.replace(/^http:/, "https:")}/`;
}
