/**
 * Which URLs may receive a Key Vault token: a vault of a known Azure cloud (the azure target) or
 * the emulator on loopback over https (the local target). A token for one vault never goes
 * anywhere else.
 */
import { localUrlProblem, Target } from "../../core/target";

/** DNS suffixes of Key Vault in the Azure clouds, with the resource their tokens are issued for. */
export const KEY_VAULT_CLOUDS: readonly { readonly dnsSuffix: string; readonly resource: string }[] = Object.freeze([
  { dnsSuffix: "vault.azure.net", resource: "https://vault.azure.net" },
  { dnsSuffix: "vault.azure.cn", resource: "https://vault.azure.cn" },
  { dnsSuffix: "vault.usgovcloudapi.net", resource: "https://vault.usgovcloudapi.net" },
]);

/** The cloud of a vault URL `https://<name>.<suffix>`, or undefined for any other URL. */
function cloudOf(url: URL): (typeof KEY_VAULT_CLOUDS)[number] | undefined {
  if (url.protocol !== "https:") return undefined;
  const host = url.hostname.toLowerCase();
  return KEY_VAULT_CLOUDS.find((c) => host.endsWith(`.${c.dnsSuffix}`) && /^[a-z0-9-]+$/.test(host.slice(0, -c.dnsSuffix.length - 1)));
}

/** The token scope of a vault: `https://vault.azure.net/.default` in the public cloud. */
export function keyVaultScope(vaultUrl: URL): string {
  return `${(cloudOf(vaultUrl) ?? KEY_VAULT_CLOUDS[0]).resource}/.default`;
}

/**
 * Why `vaultUrl` may not receive a token in `target`, or undefined when it may: the azure target
 * sends tokens only to `https://<vault>.vault.azure.net` (or `.vault.azure.cn`,
 * `.vault.usgovcloudapi.net`), the local target only to `https://` on loopback (plain http when
 * `AMLDB_LOCAL_HTTP` of `env` allows it).
 */
export function vaultUrlProblem(vaultUrl: URL, target: Target, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const where = `${vaultUrl.protocol}//${vaultUrl.host}`;
  if (target === "local") return localUrlProblem(vaultUrl, "The vault", env);
  if (cloudOf(vaultUrl)) return undefined;
  const suffixes = KEY_VAULT_CLOUDS.map((c) => `https://<vault>.${c.dnsSuffix}`).join(", ");
  return `${where} is not a Key Vault URL (${suffixes}); Azure tokens are sent only to Key Vault.`;
}
