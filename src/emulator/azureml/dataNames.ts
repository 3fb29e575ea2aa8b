/**
 * The names of a job's and a step's inputs and outputs: identifiers, as they appear in
 * `${{inputs.x}}` and name the step's local folders (so never a path).
 */
const DATA_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,254}$/;

/** What a name must be, said the way errors say it. */
export const DATA_NAME_RULE = "use letters, digits, '_' and '-', starting with a letter or '_'";

/** Whether `name` may name an input or output. */
export function isDataName(name: string): boolean {
  return DATA_NAME.test(name);
}
