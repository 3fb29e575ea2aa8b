/**
 * How the tests call the emulator as an Azure AD caller (only such a caller may create a Key
 * Vault-backed secret scope, as on the service), and how they name its vault in such a scope. The
 * one place to change when the emulator recognises Azure AD callers by the tokens its identity
 * endpoint issues instead of by their shape.
 */

/** A token the emulator takes both as its own and as an Azure AD caller's: today, any JWT-shaped token (`eyJ...`). */
export const AZURE_AD_CALLER_TOKEN = "eyJ0eXAiOiJKV1QifQ.local.aad";

/**
 * The `dns_name` of the emulator's own vault as a Key Vault-backed scope names it: its https URL
 * with the trailing slash (the provider requires https, as for a real vault).
 */
export function emulatorVaultDnsName(keyVaultUrl: string): string {
  return `${keyVaultUrl.replace(/^http:/, "https:")}/`;
}
