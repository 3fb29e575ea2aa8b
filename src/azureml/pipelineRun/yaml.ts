/** An AML CLI v2 pipeline job YAML file (`az ml job create -f`) as an AmlPipelineRun's inputs. */
import { readYamlFile, YamlFileError } from "../shared/yamlFile";

/**
 * The pipeline YAML file as inputs: its absolute path and document, or the reason it cannot be
 * read, which check reports against `file` (so a bad file fails the preview, nothing created).
 */
export function pipelineFile(file: string | undefined): { file?: string; pipelineYaml?: Record<string, unknown>; fileProblem?: string } {
  if (file === undefined) return {};
  try {
    const read = readYamlFile(file, "Pipeline job file");
    return { file: read.file, pipelineYaml: read.doc };
  } catch (err) {
    if (err instanceof YamlFileError) return { file, fileProblem: err.message };
    throw err;
  }
}
