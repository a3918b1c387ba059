import { parseDispatchJob } from "../../lambda/job/parse-job.js";
import { planMessageBatches } from "../../lambda/queue/plan-message-batches.js";
import { failedError, usageError } from "../cli-error.js";
import { type CommandContext, printJson } from "../command-context.js";
import { describeAwsFailure } from "../describe-aws-failure.js";
import { ExitCode } from "../exit-code.js";
import { jobFromArguments } from "../job-from-arguments.js";
import { loadCliConfig } from "../load-cli-config.js";
import { plural } from "../plural.js";
import { createProgress } from "../progress.js";
import { type JobEntry, readJobEntries } from "../read-job-entries.js";
import { findSchedule, jobFiredNow } from "../schedule-job.js";
import {
  type OutgoingMessage,
  type SendReport,
  sendMessageBatches,
} from "../send-message-batches.js";
import { createSqsClient, DISPATCH_QUEUE, resolveQueueUrl, sqsContext } from "../sqs-client.js";

/** Options of `enqueue` as commander parses them. */
export interface EnqueueOptions {
  readonly file?: string;
  readonly schedule?: string;
  readonly config?: string;
  readonly ref?: string;
  readonly input?: string[];
  readonly tokenSecret?: string;
  readonly idempotencyKey?: string;
  readonly queueUrl?: string;
  readonly region?: string;
  readonly skipInvalid?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

interface Invalid {
  readonly location: string;
  readonly problem: string;
}

async function collectEntries(
  repository: string | undefined,
  workflow: string | undefined,
  options: EnqueueOptions,
): Promise<JobEntry[]> {
  const sources = [options.file, options.schedule, repository].filter((s) => s !== undefined);
  if (sources.length > 1) {
    throw usageError("give one of --file, --schedule or <repository> <workflow>");
  }
  if (options.file !== undefined) return readJobEntries(options.file);
  if (options.schedule !== undefined) {
    const { config } = await loadCliConfig(options.config);
    const job = jobFiredNow(findSchedule(config, options.schedule));
    return [{ location: `schedule ${options.schedule}`, value: job }];
  }
  if (repository === undefined || workflow === undefined) {
    throw usageError(
      "nothing to enqueue: give <repository> <workflow> --ref REF, --file jobs.ndjson or --schedule NAME",
    );
  }
  const job = jobFromArguments({ repository, workflow, ...options });
  return [{ location: "arguments", value: job }];
}

function validate(entries: readonly JobEntry[]): {
  messages: OutgoingMessage[];
  invalid: Invalid[];
} {
  const messages: OutgoingMessage[] = [];
  const invalid: Invalid[] = [];
  for (const entry of entries) {
    if (entry.problem !== undefined) {
      invalid.push({ location: entry.location, problem: entry.problem });
      continue;
    }
    try {
      const job = parseDispatchJob(entry.value);
      messages.push({ location: entry.location, body: JSON.stringify(job) });
    } catch (error) {
      invalid.push({ location: entry.location, problem: (error as Error).message });
    }
  }
  return { messages, invalid };
}

/** Runs `enqueue`; resolves to its exit code. */
export async function runEnqueue(
  context: CommandContext,
  repository: string | undefined,
  workflow: string | undefined,
  options: EnqueueOptions,
): Promise<ExitCode> {
  const { terminal } = context;
  const queueUrl = resolveQueueUrl(options.queueUrl, DISPATCH_QUEUE, terminal.env);
  const entries = await collectEntries(repository, workflow, options);
  if (entries.length === 0) throw failedError(`${options.file}: holds no jobs`);
  const { messages, invalid } = validate(entries);
  const c = terminal.errColor;
  for (const bad of invalid) terminal.err(`${c.red("invalid")} ${bad.location}: ${bad.problem}`);
  const blocked = invalid.length > 0 && !options.skipInvalid;
  const report: SendReport = { sent: [], failed: [] };
  const batches = planMessageBatches(messages).batches.length;
  if (!blocked && !options.dryRun && messages.length > 0) {
    const sqs = await createSqsClient(options.region);
    const progress = createProgress(terminal, messages.length, "enqueue", options.json === true);
    try {
      await sendMessageBatches(sqs, queueUrl, messages, report, (n) => progress.increment(n));
    } catch (error) {
      progress.stop();
      terminal.err(`sent ${report.sent.length} of ${messages.length} before the failure`);
      throw describeAwsFailure(error, sqsContext(queueUrl, DISPATCH_QUEUE));
    }
    progress.stop();
    for (const bad of report.failed)
      terminal.err(`${c.red("failed")} ${bad.location}: ${bad.reason}`);
  }
  const summary = {
    queueUrl,
    dryRun: options.dryRun === true,
    jobs: entries.length,
    valid: messages.length,
    invalid,
    batches,
    sent: report.sent.length,
    failed: report.failed,
  };
  if (options.json) {
    printJson(terminal, { ...summary, messages: report.sent });
  } else if (blocked) {
    terminal.out(
      `${invalid.length} of ${plural(entries.length, "job")} ${invalid.length === 1 ? "is" : "are"} invalid; nothing was sent (fix them, or pass --skip-invalid to send the ${messages.length} valid ones)`,
    );
  } else if (options.dryRun) {
    terminal.out(
      `dry run: would send ${plural(messages.length, "job")} to ${queueUrl} in ${plural(batches, "batch", "batches")}${invalid.length ? ` (skipping ${invalid.length} invalid)` : ""}`,
    );
  } else {
    terminal.out(
      `enqueued ${report.sent.length} of ${plural(entries.length, "job")} to ${queueUrl} in ${plural(batches, "batch", "batches")} (${report.failed.length} failed, ${invalid.length} invalid)`,
    );
    if (report.sent.length === 1 && report.sent[0]) {
      terminal.out(`message id: ${report.sent[0].messageId}`);
    }
  }
  return invalid.length > 0 || report.failed.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}
