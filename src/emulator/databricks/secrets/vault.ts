/**
 * The Key Vault behind `AZURE_KEYVAULT` scopes: the emulator's own vault, served by the same
 * process. A scope's `dns_name` must name it; its secrets are then the vault's secrets as they are
 * at each read, as on the service (read-only through the Secrets API).
 */
import { isLoopbackUrl } from "../../../core/target";
import type { SecretStore } from "../../keyvault/store";

/** One secret of the vault as a scope sees it. */
export interface VaultSecret {
  /** The secret's name, as the vault spells it. */
  readonly name: string;
  /** The value of its current version. */
  readonly value: string;
  /** When that version was last updated, in milliseconds since the epoch. */
  readonly updatedMs: number;
}

/** The vault a Key Vault-backed scope reads. */
export interface ScopeVault {
  /** The vault's URL (for messages). */
  url(): string;
  /** True when `dnsName` is a URL of this vault. */
  serves(dnsName: string): boolean;
  /** The current version of every secret that is enabled, ordered by name. */
  secrets(): VaultSecret[];
}

/** Finds a vault secret by key, ignoring case as Key Vault does. */
export function vaultSecret(vault: ScopeVault, key: string): VaultSecret | undefined {
  const lower = key.toLowerCase();
  return vault.secrets().find((s) => s.name.toLowerCase() === lower);
}

/**
 * The emulator's own vault as scopes see it: `store` holds its secrets, `address` is the
 * emulator's base URL once it listens. A `dns_name` names it when it is that URL (either scheme:
 * `http` or `https`), or a loopback alias of it on the same port, with no path.
 */
export function emulatorVault(store: Pick<SecretStore, "listSecrets">, address: () => string): ScopeVault {
  return {
    url: () => `${address()}/`,
    serves(dnsName) {
      let given: URL;
      let own: URL;
      try {
        given = new URL(dnsName);
        own = new URL(address());
      } catch {
        return false;
      }
      const sameHost = given.hostname === own.hostname || (isLoopbackUrl(given) && isLoopbackUrl(own));
      return /^https?:$/.test(given.protocol) && sameHost && given.port === own.port && given.pathname === "/" && !given.search && !given.hash;
    },
    secrets: () =>
      store
        .listSecrets()
        .filter((s) => s.version.attributes.enabled)
        .map((s) => ({ name: s.name, value: s.version.value, updatedMs: s.version.attributes.updated * 1000 })),
  };
}
