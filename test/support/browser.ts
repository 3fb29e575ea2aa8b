/**
 * A real browser for the page tests: the system's Chromium (Debian's `chromium` package, made
 * available by `scripts/ensure-chromium.sh`), headless, driven by puppeteer-core, which downloads no
 * browser of its own.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { TestEmulator } from "./emulator";

const ENSURE_CHROMIUM = path.resolve(__dirname, "../../scripts/ensure-chromium.sh");

/** The Chromium binary `scripts/ensure-chromium.sh` finds (or installs, the first time). */
export function systemChromium(): string {
  const result = spawnSync("bash", [ENSURE_CHROMIUM], { encoding: "utf8" });
  const found = /^CHROMIUM=(.+)$/m.exec(result.stdout ?? "");
  assert.ok(result.status === 0 && found, `scripts/ensure-chromium.sh failed (exit ${result.status}): ${result.stderr}`);
  return found[1];
}

/**
 * The base64 SHA-256 of the SubjectPublicKeyInfo of the certificate the server at `url` presents,
 * read over a connection this process verifies against the emulator's CA (`./trust.ts`).
 */
export function serverKeyPin(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const host = hostname.replace(/^\[|\]$/g, "");
    // SNI takes names only; an IP's certificate is checked against the address all the same.
    const socket = tls.connect({ host, port: Number(port), servername: net.isIP(host) ? undefined : host }, () => {
      const spki = socket.getPeerX509Certificate()?.publicKey.export({ type: "spki", format: "der" });
      socket.end();
      if (spki) resolve(createHash("sha256").update(spki).digest("base64"));
      else reject(new Error(`${url} presented no certificate`));
    });
    socket.on("error", reject);
  });
}

/**
 * Launches headless Chromium that accepts the emulator at `url` over https.
 *
 * How it trusts the emulator: Chromium verifies servers against the system's NSS store, not
 * `NODE_EXTRA_CA_CERTS`; adding the emulator's CA there means a temporary NSS database and
 * `certutil` (another package). Instead `--ignore-certificate-errors-spki-list` accepts exactly the
 * certificates whose public key is the emulator's server key (pinned from a connection that was
 * verified against its CA): every other certificate error still fails, unlike `acceptInsecureCerts`,
 * which would accept any certificate.
 */
export async function launchChromium(url: string): Promise<Browser> {
  const args = [`--ignore-certificate-errors-spki-list=${await serverKeyPin(url)}`];
  // Chromium's sandbox refuses to start as root (as on CI and these machines); a test of our own
  // pages on loopback does not need it.
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  return puppeteer.launch({ executablePath: systemChromium(), headless: true, args });
}

/** A tab in a fresh browser profile (no session cookie) and what went wrong in its pages. */
export interface BrowserTab {
  page: Page;
  /** The console errors, script errors and dialogs (each dismissed) of the tab's pages, in order. */
  problems: string[];
}

/** The Chromium of a suite (see {@link useChromium}). */
export interface ChromiumFixture {
  /** Opens a 1280x800 tab in a fresh profile whose problems are kept. */
  freshPage(): Promise<BrowserTab>;
}

/**
 * Registers hooks that launch headless Chromium trusting the emulator of `t` (see
 * {@link launchChromium}) before a suite's tests and close it afterwards. Call it after
 * `useEmulator()`, whose `before` hook starts the emulator first.
 */
export function useChromium(t: TestEmulator): ChromiumFixture {
  let browser: Browser | undefined;
  before(async function () {
    // The first run may install Debian's chromium (scripts/ensure-chromium.sh); later ones find it.
    this.timeout(300_000);
    browser = await launchChromium(t.emulator.url);
  });
  after(async () => browser?.close());
  return {
    async freshPage() {
      assert.ok(browser, "Chromium is launched by the suite's before hook");
      const page = await (await browser.createBrowserContext()).newPage();
      await page.setViewport({ width: 1280, height: 800 });
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      page.on("pageerror", (err) => problems.push(`page error: ${String(err)}`));
      page.on("dialog", (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      return { page, problems };
    },
  };
}

/** Where the page tests keep their screenshots (gitignored): `test-artifacts/screenshots/` at the repository's root. */
export const SCREENSHOT_DIR = path.resolve(__dirname, "../../test-artifacts/screenshots");

/**
 * Saves a full-page PNG of `page` as `<SCREENSHOT_DIR>/<name>.png` (replacing an earlier one),
 * prints its path, checks it is a PNG of the page's size and returns the path.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  assert.match(name, /^[a-z0-9-]+$/, "a screenshot's name is a plain file name");
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const png = fs.readFileSync(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is a PNG`);
  // The IHDR chunk's width and height: at least the viewport's.
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  const viewport = page.viewport();
  assert.ok(viewport && width >= viewport.width && height >= viewport.height, `${file} is ${width}x${height}, the viewport ${JSON.stringify(viewport)}`);
  console.log(`    screenshot: ${file} (${width}x${height})`);
  return file;
}
