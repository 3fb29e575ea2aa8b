/**
 * Part of `npm run build`: copies the assets beside the code (the emulator's Python files, the
 * shipped component's YAML and script: `src/**\/*.{py,yml}` -> `dist/src/**`) next to their
 * compiled modules, so the code finds them beside itself from `src/` under ts-node and from `dist/`
 * in an installed package alike (the package's `files` ship `dist/src` whole).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

/** What counts as an asset. */
const ASSET = /\.(py|yml)$/;

function copyAssets(from: string, to: string): number {
  let copied = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copied += copyAssets(source, path.join(to, entry.name));
    else if (ASSET.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, path.join(to, entry.name));
      copied++;
    }
  }
  return copied;
}

copyAssets(path.join(root, "src"), path.join(root, "dist", "src"));
