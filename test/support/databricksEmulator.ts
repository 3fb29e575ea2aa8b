import * as assert from "node:assert/strict";
import { createDatabricksApi, DatabricksApi } from "../../src/databricks/client";
import { type Clock, RunningEmulator, systemClock } from "../../src/emulator";
import { startTestEmulator } from "./emulator";

/** An in-memory emulator with the Databricks API, and the environment the providers read. */
export interface DatabricksFixture {
  emulator: RunningEmulator;
  api: DatabricksApi;
  token: string;
}

/**
 * Registers before/after hooks that start the test emulator (immediate run lifecycle; real time,
 * as the providers wait in real time), point the providers at it (AMLDB_TARGET, AMLDB_LOCAL_TOKEN,
 * DATABRICKS_HOST; with `azureAd`, DATABRICKS_AUTH_TYPE=azure-cli: Azure AD tokens from the
 * emulator's token endpoint), silence their progress lines unless asked, and restore everything afterwards.
 * Fields are filled in by `before`.
 */
export function useDatabricksEmulator(token: string, opts: { quiet?: boolean; clock?: Clock; azureAd?: boolean } = { quiet: true }): DatabricksFixture {
  const fixture = { token } as DatabricksFixture;
  const saved = { ...process.env };
  const realLog = console.log;
  before(async () => {
    fixture.emulator = (await startTestEmulator({ token, clock: opts.clock ?? systemClock })).emulator;
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: token, DATABRICKS_HOST: fixture.emulator.url, ...(opts.azureAd && { DATABRICKS_AUTH_TYPE: "azure-cli" }) });
    fixture.api = createDatabricksApi({ host: fixture.emulator.url });
    if (opts.quiet ?? true) console.log = () => undefined;
  });
  after(async () => {
    console.log = realLog;
    process.env = saved;
    await fixture.emulator?.close();
  });
  return fixture;
}

/**
 * For each test: a fresh emulator state and the providers' progress lines captured into the
 * returned array (cleared before each test).
 */
export function captureEachTest(fixture: DatabricksFixture): string[] {
  const lines: string[] = [];
  let previousLog: typeof console.log;
  beforeEach(() => {
    fixture.emulator.reset();
    lines.length = 0;
    previousLog = console.log;
    console.log = (l: string) => lines.push(l);
  });
  afterEach(() => (console.log = previousLog));
  return lines;
}

/** Progress lines with their elapsed times (`(1.2s)`) replaced by `(t)`: what a test can state exactly. */
export function withoutTimings(lines: string[]): string[] {
  return lines.map((l) => l.replace(/\(\d+\.\ds\)/g, "(t)"));
}

/** A lifecycle's `check` that must pass: returns the checked inputs, typed as the provider sees them. */
export function checkedBy<T>(check: (olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<{ inputs: Record<string, unknown>; failures: unknown[] }>) {
  return async (news: Record<string, unknown>): Promise<T> => {
    const { inputs, failures } = await check({}, news);
    assert.deepEqual(failures, []);
    return inputs as unknown as T;
  };
}
