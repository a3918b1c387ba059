import type { Command } from "commander";
import { type CommandContext, integerOption } from "../command-context.js";
import type { DlqListOptions } from "./run-dlq-list.js";

/** `dlq list`: dead-letter messages grouped by kind and reason. */
export function configureDlqListCommand(command: Command, context: CommandContext): Command {
  return command
    .description(
      "list parked jobs in the dead-letter queue, grouped by kind (parked by the function, undelivered by EventBridge Scheduler, failed asynchronous invocation) and reason (read-only: messages are handed back at once)",
    )
    .option("--dlq-url <url>", "dead-letter queue URL (default: $DEAD_LETTER_QUEUE_URL)")
    .option("--region <region>", "AWS region (default: $AWS_REGION or your profile's)")
    .option("--max <n>", "read at most this many messages", integerOption(1, 100_000), 1000)
    .option(
      "--visibility-timeout <seconds>",
      "how long messages are hidden while being read",
      integerOption(1, 43_200),
      30,
    )
    .option("--wait-seconds <seconds>", "long-poll time per read", integerOption(0, 20), 1)
    .option("--messages", "also list every message under its reason")
    .option("--json", "print the groups and messages as JSON")
    .action(async (options: DlqListOptions) => {
      const { runDlqList } = await import("./run-dlq-list.js");
      context.exitCode = await runDlqList(context, options);
    });
}
