import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { defaultSqsMessage, type SqsErrorAnswer, sqsError } from "./sqs-errors.js";
import type { SqsAnswer, SqsInput, VisibilityChange } from "./sqs-operation.js";
import { routeSqsOperation, type SqsRouterContext } from "./sqs-operation-router.js";
import { SqsQueue, type StoredMessage } from "./sqs-queue.js";
import type { SqsRecordedRequest, SqsStandInOptions } from "./sqs-stand-in-options.js";
import {
  isRecord,
  parseBody,
  type StandInServer,
  sendJson,
  startStandInServer,
} from "./stand-in-server.js";

export type { StoredMessage } from "./sqs-queue.js";
export type { SqsRecordedRequest, SqsStandInOptions } from "./sqs-stand-in-options.js";

/** The account id in every queue URL and ARN. */
const STAND_IN_ACCOUNT_ID = "111122223333";
const REGION = "eu-central-1";

/**
 * A local Amazon SQS speaking AWS JSON 1.0, for the real `@aws-sdk/client-sqs` through
 * `AWS_ENDPOINT_URL_SQS`: standard queues with visibility, delays, batches, redrive and SQS's exact
 * MD5 digests; errors and failed batch entries can be injected.
 */
export class SqsStandIn {
  /** Every call, in order. */
  readonly requests: SqsRecordedRequest[] = [];
  /** Every successful ChangeMessageVisibility (single call or batch entry), in order. */
  readonly visibilityChanges: VisibilityChange[] = [];
  private readonly queues = new Map<string, SqsQueue>();
  private readonly injected = new Map<string, SqsErrorAnswer[]>();
  private readonly context: SqsRouterContext;

  private constructor(
    private readonly server: StandInServer,
    options: SqsStandInOptions,
  ) {
    const clock = options.clock ?? Date.now;
    for (const name of options.queues ?? ["workflow-dispatch", "workflow-dispatch-dlq"]) {
      this.queues.set(name, new SqsQueue(name, options.visibilityTimeoutSeconds ?? 30, clock));
    }
    for (const [source, policy] of Object.entries(options.redrive ?? {})) {
      this.queue(source).deadLetter = {
        queue: this.queue(policy.deadLetterQueue),
        maxReceiveCount: policy.maxReceiveCount,
      };
    }
    this.context = {
      maxMessageBytes: options.maxMessageBytes ?? 262_144,
      failingEntryIds: new Set(),
      visibilityChanges: this.visibilityChanges,
      queueArn: (name) => this.queueArn(name),
      queueUrl: (name) => this.queueUrl(name),
    };
  }

  /** Starts the stand-in on 127.0.0.1 with a random port. */
  static async start(options: SqsStandInOptions = {}): Promise<SqsStandIn> {
    let standIn: SqsStandIn | undefined;
    const server = await startStandInServer((request, body, response) =>
      standIn?.handle(request, body, response),
    );
    try {
      standIn = new SqsStandIn(server, options);
    } catch (error) {
      await server.close();
      throw error;
    }
    return standIn;
  }

  /** `http://127.0.0.1:PORT`: use as `AWS_ENDPOINT_URL_SQS`. */
  get url(): string {
    return this.server.url;
  }

  /** The queue's URL, `${url}/111122223333/${name}`. */
  queueUrl(name: string): string {
    return `${this.url}/${STAND_IN_ACCOUNT_ID}/${name}`;
  }

  /** The queue's ARN, as Lambda puts it in `eventSourceARN`. */
  queueArn(name: string): string {
    return `arn:aws:sqs:${REGION}:${STAND_IN_ACCOUNT_ID}:${name}`;
  }

  /** Every message currently in the queue, visible or not, in send order. */
  messages(name: string): StoredMessage[] {
    return [...this.queue(name).messages];
  }

  /** Puts a message straight into a queue, as if a producer had sent it. */
  enqueue(
    name: string,
    body: string,
    options: { attributes?: StoredMessage["attributes"]; delaySeconds?: number } = {},
  ): StoredMessage {
    return this.queue(name).send(body, options.attributes ?? {}, options.delaySeconds ?? 0);
  }

  /**
   * The next `times` calls of `op` (`SendMessage` or `AmazonSQS.SendMessage`) fail with `error.type`
   * (a query code like `AWS.SimpleQueueService.NonExistentQueue`, a shape like `QueueDoesNotExist`,
   * or `InternalError`) and `error.status`. The SDK retries 5xx and throttling errors by itself.
   */
  failNext(op: string, error: { type: string; status: number }, times = 1): void {
    const operation = op.replace(/^AmazonSQS\./, "");
    const queue = this.injected.get(operation) ?? [];
    for (let i = 0; i < times; i++) {
      queue.push(sqsError(error.type, defaultSqsMessage(error.type), error.status));
    }
    this.injected.set(operation, queue);
  }

  /** The next batch entries with these `Id`s come back in `Failed[]` (`InternalError`), each once. */
  failBatchEntries(_op: "SendMessageBatch", ids: string[]): void {
    for (const id of ids) this.context.failingEntryIds.add(id);
  }

  /** Recorded calls of one operation (`SendMessage` or `AmazonSQS.SendMessage`). */
  calls(op: string): SqsRecordedRequest[] {
    const operation = op.replace(/^AmazonSQS\./, "");
    return this.requests.filter((r) => r.operation === operation);
  }

  /** Stops the server and destroys open connections. */
  close(): Promise<void> {
    return this.server.close();
  }

  private queue(name: string): SqsQueue {
    const queue = this.queues.get(name);
    if (!queue) {
      const known = [...this.queues.keys()].join(", ");
      throw new Error(
        `SQS stand-in: no queue "${name}" (known: ${known}); add it to options.queues`,
      );
    }
    return queue;
  }

  private handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.replace(/^AmazonSQS\./, "");
    const input = parseBody(body);
    this.requests.push({ target, operation, body: input });
    // SigV4: "Credential=AKID/date/region/service/aws4_request"; SQS reports the signer as SenderId.
    const signer = /Credential=([^/,\s]+)\//.exec(String(request.headers.authorization ?? ""))?.[1];
    const answer = this.answer(operation, isRecord(input) ? input : {}, signer);
    const headers = { "x-amzn-requestid": randomUUID(), ...answer.headers };
    sendJson(response, answer.status, answer.body, headers, "application/x-amz-json-1.0");
  }

  private answer(operation: string, input: SqsInput, senderId: string | undefined): SqsAnswer {
    const injected = this.injected.get(operation)?.shift();
    if (injected) return injected;
    return routeSqsOperation(operation, input, this.queues, { ...this.context, senderId });
  }
}
