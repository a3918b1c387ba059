import { InvalidArgumentError } from "commander";
import { ExitCode } from "./exit-code.js";
import type { Terminal } from "./terminal.js";

/** Shared by every command of one run: where to write and the exit code the run ends with. */
export interface CommandContext {
  readonly terminal: Terminal;
  /** Set by the command's action; {@link ExitCode.Ok} unless it says otherwise. */
  exitCode: ExitCode;
}

/** Creates a context for one run. */
export function createCommandContext(terminal: Terminal): CommandContext {
  return { terminal, exitCode: ExitCode.Ok };
}

/** Commander parser for a whole-number option between `min` and `max`. */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** Writes a value as pretty JSON on stdout: the `--json` output of every command. */
export function printJson(terminal: Terminal, value: unknown): void {
  terminal.out(JSON.stringify(value, null, 2));
}
