/**
 * The storage accounts the emulator's blob service (Azurite) serves: always Azurite's well-known
 * development account, plus any given by name and key (`AZURITE_ACCOUNTS`, Azurite's own format).
 */

/** Azurite's well-known development account. */
export const WELL_KNOWN_ACCOUNT = "devstoreaccount1";

/**
 * The well-known key of {@link WELL_KNOWN_ACCOUNT}. Public on purpose (Azurite and the Azure
 * Storage emulator document it): the blob service only listens on loopback and holds development data.
 */
export const WELL_KNOWN_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** The environment variable Azurite reads its accounts from: `name:key[:key2][;name:key...]`, keys base64. */
export const AZURITE_ACCOUNTS_ENV = "AZURITE_ACCOUNTS";

/** Storage account names: 3 to 24 lowercase letters and digits, as in Azure. */
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Account name → its key (base64), the well-known account first. */
export type StorageAccounts = ReadonlyMap<string, string>;

/**
 * The accounts served: {@link WELL_KNOWN_ACCOUNT} and `extra` (name → base64 key). Throws naming
 * the account when a name or a key is not valid; the well-known account keeps its public key.
 */
export function storageAccounts(extra: Readonly<Record<string, string>> = {}): StorageAccounts {
  const accounts = new Map([[WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY]]);
  for (const [name, key] of Object.entries(extra)) {
    if (!ACCOUNT_NAME.test(name)) throw new Error(`Storage account name "${name}" is not valid: use 3 to 24 lowercase letters and digits.`);
    if (name === WELL_KNOWN_ACCOUNT && key !== WELL_KNOWN_ACCOUNT_KEY) throw new Error(`${WELL_KNOWN_ACCOUNT} keeps its well-known key; give your own accounts other names.`);
    if (key === "" || !BASE64.test(key)) throw new Error(`The key of storage account "${name}" must be base64.`);
    accounts.set(name, key);
  }
  return accounts;
}

/** Parses Azurite's `AZURITE_ACCOUNTS` format (`name:key[:key2];...`) into name → first key; throws on a malformed entry. */
export function parseAzuriteAccounts(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split(";").map((e) => e.trim()).filter(Boolean)) {
    const parts = entry.split(":");
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) {
      throw new Error(`${AZURITE_ACCOUNTS_ENV} entries look like name:key or name:key1:key2, separated by ";" (an entry is malformed).`);
    }
    out[parts[0]] = parts[1];
  }
  return out;
}

/** The accounts in Azurite's `AZURITE_ACCOUNTS` format. */
export function azuriteAccountsValue(accounts: StorageAccounts): string {
  return [...accounts].map(([name, key]) => `${name}:${key}`).join(";");
}
