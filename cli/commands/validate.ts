import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { CONFIG_OPTION } from "../config-option.js";
import { parseInstant } from "../parse-instant.js";
import type { ValidateOptions } from "./run-validate.js";

/** `validate`: check the schedule config with the same validator `cdk synth` uses. */
export function configureValidateCommand(command: Command, context: CommandContext): Command {
  return command
    .summary("check the schedule config; exit code 1 on errors")
    .description(
      "Check the schedule config with the validator `cdk synth` uses. Every error names the schedule, the field and the fix; warnings flag daylight-saving gaps and overlaps and dates in the past.",
    )
    .option(CONFIG_OPTION.flags, CONFIG_OPTION.description)
    .option(
      "--now <instant>",
      "judge past dates and daylight saving from this instant (ISO 8601)",
      parseInstant,
    )
    .option("--strict", "fail (exit code 1) on warnings too")
    .option("--json", "print errors and warnings as JSON")
    .action(async (options: ValidateOptions) => {
      const { runValidate } = await import("./run-validate.js");
      context.exitCode = await runValidate(context, options);
    });
}
