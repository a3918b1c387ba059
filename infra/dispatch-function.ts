import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../lambda/observability/telemetry.js";
import type { ResolvedDispatchConfig, ResolvedSecret } from "./config/resolved-config.js";

/** The function's entry point in this repository. */
export const DISPATCH_HANDLER_ENTRY = fileURLToPath(
  new URL("../lambda/handler.ts", import.meta.url),
);

/** Properties of {@link DispatchFunction}. */
export interface DispatchFunctionProps {
  /** The validated config: GitHub settings, allowlist and the secrets the function may read. */
  readonly config: ResolvedDispatchConfig;
  /** Queue for delayed retries; also the event source. */
  readonly queue: sqs.IQueue;
  /** Where permanent failures are parked and failed asynchronous invocations land. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Memory in MB. Loading the bundle (about 1 MB: AWS SDK clients, Octokit, Powertools) takes a Node
   * process to about 57 MB resident with an 11 MB heap (measured), so 128 MB would fit; but Lambda
   * hands out CPU in proportion to memory, and 256 MB doubles the CPU share for cold-start module
   * initialisation and the RS256 signing of GitHub App JWTs. The work itself waits on GitHub and AWS,
   * so above 256 MB a dispatch gets dearer, not faster.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Function timeout. The slowest invocation is an SQS batch whose jobs run concurrently, each at
   * worst: a GitHub App token mint, a dispatch, the one fallback without `return_run_details` and the
   * one retry after a 401, each bounded by `requestTimeout` (10 s), about 40 s in all. 60 s covers it
   * and keeps the queue's visibility timeout (six times this) at about 6 minutes, so the jobs of a
   * crashed batch come back within minutes.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Time limit of one request to GitHub (`GITHUB_REQUEST_TIMEOUT_MS`); at most half of `timeout`.
   * @default Duration.seconds(10)
   */
  readonly requestTimeout?: Duration;
  /**
   * How long a secret value is cached per container (`SECRET_CACHE_TTL_MS`).
   * @default Duration.minutes(5)
   */
  readonly secretCacheTtl?: Duration;
  /**
   * Attempts before the function parks a retryable job in the dead-letter queue (`MAX_ATTEMPTS`).
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Reserved concurrency. Off by default because reserving fails to deploy in accounts whose
   * concurrency quota is still the new-account 10; concurrency is bounded by `maxConcurrency` instead.
   * @default - no reservation
   */
  readonly reservedConcurrency?: number;
  /**
   * Messages per SQS batch; also how many of them are dispatched at once (`BATCH_CONCURRENCY`).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long SQS gathers messages before invoking; short, because dispatches should be on time.
   * @default Duration.seconds(1)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent invocations the SQS event source starts (2-1000). With `batchSize` 10 this caps
   * requests to GitHub at 50 at once, under GitHub's limit of 100 concurrent requests.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Lambda's own retries of a failed asynchronous (Scheduler) invocation; the function only fails
   * one when it cannot reach its queues, so two retries suffice before the dead-letter queue.
   * @default 2
   */
  readonly asyncRetryAttempts?: number;
  /**
   * Oldest asynchronous event Lambda still runs; older ones go to the dead-letter queue.
   * @default Duration.hours(1)
   */
  readonly asyncMaxEventAge?: Duration;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is destroyed.
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Entry file exporting `handler`.
   * @default - lambda/handler.ts of this project
   */
  readonly entry?: string;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${name} must be a whole number between ${min} and ${max}, got ${value}`);
  }
}

/** `PACING_LIMITS`: the `pacing` blocks of the declared secrets, by secret name; none when unset. */
function pacingLimits(config: ResolvedDispatchConfig): Record<string, string> {
  const paced = config.secrets.filter((secret) => secret.pacing !== undefined);
  if (paced.length === 0) return {};
  return {
    PACING_LIMITS: JSON.stringify(Object.fromEntries(paced.map((s) => [s.name, s.pacing]))),
  };
}

/**
 * The dispatcher: a Node.js 24 arm64 function bundled locally by esbuild (ESM, because Octokit ships
 * only ES modules; minified, with source maps), its log group and role, its SQS event source with partial
 * batch responses, and its asynchronous-invoke settings for Scheduler's direct invocations.
 * Its role may read only the declared secrets and use only its own queues.
 */
export class DispatchFunction extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DispatchFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);
    const requestTimeout = props.requestTimeout ?? Duration.seconds(10);
    const batchSize = props.batchSize ?? 10;
    const maxAttempts = props.maxAttempts ?? 8;
    checkRange("batchSize", batchSize, 1, 10);
    checkRange("maxAttempts", maxAttempts, 1, 100);
    checkRange("maxConcurrency", props.maxConcurrency ?? 5, 2, 1000);
    checkRange("asyncRetryAttempts", props.asyncRetryAttempts ?? 2, 0, 2);
    if (requestTimeout.toMilliseconds() * 2 > timeout.toMilliseconds()) {
      throw new Error(
        `requestTimeout (${requestTimeout.toSeconds()} s) must be at most half of timeout (${timeout.toSeconds()} s) so a request and its retry fit in one invocation`,
      );
    }

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "workflow-dispatch function: its log group, its queues and the declared secrets",
    });
    this.logGroup.grantWrite(this.role);

    const { config } = props;
    this.function = new nodejs.NodejsFunction(this, "Function", {
      entry: props.entry ?? DISPATCH_HANDLER_ENTRY,
      handler: "handler",
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      description: "Fires GitHub Actions workflow_dispatch events for schedules and queued jobs",
      environment: {
        GITHUB_TOKEN_SECRET: config.github.tokenSecret,
        GITHUB_API_URL: config.github.apiUrl,
        ALLOWED_REPOSITORIES: config.allowedRepositories.join(","),
        DISPATCH_QUEUE_URL: props.queue.queueUrl,
        DEAD_LETTER_QUEUE_URL: props.deadLetterQueue.queueUrl,
        MAX_WORKFLOW_INPUTS: String(config.github.maxInputs),
        GITHUB_REQUEST_TIMEOUT_MS: String(requestTimeout.toMilliseconds()),
        SECRET_CACHE_TTL_MS: String((props.secretCacheTtl ?? Duration.minutes(5)).toMilliseconds()),
        BATCH_CONCURRENCY: String(batchSize),
        MAX_ATTEMPTS: String(maxAttempts),
        ...pacingLimits(config),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: "node24",
        mainFields: ["module", "main"],
        minify: true,
        sourceMap: true,
        // Bundled CommonJS dependencies may still call require() for Node built-ins.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        // The tested, pinned SDK versions rather than whatever the runtime ships.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });

    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 5,
      }),
    );
    this.function.configureAsyncInvoke({
      retryAttempts: props.asyncRetryAttempts ?? 2,
      maxEventAge: props.asyncMaxEventAge ?? Duration.hours(1),
      onFailure: new SqsDestination(props.deadLetterQueue),
    });
    props.queue.grantSendMessages(this.role);
    props.deadLetterQueue.grantSendMessages(this.role);
    config.secrets.forEach((secret, index) => {
      this.grantSecret(secret, index);
    });
  }

  private grantSecret(secret: ResolvedSecret, index: number): void {
    const id = `Secret${index}`;
    const imported = secret.name.startsWith("arn:")
      ? secretsmanager.Secret.fromSecretAttributes(this, id, {
          [/-[A-Za-z0-9]{6}$/.test(secret.name) ? "secretCompleteArn" : "secretPartialArn"]:
            secret.name,
        })
      : secretsmanager.Secret.fromSecretNameV2(this, id, secret.name);
    imported.grantRead(this.role);
    if (secret.kmsKeyArn !== undefined) {
      // Decrypt only with the named key, and only when Secrets Manager asks on the function's behalf.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["kms:Decrypt"],
          resources: [secret.kmsKeyArn],
          conditions: {
            StringEquals: {
              "kms:ViaService": `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
            },
          },
        }),
      );
    }
  }
}
