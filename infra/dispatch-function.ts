import { fileURLToPath } from "node:url";
import { Annotations, Duration, Stack, Token } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { FunctionVariable } from "../lambda/config/function-environment.js";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../lambda/observability/telemetry.js";
import type { ResolvedDispatchConfig, ResolvedSecret } from "./config/resolved-config.js";
import {
  DISPATCH_FUNCTION_BUNDLING,
  DISPATCH_FUNCTION_NODE_OPTIONS,
} from "./dispatch-function-bundling.js";
import {
  DISPATCH_FUNCTION_DEFAULTS as DEFAULTS,
  type DispatchFunctionProps,
} from "./dispatch-function-props.js";

export type { DispatchFunctionProps } from "./dispatch-function-props.js";

/** The function's entry point in this repository. */
const DISPATCH_HANDLER_ENTRY = fileURLToPath(new URL("../lambda/handler.ts", import.meta.url));

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${name} must be a whole number between ${min} and ${max}, got ${value}`);
  }
}

/**
 * The function's environment, keyed by the names its schema reads (`functionEnvironmentSchema`), so a
 * variable the function does not know cannot be set.
 */
type FunctionEnvironment = { [Name in FunctionVariable]?: string };

/** `PACING_LIMITS`: the `pacing` blocks of the declared secrets, by secret name; none when unset. */
function pacingLimits(config: ResolvedDispatchConfig): FunctionEnvironment {
  const paced = config.secrets.filter((secret) => secret.pacing !== undefined);
  if (paced.length === 0) return {};
  return {
    [FunctionVariable.PacingLimits]: JSON.stringify(
      Object.fromEntries(paced.map((s) => [s.name, s.pacing])),
    ),
  };
}

/** Shortest function timeout: up to 2 s waiting in-process for a pacing start, then the dispatch. */
const MIN_TIMEOUT = Duration.seconds(30);
/** Longest batching window that does not make paced jobs miss their turn. */
const MAX_BATCHING_WINDOW = Duration.seconds(1);

/**
 * The dispatcher: a Node.js 24 arm64 function bundled locally by esbuild
 * ({@link DISPATCH_FUNCTION_BUNDLING}), its log group and role, its SQS event source with partial
 * batch responses and no batching window, and its asynchronous-invoke settings for Scheduler's direct
 * invocations. Its role may read only the declared secrets, use only its own queues and get, put,
 * update and delete single items of the state table.
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
    const timeout = props.timeout ?? DEFAULTS.timeout;
    const requestTimeout = props.requestTimeout ?? DEFAULTS.requestTimeout;
    const batchSize = props.batchSize ?? DEFAULTS.batchSize;
    const maxAttempts = props.maxAttempts ?? DEFAULTS.maxAttempts;
    checkRange("batchSize", batchSize, 1, 10);
    checkRange("maxAttempts", maxAttempts, 1, 100);
    checkRange("maxConcurrency", props.maxConcurrency ?? DEFAULTS.maxConcurrency, 2, 1000);
    checkRange("asyncRetryAttempts", props.asyncRetryAttempts ?? DEFAULTS.asyncRetryAttempts, 0, 2);
    if (requestTimeout.toMilliseconds() * 2 > timeout.toMilliseconds()) {
      throw new Error(
        `requestTimeout (${requestTimeout.toSeconds()} s) must be at most half of timeout (${timeout.toSeconds()} s) so a request and its retry fit in one invocation`,
      );
    }
    if (timeout.toMilliseconds() < MIN_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `timeout must be at least ${MIN_TIMEOUT.toSeconds()} s, got ${timeout.toSeconds()} s: a batch may wait 2 s for its pacing start before dispatching, and the queue's visibility timeout (6 × timeout) must outlast the 60 s idempotency lease; raise timeout`,
      );
    }
    const maxBatchingWindow = props.maxBatchingWindow ?? DEFAULTS.maxBatchingWindow;
    if (maxBatchingWindow.toMilliseconds() > MAX_BATCHING_WINDOW.toMilliseconds()) {
      Annotations.of(this).addWarningV2(
        "workflow-dispatch:maxBatchingWindow",
        `maxBatchingWindow is ${maxBatchingWindow.toHumanString()}: jobs handed back to the queue for their pacing turn wait that much longer and miss it, so fan-outs run below GitHub's allowed rate; use 0 (the default) or at most 1 second`,
      );
    }

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? DEFAULTS.logRetention,
      removalPolicy: props.logRemovalPolicy ?? DEFAULTS.logRemovalPolicy,
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
      memorySize: props.memorySize ?? DEFAULTS.memorySize,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      description: "Fires GitHub Actions workflow_dispatch events for schedules and queued jobs",
      environment: {
        [FunctionVariable.GitHubTokenSecret]: config.github.tokenSecret,
        [FunctionVariable.GitHubApiUrl]: config.github.apiUrl,
        [FunctionVariable.AllowedRepositories]: config.allowedRepositories.join(","),
        [FunctionVariable.DispatchQueueUrl]: props.queue.queueUrl,
        [FunctionVariable.DeadLetterQueueUrl]: props.deadLetterQueue.queueUrl,
        [FunctionVariable.MaxWorkflowInputs]: String(config.github.maxInputs),
        [FunctionVariable.GitHubRequestTimeoutMs]: String(requestTimeout.toMilliseconds()),
        [FunctionVariable.SecretCacheTtlMs]: String(
          (props.secretCacheTtl ?? DEFAULTS.secretCacheTtl).toMilliseconds(),
        ),
        [FunctionVariable.BatchConcurrency]: String(batchSize),
        [FunctionVariable.MaxAttempts]: String(maxAttempts),
        ...pacingLimits(config),
        [FunctionVariable.StateTableName]: props.stateTable.table.tableName,
        [FunctionVariable.FunctionRoleId]: this.role.roleId,
        [FunctionVariable.IdempotencyWindowSeconds]: String(config.idempotencyWindowHours * 3600),
        [FunctionVariable.PowertoolsServiceName]: SERVICE_NAME,
        [FunctionVariable.PowertoolsMetricsNamespace]: METRICS_NAMESPACE,
        [FunctionVariable.NodeOptions]: DISPATCH_FUNCTION_NODE_OPTIONS,
      } satisfies FunctionEnvironment,
      bundling: DISPATCH_FUNCTION_BUNDLING,
    });

    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize,
        maxBatchingWindow,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? DEFAULTS.maxConcurrency,
      }),
    );
    this.function.configureAsyncInvoke({
      retryAttempts: props.asyncRetryAttempts ?? DEFAULTS.asyncRetryAttempts,
      maxEventAge: props.asyncMaxEventAge ?? DEFAULTS.asyncMaxEventAge,
      onFailure: new SqsDestination(props.deadLetterQueue),
    });
    props.queue.grantSendMessages(this.role);
    props.deadLetterQueue.grantSendMessages(this.role);
    props.stateTable.grantStateAccess(this.role);
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
