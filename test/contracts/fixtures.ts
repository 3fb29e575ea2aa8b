/** Reading the contract fixtures of `test/contracts/<service>/*.json` (see the README beside this file). */
import * as fs from "node:fs";
import * as path from "node:path";

/** Where a fixture's answer comes from: a repository file or a URL. */
export type FixtureSource = { repository: string; path: string; what: string } | { url: string; what: string };

/** One recorded answer of a service. */
export interface ContractFixture {
  /** The file's name without `.json`. */
  readonly name: string;
  readonly condition: string;
  readonly published: "body" | "code" | "behaviour";
  readonly sources: readonly FixtureSource[];
  readonly request: { readonly method: string; readonly path: string };
  readonly response: { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown; readonly text?: string };
  /** What the message (Databricks `message`, Key Vault `error.message`) must match. */
  readonly messagePattern?: string;
  /** What a non-JSON body must match. */
  readonly textPattern?: string;
  /** Headers (lower-case names) and what they must match. */
  readonly headerPatterns?: Readonly<Record<string, string>>;
  /** What the emulator assumes where nothing is published. */
  readonly emulator?: string;
}

/** Every fixture of a service, by name. */
export function contractFixtures(service: "databricks" | "keyvault"): Map<string, ContractFixture> {
  const dir = path.join(__dirname, service);
  const out = new Map<string, ContractFixture>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const name = file.slice(0, -".json".length);
    out.set(name, { name, ...(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Omit<ContractFixture, "name">) });
  }
  return out;
}

/** The fixture's body as the service sent it (JSON text, or the text of an HTML page). */
export function bodyText(fixture: ContractFixture): string {
  return fixture.response.text ?? (fixture.response.body === null || fixture.response.body === undefined ? "" : JSON.stringify(fixture.response.body));
}
