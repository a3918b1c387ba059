import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { CONFIG_OPTION } from "../config-option.js";
import { collect } from "../parse-inputs.js";
import type { EnqueueOptions } from "./run-enqueue.js";

/** `enqueue`: validate jobs from arguments or a JSON/NDJSON file and send them to the dispatch queue. */
export function configureEnqueueCommand(command: Command, context: CommandContext): Command {
  return command
    .summary("validate jobs and send them to the dispatch queue")
    .description(
      "Validate jobs with the shared schema and send them to the dispatch queue (SendMessageBatch, 10 per call), where the deployed function dispatches them. Jobs come from arguments, a configured schedule, or a file: one job, a JSON array, or NDJSON (one job per line). Nothing is sent while any job is invalid unless --skip-invalid.",
    )
    .argument("[repository]", "owner/repo of a single job, e.g. acme/api")
    .argument("[workflow]", "workflow file name or id, e.g. nightly.yml")
    .option(
      "-f, --file <path>",
      "jobs file: one job, a JSON array, or NDJSON (one job per line); - for stdin",
    )
    .option("--schedule <name>", "send this configured schedule's job (e.g. a fan-out job) now")
    .option(CONFIG_OPTION.flags, CONFIG_OPTION.description)
    .option("-r, --ref <ref>", "branch or tag for a single job")
    .option("-i, --input <key=value>", "workflow input for a single job (repeatable)", collect)
    .option("--token-secret <id>", "Secrets Manager secret the function reads the token from")
    .option("--idempotency-key <key>", "dedupes redelivered copies of a single job")
    .option("--queue-url <url>", "dispatch queue URL (default: $DISPATCH_QUEUE_URL)")
    .option("--region <region>", "AWS region (default: $AWS_REGION or your profile's)")
    .option("--skip-invalid", "send the valid jobs even when some are invalid (exit code stays 1)")
    .option("--dry-run", "validate and plan the batches, send nothing")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ workflow-dispatch enqueue acme/api nightly.yml --ref main --input environment=staging
  $ workflow-dispatch enqueue --file jobs.ndjson --dry-run
  $ cat jobs.ndjson | workflow-dispatch enqueue --file - --json`,
    )
    .action(
      async (
        repository: string | undefined,
        workflow: string | undefined,
        options: EnqueueOptions,
      ) => {
        const { runEnqueue } = await import("./run-enqueue.js");
        context.exitCode = await runEnqueue(context, repository, workflow, options);
      },
    );
}
