import type { Command } from "commander";
import { type CommandContext, integerOption } from "../command-context.js";
import { CONFIG_OPTION } from "../config-option.js";
import { collect } from "../parse-inputs.js";
import { parseInstant } from "../parse-instant.js";
import type { SchedulesOptions } from "./run-schedules.js";

/** `schedules`: the configured schedules and their next fire times, local and UTC. */
export function configureSchedulesCommand(command: Command, context: CommandContext): Command {
  return command
    .summary("list schedules with their next fire times, local and UTC")
    .description(
      "List the configured schedules with their next fire times in their own time zone and in UTC, as EventBridge Scheduler computes them: six-field cron with ?, L, W, # and years; rate; at; start and end dates; daylight-saving gaps skipped and repeated hours fired once. Disabled schedules are marked.",
    )
    .option(CONFIG_OPTION.flags, CONFIG_OPTION.description)
    .option("-n, --count <n>", "fire times per schedule", integerOption(1, 1000), 5)
    .option(
      "--from <instant>",
      "list fire times after this instant (ISO 8601; default: now)",
      parseInstant,
    )
    .option("--name <schedule>", "only this schedule (repeatable)", collect)
    .option("--json", "print schedules and fire times as JSON")
    .action(async (options: SchedulesOptions) => {
      const { runSchedules } = await import("./run-schedules.js");
      context.exitCode = await runSchedules(context, options);
    });
}
