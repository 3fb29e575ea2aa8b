/**
 * Reading a component's YAML file where the program runs (so changes show at preview) and where
 * the provider runs: the document, its `code:` folder and the content hash of that folder.
 */
import { parseYaml, readYamlFile, besideYaml } from "../shared/yamlFile";
import { CodeFileHashes, MAX_LISTED_FILES, reviewPath } from "../../core/codeFiles";
import { hashFile } from "../../core/localFile";
import { codeFiles, hashCode } from "./codeFolder";

/** A component YAML file as read by the program. */
export interface ComponentSource {
  /** Absolute path of the YAML file. */
  file: string;
  /** Its text. */
  content: string;
  /** Absolute path of the `code:` folder, when the YAML has a local one. */
  codeRoot?: string;
  /** Hash of the code folder's uploaded files, when there is one. */
  codeHash?: string;
  /** Each uploaded file's content hash by its path relative to the program, when at most {@link MAX_LISTED_FILES}: how a preview names the file that changed. */
  codeFiles?: CodeFileHashes;
}

/** Reads `file` and hashes its code folder. */
export function readComponentSource(file: string): ComponentSource {
  const { file: absolute, text, doc } = readYamlFile(file, "Component file");
  const source: ComponentSource = { file: absolute, content: text };
  const root = localCodeRoot(absolute, doc);
  if (root !== undefined) {
    source.codeRoot = root;
    const files = codeFiles(root);
    source.codeHash = hashCode(files);
    if (files.length <= MAX_LISTED_FILES) source.codeFiles = Object.fromEntries(files.map((f) => [reviewPath(f.absolute), hashFile(f.absolute) ?? ""]));
  }
  return source;
}

/** The document of a component YAML text. */
export function componentDocument(content: string, file: string): Record<string, unknown> {
  return parseYaml(content, file, "Component file");
}

/** The absolute local code folder of a document, or undefined when `code` is absent or an `azureml:` reference. */
export function localCodeRoot(file: string, doc: Record<string, unknown>): string | undefined {
  const code = doc.code;
  if (typeof code !== "string" || code.startsWith("azureml:")) return undefined;
  return besideYaml(file, code.replace(/^file:/, ""));
}
