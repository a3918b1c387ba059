import { type CommandContext, printJson } from "../command-context.js";
import {
  type DeadLetterMessage,
  receiveMessages,
  releaseMessages,
} from "../dead-letter-messages.js";
import { groupByReason, reasonOf, repositoryOf } from "../dead-letter-summary.js";
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

function describeMessage(message: DeadLetterMessage): Record<string, unknown> {
  return {
    messageId: message.messageId,
    reason: reasonOf(message),
    repository: repositoryOf(message),
    workflow_id: message.attributes.workflow_id,
    failure_class: message.attributes.failure_class,
    status: message.attributes.status,
    source: message.attributes.source,
    attempts: message.attributes.attempts,
    failed_at: message.attributes.failed_at,
    body: message.body,
  };
}

function repositoriesOf(messages: readonly DeadLetterMessage[]): string {
  const names = [...new Set(messages.map((m) => repositoryOf(m) ?? "?"))].sort();
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
  const groups = groupByReason(messages);
  if (options.json) {
    printJson(terminal, {
      queueUrl: dlqUrl,
      total: messages.length,
      truncated: messages.length >= options.max,
      groups: groups.map((g) => ({
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
      .map((m) => m.attributes.failed_at ?? "")
      .filter(Boolean)
      .sort();
    return [
      String(g.messages.length),
      g.reason,
      repositoriesOf(g.messages),
      times[times.length - 1] ?? "",
    ];
  });
  terminal.out(
    renderTable(
      [
        { header: "COUNT", align: "right" },
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
      terminal.out(`\n${c.bold(group.reason)}`);
      for (const m of group.messages) {
        terminal.out(
          `  ${m.messageId}  ${repositoryOf(m) ?? "?"}  ${m.attributes.workflow_id ?? ""}  ${m.attributes.failed_at ?? ""}`,
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
