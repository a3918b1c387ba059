import { CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { createCommandContext } from "./command-context.js";
import { ExitCode } from "./exit-code.js";
import { createProgram } from "./program.js";
import { createTerminal, type Terminal } from "./terminal.js";

function exitCodeOfCommander(error: CommanderError): ExitCode {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
    return ExitCode.Ok;
  }
  return ExitCode.Usage;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to its exit code. Errors the
 * commands raise on purpose ({@link CliError}) become one line on stderr (and an `error` object on
 * stdout with `--json`); anything else is reported as unexpected with exit code 1.
 */
export async function runCli(
  argv: readonly string[],
  terminal: Terminal = createTerminal(),
): Promise<ExitCode> {
  const context = createCommandContext(terminal);
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOfCommander(error);
    const known = error instanceof CliError;
    const message = known
      ? error.message
      : `unexpected ${(error as Error).name ?? "error"}: ${(error as Error).message ?? String(error)}`;
    const exitCode = known ? error.exitCode : ExitCode.Failed;
    terminal.err(`${terminal.errColor.red("error:")} ${message}`);
    if (argv.includes("--json"))
      terminal.out(JSON.stringify({ error: { message, exitCode } }, null, 2));
    return exitCode;
  }
}
