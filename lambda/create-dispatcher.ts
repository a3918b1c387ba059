import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { type FunctionConfig, readFunctionConfig } from "./config/function-config.js";
import { PermanentDispatchError } from "./errors.js";
import { createGitHubConnection, type GitHubConnection } from "./github/github-client.js";
import { idempotencyKey } from "./job/idempotency-key.js";
import { Telemetry } from "./observability/telemetry.js";
import type { DispatchGuard, FanOut } from "./process/types.js";
import { DispatchQueue } from "./queue/dispatch-queue.js";
import { TokenProvider } from "./secrets/token-provider.js";

/** Everything one container needs to dispatch: configuration, clients and telemetry. */
export interface Dispatcher {
  readonly config: FunctionConfig;
  readonly github: GitHubConnection;
  readonly tokens: TokenProvider;
  readonly queue: DispatchQueue;
  readonly telemetry: Telemetry;
  /** Handles jobs with `targets`; see {@link FanOut}. */
  readonly fanOut: FanOut;
  /** Wraps every single-job dispatch; see {@link DispatchGuard}. Undefined: dispatch directly. */
  readonly guard?: DispatchGuard;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
  /** Clock, epoch ms. */
  readonly now: () => number;
  /** Waits `ms` milliseconds of that clock (pacing's sub-second alignment to a slot). */
  readonly sleep: (ms: number) => Promise<void>;
}

/** What can be injected instead of being built from the environment. */
export interface DispatcherDependencies {
  /**
   * @default a client for `AWS_REGION`, endpoint from the SDK's standard variables, built with
   * {@link awsClientSettings}
   */
  readonly secretsManager?: SecretsManagerClient;
  /**
   * @default a client for `AWS_REGION`, endpoint from the SDK's standard variables, built with
   * {@link awsClientSettings}
   */
  readonly sqs?: SQSClient;
  /** The fetch Octokit calls through. @default a keep-alive fetch on node:http/node:https (lambda/github/node-http-fetch.ts) */
  readonly fetch?: typeof globalThis.fetch;
  /** @default Powertools Logger and Metrics for service "workflow-dispatch" */
  readonly telemetry?: Telemetry;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Waits on the `now` clock. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Builds the fan-out handler from the finished dispatcher. @default parks fan-out jobs */
  readonly fanOut?: (dispatcher: Dispatcher) => FanOut;
  /** Builds the single-job guard from the finished dispatcher. @default none */
  readonly guard?: (dispatcher: Dispatcher) => DispatchGuard;
}

/** Time limit of opening a connection to an AWS endpoint, ms (at most the request timeout). */
const AWS_CONNECTION_TIMEOUT_MS = 3_000;

/** How every AWS SDK client of the function is built; see {@link awsClientSettings}. */
export interface AwsClientSettings {
  readonly maxAttempts: number;
  readonly requestHandler: {
    readonly requestTimeout: number;
    readonly connectionTimeout: number;
    readonly throwOnRequestTimeout: true;
  };
}

/**
 * Settings for the function's AWS SDK clients (Secrets Manager, SQS, DynamoDB). The installed
 * `@smithy/node-http-handler` aborts a request at `requestTimeout` only with `throwOnRequestTimeout`;
 * without it, it logs a warning and keeps waiting, so a hung call held the job until Lambda's own
 * timeout failed the whole batch. A timed-out attempt is a transient error the SDK retries. Worst case
 * of one call that never answers: `maxAttempts` × `requestTimeout` plus the SDK's jittered backoff
 * between attempts (under 50 ms, then 100 ms): 3 × 5 s ≈ 15 s by default, after which the job is
 * classified as a transient failure and retried through the queue.
 */
export function awsClientSettings(config: FunctionConfig): AwsClientSettings {
  return {
    maxAttempts: config.awsMaxAttempts,
    requestHandler: {
      requestTimeout: config.awsRequestTimeoutMs,
      connectionTimeout: Math.min(AWS_CONNECTION_TIMEOUT_MS, config.awsRequestTimeoutMs),
      throwOnRequestTimeout: true,
    },
  };
}

/** Parks every fan-out job until the fan-out module is wired in. */
export const fanOutNotWired: FanOut = async (job, delivery) => ({
  kind: "parked",
  job,
  idempotencyKey: idempotencyKey(job, delivery.identity),
  failure: new PermanentDispatchError("fan-out jobs need the fan-out module (not wired)"),
});

/** Builds a {@link Dispatcher} from the environment contract of DESIGN.md; throws naming a bad variable. */
export function createDispatcher(
  env: NodeJS.ProcessEnv = process.env,
  deps: DispatcherDependencies = {},
): Dispatcher {
  const config = readFunctionConfig(env);
  const telemetry = deps.telemetry ?? new Telemetry();
  const region = config.region;
  const aws = awsClientSettings(config);
  const secretsManager = deps.secretsManager ?? new SecretsManagerClient({ region, ...aws });
  const sqs = deps.sqs ?? new SQSClient({ region, ...aws });
  const github = createGitHubConnection({
    apiUrl: config.githubApiUrl,
    requestTimeoutMs: config.requestTimeoutMs,
    fetch: deps.fetch,
    log: {
      warn: (message) => telemetry.logger.warn(message),
      error: (message) => telemetry.logger.error(message),
    },
  });
  const now = deps.now ?? Date.now;
  const dispatcher: { -readonly [K in keyof Dispatcher]: Dispatcher[K] } = {
    config,
    github,
    tokens: new TokenProvider({
      client: secretsManager,
      request: github.request,
      ttlMs: config.secretCacheTtlMs,
      now,
    }),
    queue: new DispatchQueue({
      sqs,
      dispatchQueueUrl: config.dispatchQueueUrl,
      deadLetterQueueUrl: config.deadLetterQueueUrl,
    }),
    telemetry,
    fanOut: fanOutNotWired,
    random: deps.random ?? Math.random,
    now,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))),
  };
  if (deps.fanOut) dispatcher.fanOut = deps.fanOut(dispatcher);
  if (deps.guard) dispatcher.guard = deps.guard(dispatcher);
  return dispatcher;
}
