import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { CONFIG_OPTION } from "../config-option.js";
import { collect } from "../parse-inputs.js";
import type { DispatchOptions } from "./run-dispatch.js";

/** `dispatch`: fire one workflow_dispatch now, with the dispatcher's own GitHub and token code. */
export function configureDispatchCommand(command: Command, context: CommandContext): Command {
  return command
    .summary("fire one workflow dispatch now")
    .description(
      "Fire one workflow_dispatch now, through the same GitHub and token code as the function, and print the run URL when GitHub returns it. The token comes from --secret (Secrets Manager), else GITHUB_TOKEN; with --schedule, from the schedule's token_secret or the config's default secret.",
    )
    .argument("[repository]", "owner/repo, e.g. acme/api")
    .argument("[workflow]", "workflow file name or id, e.g. nightly.yml")
    .option("-r, --ref <ref>", "branch or tag to run on (overrides the schedule's with --schedule)")
    .option(
      "-i, --input <key=value>",
      "workflow input (repeatable; added to the schedule's with --schedule)",
      collect,
    )
    .option(
      "-s, --secret <id>",
      "Secrets Manager secret holding the token or GitHub App credentials",
    )
    .option("--schedule <name>", "fire this configured schedule's job now")
    .option(CONFIG_OPTION.flags, CONFIG_OPTION.description)
    .option(
      "--api-url <url>",
      "GitHub API root (default: $GITHUB_API_URL, the config's, or https://api.github.com)",
    )
    .option("--region <region>", "AWS region for --secret (default: $AWS_REGION or your profile's)")
    .option("--dry-run", "show the request that would be sent, send nothing")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ GITHUB_TOKEN=... workflow-dispatch dispatch acme/api nightly.yml --ref main --input environment=staging
  $ workflow-dispatch dispatch acme/api deploy.yml --ref v1.4.0 --secret github/acme-bot
  $ workflow-dispatch dispatch --schedule weekday-morning-smoke-tests --dry-run`,
    )
    .action(
      async (
        repository: string | undefined,
        workflow: string | undefined,
        options: DispatchOptions,
      ) => {
        const { runDispatch } = await import("./run-dispatch.js");
        context.exitCode = await runDispatch(context, repository, workflow, options);
      },
    );
}
