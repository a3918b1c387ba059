import { ExitCode } from "./exit-code.js";

/** An error the CLI reports as one line on stderr and turns into its exit code. */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    /** The process exit code this error ends with. */
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A mistake on the command line (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.Usage);
}

/** AWS or GitHub unreachable, or credentials or region missing (exit code 3). */
export function unreachableError(message: string, cause?: unknown): CliError {
  return new CliError(message, ExitCode.Unreachable, { cause });
}

/** Bad input or a failed job (exit code 1). */
export function failedError(message: string): CliError {
  return new CliError(message, ExitCode.Failed);
}
