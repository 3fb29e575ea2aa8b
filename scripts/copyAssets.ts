/**
 * Part of `npm run build`: copies the emulator's Python files next to their compiled modules
 * (`src/**\/*.py` -> `dist/src/**\/*.py`), so the code finds them beside itself from `src/` under
 * ts-node and from `dist/` in an installed package alike.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

function copyPython(from: string, to: string): number {
  let copied = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copied += copyPython(source, path.join(to, entry.name));
    else if (entry.name.endsWith(".py")) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, path.join(to, entry.name));
      copied++;
    }
  }
  return copied;
}

copyPython(path.join(root, "src"), path.join(root, "dist", "src"));
