import type { Command } from "commander";
import { type CommandContext, integerOption } from "../command-context.js";
import type { DlqRedriveOptions } from "./run-dlq-redrive.js";

/** `dlq redrive`: send parked jobs back to the dispatch queue, deleting each only after its send succeeded. */
export function configureDlqRedriveCommand(command: Command, context: CommandContext): Command {
  return command
    .summary("send parked jobs back to the dispatch queue")
    .description(
      "Send parked jobs back to the dispatch queue, optionally only those matching --reason or --repository. A job the function parked or EventBridge Scheduler could not deliver goes back as it is; a failed asynchronous invocation's Lambda destination record goes back as the job it carries (its requestPayload). Each is deleted from the dead-letter queue only after the dispatch queue accepted it; all others are handed back.",
    )
    .option("--reason <text>", "only jobs whose reason contains this text (case-insensitive)")
    .option(
      "--repository <pattern>",
      "only jobs for this owner/repo; * matches any name part, e.g. acme/*",
    )
    .option("--dlq-url <url>", "dead-letter queue URL (default: $DEAD_LETTER_QUEUE_URL)")
    .option("--queue-url <url>", "dispatch queue URL (default: $DISPATCH_QUEUE_URL)")
    .option("--region <region>", "AWS region (default: $AWS_REGION or your profile's)")
    .option("--max <n>", "read at most this many messages", integerOption(1, 100_000), 1000)
    .option(
      "--visibility-timeout <seconds>",
      "how long messages are hidden while being moved",
      integerOption(1, 43_200),
      60,
    )
    .option("--wait-seconds <seconds>", "long-poll time per read", integerOption(0, 20), 1)
    .option("--dry-run", "show what would be redriven, move nothing")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ workflow-dispatch dlq redrive --reason "rate limited" --dry-run
  $ workflow-dispatch dlq redrive --repository "acme/*"`,
    )
    .action(async (options: DlqRedriveOptions) => {
      const { runDlqRedrive } = await import("./run-dlq-redrive.js");
      context.exitCode = await runDlqRedrive(context, options);
    });
}
