/**
 * Notebook formats: Databricks SOURCE files (`# Databricks notebook source`, cells separated by
 * `# COMMAND ----------`, markdown as `# MAGIC %md`) and Jupyter documents, and the conversions
 * workspace export needs between them.
 */

/** Languages of notebooks. */
export type NotebookLanguage = "PYTHON" | "SCALA" | "SQL" | "R";

const COMMENT: Record<NotebookLanguage, string> = { PYTHON: "#", R: "#", SCALA: "//", SQL: "--" };
const FILE_TYPE: Record<NotebookLanguage, string> = { PYTHON: "py", R: "r", SCALA: "scala", SQL: "sql" };

/** True for a notebook language. */
export function isNotebookLanguage(value: string): value is NotebookLanguage {
  return value === "PYTHON" || value === "SCALA" || value === "SQL" || value === "R";
}

/** The first line of a SOURCE notebook in the language. */
export function sourceHeader(language: NotebookLanguage): string {
  return `${COMMENT[language]} Databricks notebook source`;
}

/** The language of a SOURCE notebook's text, from its header; `undefined` when it has none. */
export function sourceNotebookLanguage(text: string, extension = ""): NotebookLanguage | undefined {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0].trim();
  if (first === "# Databricks notebook source") return extension.toLowerCase() === ".r" ? "R" : "PYTHON";
  if (first === "// Databricks notebook source") return "SCALA";
  if (first === "-- Databricks notebook source") return "SQL";
  return undefined;
}

/** The `file_type` workspace export reports for a notebook. */
export function notebookFileType(language: NotebookLanguage, format: "SOURCE" | "JUPYTER"): string {
  return format === "JUPYTER" ? "ipynb" : FILE_TYPE[language];
}

/** A SOURCE notebook's text, with the header added when missing. */
export function withSourceHeader(text: string, language: NotebookLanguage): string {
  return sourceNotebookLanguage(text) ? text : `${sourceHeader(language)}\n${text}`;
}

/** True when the bytes are a Jupyter document (JSON with a `cells` array). */
export function isJupyterDocument(bytes: Buffer): boolean {
  try {
    const doc = JSON.parse(bytes.toString("utf8")) as { cells?: unknown };
    return Array.isArray(doc.cells);
  } catch {
    return false;
  }
}

/** The language a Jupyter document declares (kernel or language_info); PYTHON by default. */
export function jupyterLanguage(bytes: Buffer): NotebookLanguage {
  try {
    const doc = JSON.parse(bytes.toString("utf8")) as { metadata?: { language_info?: { name?: string }; kernelspec?: { language?: string } } };
    const name = (doc.metadata?.language_info?.name ?? doc.metadata?.kernelspec?.language ?? "python").toUpperCase();
    return isNotebookLanguage(name) ? name : "PYTHON";
  } catch {
    return "PYTHON";
  }
}

interface JupyterCell {
  cell_type: string;
  source: string | string[];
}

/** Converts a Jupyter document to a SOURCE notebook. */
export function jupyterToSource(bytes: Buffer, language: NotebookLanguage): string {
  const doc = JSON.parse(bytes.toString("utf8")) as { cells?: JupyterCell[] };
  const c = COMMENT[language];
  const cells = (doc.cells ?? []).map((cell) => {
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    if (cell.cell_type === "markdown") return [`${c} MAGIC %md`, ...text.split("\n").map((l) => `${c} MAGIC ${l}`.trimEnd())].join("\n");
    return text;
  });
  return `${sourceHeader(language)}\n${cells.join(`\n\n${c} COMMAND ----------\n\n`)}\n`;
}

/** Converts a SOURCE notebook to a Jupyter document (nbformat 4). */
export function sourceToJupyter(text: string, language: NotebookLanguage, name: string): string {
  const c = COMMENT[language];
  const body = text.split(/\r?\n/);
  if (sourceNotebookLanguage(text)) body.shift();
  const separator = `${c} COMMAND ----------`;
  const chunks: string[][] = [[]];
  for (const line of body) {
    if (line.trim() === separator) chunks.push([]);
    else chunks[chunks.length - 1].push(line);
  }
  const magic = `${c} MAGIC `;
  const cells = chunks
    .map((lines) => trimBlank(lines))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const markdown = lines[0].trim() === `${c} MAGIC %md` || lines[0].startsWith(`${magic}%md `);
      const source = markdown
        ? lines.map((l) => (l.startsWith(magic) ? l.slice(magic.length) : l.replace(`${c} MAGIC`, ""))).join("\n").replace(/^%md ?\n?/, "")
        : lines.join("\n");
      return markdown
        ? { cell_type: "markdown", metadata: {}, source: splitLines(source) }
        : { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: splitLines(source) };
    });
  const doc = {
    cells,
    metadata: { language_info: { name: language.toLowerCase() }, "application/vnd.databricks.v1+notebook": { notebookName: name, language: language.toLowerCase() } },
    nbformat: 4,
    nbformat_minor: 0,
  };
  return JSON.stringify(doc, null, 1);
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === "") start++;
  while (end > start && lines[end - 1].trim() === "") end--;
  return lines.slice(start, end);
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== "");
}
