import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { type FunctionConfig, readFunctionConfig } from "../config/function-config.js";
import { createGitHubConnection, type GitHubConnection } from "../github/github-client.js";
import { Telemetry } from "../observability/telemetry.js";
import { ALWAYS_ADMIT, DispatchPacer, type Pacer } from "../pacing/dispatch-pacer.js";
import { PacingLedger } from "../pacing/pacing-ledger.js";
import { DispatchQueue } from "../queue/dispatch-queue.js";
import { TokenProvider } from "../secrets/token-provider.js";
import { type ClaimStore, DispatchClaims, NO_CLAIMS } from "../state/dispatch-claims.js";

/** The clock and randomness of a container; tests and benchmarks pass scaled or fixed ones. */
interface Clock {
  /** Epoch ms. */
  readonly now: () => number;
  /** Waits `ms` milliseconds of that clock (pacing's sub-second alignment to a slot). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
}

/**
 * Everything one container needs to dispatch, built once from the environment. Optional features
 * are null objects: without a state table `claims` is {@link NO_CLAIMS} (no duplicate suppression)
 * and `pacer` is {@link ALWAYS_ADMIT}.
 */
export interface DispatchContext {
  readonly config: FunctionConfig;
  readonly github: GitHubConnection;
  readonly tokens: TokenProvider;
  /** The dispatch queue and the dead-letter queue. */
  readonly queue: DispatchQueue;
  /** The SQS client fan-out sends its single jobs with. */
  readonly sqs: SQSClient;
  readonly telemetry: Telemetry;
  /** Duplicate suppression by idempotency key. */
  readonly claims: ClaimStore;
  /** Pacing of each dispatch per token. */
  readonly pacer: Pacer;
  /** Places booked for fan-out targets at expansion (`FAN_OUT_SPREAD`). */
  readonly fanOutPacer: Pacer;
  readonly clock: Clock;
}

/** What can be injected instead of being built from the environment. */
export interface ContextDependencies {
  /** @default a client for `AWS_REGION`, endpoint from the SDK's standard variables, {@link awsClientSettings} */
  readonly secretsManager?: SecretsManagerClient;
  /** @default as `secretsManager` */
  readonly sqs?: SQSClient;
  /** @default as `secretsManager` */
  readonly dynamodb?: DynamoDBClient;
  /** @default Powertools Logger and Metrics for service "workflow-dispatch" */
  readonly telemetry?: Telemetry;
  /** @default Date.now */
  readonly now?: () => number;
  /** Waits on the `now` clock. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** Time limit of opening a connection to an AWS endpoint, ms (at most the request timeout). */
const AWS_CONNECTION_TIMEOUT_MS = 3_000;

/**
 * Settings for the function's AWS SDK clients (Secrets Manager, SQS, DynamoDB). The installed
 * `@smithy/node-http-handler` aborts a request at `requestTimeout` only with `throwOnRequestTimeout`;
 * without it, it logs a warning and keeps waiting, so a hung call held the job until Lambda's own
 * timeout failed the whole batch. A timed-out attempt is a transient error the SDK retries. Worst case
 * of one call that never answers: `maxAttempts` × `requestTimeout` plus the SDK's jittered backoff
 * (3 × 5 s ≈ 15 s by default); the dispatch path bounds its own waits by the invocation's deadline.
 */
export function awsClientSettings(config: FunctionConfig) {
  return {
    region: config.region,
    maxAttempts: config.awsMaxAttempts,
    requestHandler: {
      requestTimeout: config.awsRequestTimeoutMs,
      connectionTimeout: Math.min(AWS_CONNECTION_TIMEOUT_MS, config.awsRequestTimeoutMs),
      throwOnRequestTimeout: true,
    },
  } as const;
}

function stateOf(
  config: FunctionConfig,
  telemetry: Telemetry,
  deps: ContextDependencies,
  now: () => number,
) {
  const tableName = config.stateTableName;
  if (tableName === undefined) {
    telemetry.logger.warn(
      "STATE_TABLE_NAME is not set: duplicate suppression and pacing are off; set it to the stack's state table",
    );
    return { claims: NO_CLAIMS, pacer: ALWAYS_ADMIT };
  }
  const client = deps.dynamodb ?? new DynamoDBClient(awsClientSettings(config));
  const claims = new DispatchClaims({
    client,
    tableName,
    windowSeconds: config.idempotencyWindowSeconds,
  });
  const pacer = config.pacing
    ? new DispatchPacer({
        ledger: new PacingLedger({ client, tableName }),
        limits: config.pacingLimits,
        now,
        alignMs: config.pacingAlignMs,
      })
    : ALWAYS_ADMIT;
  return { claims, pacer };
}

/** Builds the {@link DispatchContext} from the environment contract of DESIGN.md; throws naming every bad variable. */
export function createDispatchContext(
  env: NodeJS.ProcessEnv = process.env,
  deps: ContextDependencies = {},
): DispatchContext {
  const config = readFunctionConfig(env);
  const telemetry = deps.telemetry ?? new Telemetry();
  const aws = awsClientSettings(config);
  const sqs = deps.sqs ?? new SQSClient(aws);
  const now = deps.now ?? Date.now;
  const github = createGitHubConnection({
    apiUrl: config.githubApiUrl,
    requestTimeoutMs: config.requestTimeoutMs,
    log: {
      warn: (message) => telemetry.logger.warn(message),
      error: (message) => telemetry.logger.error(message),
    },
  });
  const { claims, pacer } = stateOf(config, telemetry, deps, now);
  return {
    config,
    github,
    tokens: new TokenProvider({
      client: deps.secretsManager ?? new SecretsManagerClient(aws),
      request: github.octokit.request,
      ttlMs: config.secretCacheTtlMs,
      now,
    }),
    queue: new DispatchQueue({
      sqs,
      dispatchQueueUrl: config.dispatchQueueUrl,
      deadLetterQueueUrl: config.deadLetterQueueUrl,
    }),
    sqs,
    telemetry,
    claims,
    pacer,
    fanOutPacer: config.fanOutSpread ? pacer : ALWAYS_ADMIT,
    clock: {
      now,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))),
      random: deps.random ?? Math.random,
    },
  };
}
