/** Exit codes of the `workflow-dispatch` CLI, so scripts can branch on the class of failure. */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** The input or a job failed: validation errors, a job GitHub refused, entries SQS rejected. */
  Failed: 1,
  /** The command line was wrong: unknown option, bad `key=value`, unknown schedule, missing queue URL. */
  Usage: 2,
  /** AWS or GitHub could not be reached, or credentials or region are missing. */
  Unreachable: 3,
} as const;
/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
