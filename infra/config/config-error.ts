/**
 * A config that cannot be built. `errors` holds every problem, one line each, naming the field, the
 * value and the fix; the message lists them all so a person sees everything in one run.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    /** The config file, as given to the loader. */
    readonly path: string,
    /** Every problem found. */
    readonly errors: readonly string[],
    /** Warnings found alongside (they never fail a build on their own). */
    readonly warnings: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(
      `${path}: ${errors.length} problem${errors.length === 1 ? "" : "s"}:\n${errors
        .map((e) => `  - ${e}`)
        .join("\n")}`,
      options,
    );
  }
}
