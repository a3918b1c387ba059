import { type ClassifiedDeadLetter, classifyDeadLetter } from "../classify-dead-letter.js";
import { type CommandContext, printJson } from "../command-context.js";
import {
  type DeadLetterMessage,
  receiveMessages,
  releaseMessages,
} from "../dead-letter-messages.js";
import { groupByReason } from "../dead-letter-summary.js";
import { describeAwsFailure } from "../describe-aws-failure.js";
import { ExitCode } from "../exit-code.js";
import { plural } from "../plural.js";
import { renderTable } from "../render-table.js";
import { createSqsClient, DEAD_LETTER_QUEUE, resolveQueueUrl, sqsContext } from "../sqs-client.js";

/** Options of `dlq list` as commander parses them. */
export interface DlqListOptions {
  readonly dlqUrl?: string;
  readonly region?: string;
  readonly max: number;
  readonly visibilityTimeout: number;
  readonly waitSeconds: number;
  readonly messages?: boolean;
  readonly json?: boolean;
}

function describeMessage(classified: ClassifiedDeadLetter): Record<string, unknown> {
  const { message } = classified;
  return {
    messageId: message.messageId,
    kind: classified.kind,
    reason: classified.reason,
    repository: classified.repository,
    workflow_id: classified.workflowId,
    failure_class: message.attributes.failure_class,
    status: message.attributes.status,
    source: message.attributes.source,
    attempts: message.attributes.attempts,
    failed_at: classified.failedAt,
    details: classified.details,
    // What `dlq redrive` sends: the body itself, or the job inside a destination record.
    job: classified.jobBody,
    body: message.body,
  };
}

function repositoriesOf(messages: readonly ClassifiedDeadLetter[]): string {
  const names = [...new Set(messages.map((m) => m.repository ?? "?"))].sort();
  return names.length <= 3
    ? names.join(", ")
    : `${names.slice(0, 3).join(", ")} +${names.length - 3}`;
}

/** Runs `dlq list`; resolves to its exit code. */
export async function runDlqList(
  context: CommandContext,
  options: DlqListOptions,
): Promise<ExitCode> {
  const { terminal } = context;
  const dlqUrl = resolveQueueUrl(options.dlqUrl, DEAD_LETTER_QUEUE, terminal.env);
  const sqs = await createSqsClient(options.region);
  let messages: DeadLetterMessage[];
  try {
    messages = await receiveMessages(sqs, dlqUrl, options);
    // Reading hides messages for a while; hand them straight back so listing changes nothing.
    await releaseMessages(sqs, dlqUrl, messages);
  } catch (error) {
    throw describeAwsFailure(error, sqsContext(dlqUrl, DEAD_LETTER_QUEUE));
  }
  const groups = groupByReason(messages.map(classifyDeadLetter));
  if (options.json) {
    printJson(terminal, {
      queueUrl: dlqUrl,
      total: messages.length,
      truncated: messages.length >= options.max,
      groups: groups.map((g) => ({
        kind: g.kind,
        reason: g.reason,
        count: g.messages.length,
        messages: g.messages.map(describeMessage),
      })),
    });
    return ExitCode.Ok;
  }
  if (messages.length === 0) {
    terminal.out(`the dead-letter queue ${dlqUrl} is empty`);
    return ExitCode.Ok;
  }
  const c = terminal.color;
  const rows = groups.map((g) => {
    const times = g.messages
      .map((m) => m.failedAt ?? "")
      .filter(Boolean)
      .sort();
    return [
      String(g.messages.length),
      g.kind,
      g.reason,
      repositoriesOf(g.messages),
      times[times.length - 1] ?? "",
    ];
  });
  terminal.out(
    renderTable(
      [
        { header: "COUNT", align: "right" },
        { header: "KIND" },
        { header: "REASON" },
        { header: "REPOSITORIES" },
        { header: "LAST FAILED" },
      ],
      rows,
      c.bold,
    ),
  );
  if (options.messages) {
    for (const group of groups) {
      terminal.out(`\n${c.bold(group.reason)}  ${c.dim(`[${group.kind}]`)}`);
      for (const m of group.messages) {
        terminal.out(
          `  ${m.message.messageId}  ${m.repository ?? "?"}  ${m.workflowId ?? ""}  ${m.failedAt ?? ""}`,
        );
      }
    }
  }
  const more =
    messages.length >= options.max ? ` (stopped at --max ${options.max}; there may be more)` : "";
  terminal.out(
    `\n${plural(messages.length, "parked job")} with ${plural(groups.length, "reason")}${more}`,
  );
  return ExitCode.Ok;
}
