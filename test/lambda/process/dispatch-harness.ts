import { type Message, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSRecord } from "aws-lambda";
import {
  createHandler,
  type DispatchHandler,
  type HandlerResult,
} from "../../../lambda/handler.js";
import type { ContextDependencies } from "../../../lambda/process/dispatch-context.js";
import { useStandInEnvironment } from "../../support/aws-environment.js";
import { captureLogs, expectNoSecrets } from "../../support/capture-logs.js";
import { sqsRecordFromMessage } from "../../support/events.js";
import { GitHubStandIn, type GitHubStandInOptions } from "../../support/github-stand-in.js";
import { SecretsManagerStandIn } from "../../support/secrets-manager-stand-in.js";
import { SqsStandIn } from "../../support/sqs-stand-in.js";

/** The secret the function reads by default, and the token it holds. */
export const SECRET_ID = "github/acme-bot";
export const TOKEN = "ghp_harness_token_0123456789abcdef";
export const DISPATCH_QUEUE = "workflow-dispatch";
export const DEAD_LETTER_QUEUE = "workflow-dispatch-dlq";

/** A Lambda context with just the request id. */
export const context = { awsRequestId: "req-0001" } as Context;

/** Three real stand-ins, the environment pointing at them, and a handler built from it. */
export class DispatchHarness {
  private restoreEnvironment: () => void = () => undefined;
  /** Values no log line, dead-letter record or queued retry may contain. */
  readonly secretValues: string[] = [TOKEN];

  private constructor(
    readonly gitHub: GitHubStandIn,
    readonly secrets: SecretsManagerStandIn,
    readonly sqs: SqsStandIn,
  ) {}

  /** Starts the stand-ins; the secret holds {@link TOKEN}, which GitHub accepts. */
  static async start(gitHub: GitHubStandInOptions = {}): Promise<DispatchHarness> {
    const harness = new DispatchHarness(
      await GitHubStandIn.start({ tokens: [TOKEN], ...gitHub }),
      await SecretsManagerStandIn.start({ secrets: { [SECRET_ID]: TOKEN } }),
      await SqsStandIn.start(),
    );
    harness.environment({});
    return harness;
  }

  /** Points the environment at the stand-ins, with the function's settings plus `extra`. */
  environment(extra: Record<string, string | undefined>): void {
    this.restoreEnvironment();
    this.restoreEnvironment = useStandInEnvironment({
      github: this.gitHub,
      secrets: this.secrets,
      sqs: this.sqs,
      extra: {
        GITHUB_TOKEN_SECRET: SECRET_ID,
        ALLOWED_REPOSITORIES: "acme/*",
        ...extra,
      },
    });
  }

  /** A fresh handler (a cold container) built from the current environment; jitter fixed at 0.5. */
  handler(deps: ContextDependencies = {}): DispatchHandler {
    return createHandler(process.env, { random: () => 0.5, ...deps });
  }

  /**
   * Invokes `handler` (a fresh one unless given) with `event` and `lambdaContext` (the request id
   * only, unless given), capturing its output; fails if any captured line holds a secret, a private
   * key or an Authorization value.
   */
  async invoke(
    event: unknown,
    handler: DispatchHandler = this.handler(),
    lambdaContext: Context = context,
  ): Promise<{ result: HandlerResult; lines: string[] }> {
    const { result, lines } = await captureLogs(() => handler(event, lambdaContext));
    expectNoSecrets(lines, this.secretValues);
    return { result, lines };
  }

  /** Sends `bodies` to the dispatch queue and receives them as Lambda's event source mapping would. */
  async receiveBatch(
    bodies: readonly string[],
    attributes: Record<string, string> = {},
  ): Promise<{ Records: SQSRecord[] }> {
    for (const body of bodies) {
      const messageAttributes = Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [k, { DataType: "Number", StringValue: v }]),
      );
      this.sqs.enqueue(DISPATCH_QUEUE, body, { attributes: messageAttributes });
    }
    const client = new SQSClient({});
    const received: Message[] = [];
    while (received.length < bodies.length) {
      const answer = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.sqs.queueUrl(DISPATCH_QUEUE),
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      if (!answer.Messages?.length) break;
      received.push(...answer.Messages);
    }
    client.destroy();
    return {
      Records: received.map((m) => sqsRecordFromMessage(m, this.sqs.queueArn(DISPATCH_QUEUE))),
    };
  }

  /** Bodies and attributes now in a queue. */
  messages(
    queue: string,
  ): { body: string; attributes: Record<string, string | undefined>; delaySeconds: number }[] {
    return this.sqs.messages(queue).map((m) => ({
      body: m.body,
      delaySeconds: m.delaySeconds,
      attributes: Object.fromEntries(
        Object.entries(m.attributes).map(([k, v]) => [k, v.StringValue]),
      ),
    }));
  }

  /** Stops everything, after checking that no queued message holds a secret. */
  async close(): Promise<void> {
    this.restoreEnvironment();
    try {
      const stored = [DISPATCH_QUEUE, DEAD_LETTER_QUEUE].map((q) =>
        JSON.stringify(this.messages(q)),
      );
      expectNoSecrets(stored, this.secretValues);
    } finally {
      await Promise.all([this.gitHub.close(), this.secrets.close(), this.sqs.close()]);
    }
  }
}
