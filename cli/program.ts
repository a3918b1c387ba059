import { Command } from "commander";
import { VERSION } from "../lambda/github/version.js";
import type { CommandContext } from "./command-context.js";
import { configureDispatchCommand } from "./commands/dispatch.js";
import { configureDlqListCommand } from "./commands/dlq-list.js";
import { configureDlqRedriveCommand } from "./commands/dlq-redrive.js";
import { configureEnqueueCommand } from "./commands/enqueue.js";
import { configureSchedulesCommand } from "./commands/schedules.js";
import { configureValidateCommand } from "./commands/validate.js";

/**
 * The `workflow-dispatch` command tree. Commander's own exits are turned into exceptions
 * (`exitOverride`) so the runner decides every exit code; help and errors go to the terminal.
 */
export function createProgram(context: CommandContext): Command {
  const { terminal } = context;
  const program = new Command("workflow-dispatch")
    .description(
      "Operate workflow-dispatch: validate the schedule config, preview fire times, dispatch now, enqueue jobs, inspect and redrive the dead-letter queue.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => terminal.out(text),
      writeErr: (text) => terminal.err(text),
      outputError: (text, write) => write(terminal.errColor.red(text)),
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes: 0 ok, 1 validation or job errors, 2 usage, 3 AWS or GitHub unreachable or credentials missing.
Colour only on a terminal, never with NO_COLOR. Every command takes --help.`,
    );
  configureValidateCommand(program.command("validate"), context);
  configureSchedulesCommand(program.command("schedules"), context);
  configureDispatchCommand(program.command("dispatch"), context);
  configureEnqueueCommand(program.command("enqueue"), context);
  const dlq = program.command("dlq").description("inspect and redrive the dead-letter queue");
  configureDlqListCommand(dlq.command("list"), context);
  configureDlqRedriveCommand(dlq.command("redrive"), context);
  return program;
}
