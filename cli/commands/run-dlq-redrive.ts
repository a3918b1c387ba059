import { type ClassifiedDeadLetter, classifyDeadLetter } from "../classify-dead-letter.js";
import { type CommandContext, printJson } from "../command-context.js";
import {
  type DeadLetterMessage,
  deleteMessages,
  receiveMessages,
  releaseMessages,
} from "../dead-letter-messages.js";
import { redriveMatcher } from "../dead-letter-summary.js";
import { describeAwsFailure } from "../describe-aws-failure.js";
import { ExitCode } from "../exit-code.js";
import { plural } from "../plural.js";
import { createProgress } from "../progress.js";
import { type SendReport, sendMessageBatches } from "../send-message-batches.js";
import {
  createSqsClient,
  DEAD_LETTER_QUEUE,
  DISPATCH_QUEUE,
  resolveQueueUrl,
  sqsContext,
} from "../sqs-client.js";

/** Options of `dlq redrive` as commander parses them. */
export interface DlqRedriveOptions {
  readonly dlqUrl?: string;
  readonly queueUrl?: string;
  readonly region?: string;
  readonly reason?: string;
  readonly repository?: string;
  readonly max: number;
  readonly visibilityTimeout: number;
  readonly waitSeconds: number;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

function summary(classified: ClassifiedDeadLetter): Record<string, unknown> {
  return {
    messageId: classified.message.messageId,
    kind: classified.kind,
    repository: classified.repository,
    reason: classified.reason,
  };
}

/** Runs `dlq redrive`; resolves to its exit code. */
export async function runDlqRedrive(
  context: CommandContext,
  options: DlqRedriveOptions,
): Promise<ExitCode> {
  const { terminal } = context;
  const dlqUrl = resolveQueueUrl(options.dlqUrl, DEAD_LETTER_QUEUE, terminal.env);
  const queueUrl = resolveQueueUrl(options.queueUrl, DISPATCH_QUEUE, terminal.env);
  const sqs = await createSqsClient(options.region);
  const matches = redriveMatcher(options);
  let read: DeadLetterMessage[];
  try {
    read = await receiveMessages(sqs, dlqUrl, options);
  } catch (error) {
    throw describeAwsFailure(error, sqsContext(dlqUrl, DEAD_LETTER_QUEUE));
  }
  const selected = read.map(classifyDeadLetter).filter(matches);
  const report: SendReport = { sent: [], failed: [] };
  let sendFailure: unknown;
  if (!options.dryRun && selected.length > 0) {
    const progress = createProgress(terminal, selected.length, "redrive", options.json === true);
    try {
      await sendMessageBatches(
        sqs,
        queueUrl,
        // The job itself: a destination record is unwrapped, so the queue gets a job, not the record.
        selected.map((m) => ({ location: m.message.messageId, body: m.jobBody })),
        report,
        (n) => progress.increment(n),
      );
    } catch (error) {
      sendFailure = error;
    }
    progress.stop();
  }
  // Only a message the dispatch queue accepted leaves the dead-letter queue; all others go back.
  const sentIds = new Set(report.sent.map((s) => s.location));
  const moved = selected.filter((m) => sentIds.has(m.message.messageId));
  const kept = read.filter((m) => !sentIds.has(m.messageId));
  let notDeleted: string[] = [];
  try {
    notDeleted = await deleteMessages(
      sqs,
      dlqUrl,
      moved.map((m) => m.message),
    );
    await releaseMessages(sqs, dlqUrl, kept);
  } catch (error) {
    throw describeAwsFailure(error, sqsContext(dlqUrl, DEAD_LETTER_QUEUE));
  }
  if (sendFailure !== undefined) {
    terminal.err(
      `moved ${moved.length} of ${selected.length} before the failure; the rest stay parked`,
    );
    throw describeAwsFailure(sendFailure, sqsContext(queueUrl, DISPATCH_QUEUE));
  }
  const c = terminal.errColor;
  for (const bad of report.failed)
    terminal.err(
      `${c.red("failed")} ${bad.location}: ${bad.reason} (left in the dead-letter queue)`,
    );
  for (const id of notDeleted)
    terminal.err(
      `${c.yellow("warning")} ${id}: sent, but not deleted from the dead-letter queue; it may be redriven twice`,
    );
  if (options.json) {
    printJson(terminal, {
      dlqUrl,
      queueUrl,
      dryRun: options.dryRun === true,
      read: read.length,
      selected: selected.length,
      redriven: moved.map(summary),
      failed: report.failed,
      notDeleted,
      ...(options.dryRun ? { wouldRedrive: selected.map(summary) } : {}),
    });
  } else if (options.dryRun) {
    for (const m of selected)
      terminal.out(
        `would redrive ${m.message.messageId}  ${m.kind}  ${m.repository ?? "?"}  ${m.reason}`,
      );
    terminal.out(
      `dry run: ${selected.length} of ${plural(read.length, "parked job")} ${selected.length === 1 ? "matches" : "match"}; nothing was moved`,
    );
  } else {
    terminal.out(
      `redrove ${moved.length} of ${plural(read.length, "parked job")} to ${queueUrl} (${selected.length - moved.length} failed, ${read.length - selected.length} not matching)`,
    );
  }
  return report.failed.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}
