import { createHandler, type DispatchHandler } from "../../lambda/handler.js";
import type { ContextDependencies } from "../../lambda/process/dispatch-context.js";
import { useStandInEnvironment } from "./aws-environment.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "./dynamodb-stand-in.js";
import { GitHubStandIn, type GitHubStandInOptions } from "./github-stand-in.js";
import {
  type DriverStats,
  LambdaSqsDriver,
  type LambdaSqsDriverOptions,
} from "./lambda-sqs-driver.js";
import { ScaledClock } from "./scaled-clock.js";
import { SecretsManagerStandIn } from "./secrets-manager-stand-in.js";
import { SqsStandIn } from "./sqs-stand-in.js";

/** The secret the rig's function reads, and the token it holds. */
export const RIG_SECRET_ID = "github/fleet-bot";
export const RIG_TOKEN = "ghp_rig_token_0123456789abcdefABCDEF";
const RIG_QUEUE = "workflow-dispatch";
const RIG_DEAD_LETTER_QUEUE = "workflow-dispatch-dlq";

/** How a rig is set up. */
export interface DispatchRigOptions {
  /** Clock milliseconds per wall millisecond. @default 1 */
  readonly scale?: number;
  /** More GitHub stand-in options (rate limiter, latency, routes). */
  readonly github?: (clock: ScaledClock) => GitHubStandInOptions;
  /** More function environment (or `undefined` to unset). */
  readonly env?: Record<string, string | undefined>;
  /** Queue visibility timeout, clock seconds. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /** Dependencies every container's handler gets besides the rig's clock (e.g. another fan-out). */
  readonly deps?: ContextDependencies;
}

/**
 * The whole function on one machine: GitHub, Secrets Manager, SQS and DynamoDB stand-ins on one scaled
 * clock, the environment pointing at them, and handlers built by the production `createHandler` (one
 * per container), driven by {@link LambdaSqsDriver} like Lambda's SQS event source mapping.
 */
export class DispatchRig {
  private constructor(
    readonly clock: ScaledClock,
    readonly github: GitHubStandIn,
    readonly secrets: SecretsManagerStandIn,
    readonly sqs: SqsStandIn,
    readonly dynamodb: DynamoDbStandIn,
    private readonly restore: () => void,
    private readonly deps: ContextDependencies,
  ) {}

  /** Starts the stand-ins and points the environment at them. */
  static async start(options: DispatchRigOptions = {}): Promise<DispatchRig> {
    const clock = new ScaledClock(options.scale ?? 1);
    const github = await GitHubStandIn.start({
      tokens: [RIG_TOKEN],
      clock: clock.now,
      ...options.github?.(clock),
    });
    const secrets = await SecretsManagerStandIn.start({ secrets: { [RIG_SECRET_ID]: RIG_TOKEN } });
    const sqs = await SqsStandIn.start({
      clock: clock.now,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 300,
    });
    const dynamodb = await DynamoDbStandIn.start();
    const restore = useStandInEnvironment({
      github,
      secrets,
      sqs,
      dynamodb,
      extra: {
        GITHUB_TOKEN_SECRET: RIG_SECRET_ID,
        ALLOWED_REPOSITORIES: "acme/*",
        STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
        ...options.env,
      },
    });
    return new DispatchRig(clock, github, secrets, sqs, dynamodb, restore, options.deps ?? {});
  }

  /** A new container: the production handler factory with the rig's clock. */
  handler(): DispatchHandler {
    return createHandler(process.env, {
      ...this.deps,
      now: this.clock.now,
      sleep: (ms) => this.clock.sleep(ms),
    });
  }

  /** Puts a message on the dispatch queue, as a producer would. */
  send(body: unknown, attributes: Record<string, string> = {}): string {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const messageAttributes = Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
    );
    return this.sqs.enqueue(RIG_QUEUE, text, { attributes: messageAttributes }).messageId;
  }

  /** Drives the queue with `containers` handlers until it is empty. */
  run(
    containers: number,
    options: Omit<LambdaSqsDriverOptions, "sqs" | "handlers" | "clock"> & {
      duplicateContainers?: number;
    } = {},
  ): Promise<DriverStats> {
    return new LambdaSqsDriver({
      sqs: this.sqs,
      clock: this.clock,
      handlers: Array.from({ length: containers }, () => this.handler()),
      duplicateHandlers: Array.from({ length: options.duplicateContainers ?? 0 }, () =>
        this.handler(),
      ),
      ...options,
    }).run();
  }

  /** Parked messages: body and attributes. */
  deadLetters(): { body: string; attributes: Record<string, string | undefined> }[] {
    return this.sqs.messages(RIG_DEAD_LETTER_QUEUE).map((m) => ({
      body: m.body,
      attributes: Object.fromEntries(
        Object.entries(m.attributes).map(([k, v]) => [k, v.StringValue]),
      ),
    }));
  }

  /** Successful dispatches per repository name (`acme/r1` -> 1). */
  dispatchCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.github.dispatches()) {
      const [, , owner, repo] = request.path.split("/");
      const name = `${owner}/${repo}`;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  }

  /** Restores the environment and stops every stand-in. */
  async close(): Promise<void> {
    this.restore();
    await Promise.all([
      this.github.close(),
      this.secrets.close(),
      this.sqs.close(),
      this.dynamodb.close(),
    ]);
  }
}
