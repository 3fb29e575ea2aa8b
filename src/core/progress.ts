/** Prints a progress line; the engine shows a dynamic provider's stdout as info diagnostics. */
export function progress(line: string): void {
  console.log(line);
}
